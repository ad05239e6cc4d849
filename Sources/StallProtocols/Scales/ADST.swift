import StallCore

/// The A&D-style ASCII weight line and its copies by CAS, Excell, Dini Argeo and Chinese
/// indicators (firmware-protocols/ad-st/SPEC.md): `ST,GS,+0012.34kg` CR LF and relatives.
///
/// Input: the bytes the UART delivers, in reads of any size, possibly starting mid-line,
/// with noise between lines. Streamed lines and command-mode answers look the same.
///
/// Resync rule: every CR and every LF ends a piece, and every piece is judged on its own
/// (SPEC rule 1), so after any garbage decoding is back in step at the byte after the next
/// CR or LF. Within a piece the frame starts at the last header (`ST,` `US,` `OL,` `UL,`
/// `QT,`) that begins within the piece's last `longestFrame` bytes (rule 2, C1); whatever
/// stands before it is garbage, e.g. the remains of a torn line.
///
/// Error lines (SPEC 10): a piece gives at most one error line, always at the piece's first
/// byte: `garbage` when it holds no header or bytes stand before the header, the reason of
/// the rejected candidate when the line is no frame, `truncated` for bytes after the last
/// CR/LF. QT and TR lines whose body parses give nothing at all (C7).
///
/// Bounded memory: only the last `longestFrame` bytes of a piece can hold its frame, so
/// the decoder keeps between `longestFrame` and twice that many bytes of the current piece,
/// trimming in bulk so each byte costs O(1) amortised; judging a piece costs
/// O(`longestFrame`).
public struct ADSTDecoder: ScaleDecoder {
    public static let protocolName = "ad-st"

    /// C1: from header 1 to the end of its piece (terminator excluded).
    public static let longestFrame = 64
    /// C3: digits in a weight number.
    static let maxDigits = 12

    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let comma: UInt8 = 0x2C
    static let space: UInt8 = 0x20

    /// The last bytes of the current piece: at most `2 * longestFrame`, and never fewer
    /// than the piece's last `longestFrame` (or the whole piece when it is shorter).
    private var pieceTail: [UInt8] = []
    /// Stream offset of the current piece's first byte.
    private var pieceStart = 0
    /// Bytes in the current piece so far, including trimmed ones.
    private var pieceLength = 0

    /// Bytes the decoder holds between calls; never more than `2 * longestFrame`.
    public var bufferedByteCount: Int { pieceTail.count }

    public init() {
        pieceTail.reserveCapacity(2 * Self.longestFrame)
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        for byte in bytes {
            if byte == Self.cr || byte == Self.lf {
                if pieceLength > 0 { judgePiece(into: &out) }  // rule 1: empty pieces are nothing
                pieceStart += pieceLength + 1
                pieceLength = 0
                pieceTail.removeAll(keepingCapacity: true)
            } else {
                if pieceTail.count == 2 * Self.longestFrame { pieceTail.removeFirst(Self.longestFrame) }
                pieceTail.append(byte)
                pieceLength += 1
            }
        }
        return out
    }

    /// Rule 1: a last piece without CR or LF after it is incomplete.
    public mutating func finish() -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        if pieceLength > 0 { out.append(.error(.truncated, offset: pieceStart)) }
        pieceStart += pieceLength
        pieceLength = 0
        pieceTail.removeAll(keepingCapacity: true)
        return out
    }

    /// Rules 2-7 on the piece that just ended, with the error-line policy of SPEC 10.
    private func judgePiece(into out: inout [ScaleDecoderOutput]) {
        let end = pieceTail.count
        guard let header = Self.lastHeader(pieceTail, from: max(0, end - Self.longestFrame), to: end) else {
            out.append(.error(.garbage, offset: pieceStart))
            return
        }
        let headerOffset = pieceStart + pieceLength - end + header
        switch Self.candidate(pieceTail, header: header, end: end) {
        case .rejected(let reason):
            out.append(.error(reason, offset: pieceStart))
        case .silent:
            if headerOffset > pieceStart { out.append(.error(.garbage, offset: pieceStart)) }
        case .frame(let frame):
            if headerOffset > pieceStart { out.append(.error(.garbage, offset: pieceStart)) }
            out.append(.frame(frame, offset: headerOffset))
        }
    }

    // MARK: - Headers

    static func isHeader1(_ first: UInt8, _ second: UInt8) -> Bool {
        switch (first, second) {
        case (0x53, 0x54), (0x55, 0x53), (0x4F, 0x4C), (0x55, 0x4C), (0x51, 0x54): true  // ST US OL UL QT
        default: false
        }
    }

    static func isHeader2(_ first: UInt8, _ second: UInt8) -> Bool {
        switch (first, second) {
        case (0x47, 0x53), (0x4E, 0x54), (0x54, 0x52), (0x4C, 0x4F), (0x4F, 0x4B), (0x48, 0x49), (0x2D, 0x2D): true  // GS NT TR LO OK HI --
        default: false
        }
    }

    /// Rule 2 with C1: index of the last `XX,` header 1 starting in `start..<end`.
    static func lastHeader(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        var index = end - 3
        while index >= start {
            if bytes[index + 2] == comma, isHeader1(bytes[index], bytes[index + 1]) { return index }
            index -= 1
        }
        return nil
    }

    // MARK: - One candidate

    enum Candidate {
        case frame(ScaleFrame)
        /// Rule 6, C7: a QT or TR line that parses; valid, but no weighing.
        case silent
        case rejected(ScaleDecodeError)
    }

    /// Rules 3-7 on `bytes[header..<end]`, whose first three bytes are a header 1.
    static func candidate(_ bytes: [UInt8], header: Int, end: Int) -> Candidate {
        let first = bytes[header]
        let second = bytes[header + 1]
        var index = header + 3
        // Rule 3: optional header 2 and its comma, then the optional CAS ID/lamp field.
        var header2: (UInt8, UInt8)?
        if end - index >= 3, bytes[index + 2] == comma, isHeader2(bytes[index], bytes[index + 1]) {
            header2 = (bytes[index], bytes[index + 1])
            index += 3
        }
        if end - index >= 3, bytes[index + 2] == comma { index += 3 }
        let net = header2.map { $0 == (0x4E, 0x54) } ?? false  // NT
        let tareLine = header2.map { $0 == (0x54, 0x52) } ?? false  // TR

        // Rule 5 (before rule 6, C6): OL and UL are state frames whatever the body holds.
        if (first, second) == (0x4F, 0x4C) || (first, second) == (0x55, 0x4C) {
            return .frame(ScaleFrame(protocolName: protocolName, weight: Milligrams(0), stable: false, net: net, overload: true))
        }
        // Rule 4.
        guard let body = parseBody(bytes, from: index, to: end) else { return .rejected(.badField) }
        // Rule 6 (C7).
        if (first, second) == (0x51, 0x54) || tareLine { return .silent }
        guard let unit = massUnit(bytes[body.unit]) else { return .rejected(.unsupportedUnit) }
        // Rule 7 with the conversion of fact sheet 2.3 (C8, C9).
        guard let magnitude = milligrams(digits: body.digits, decimals: body.decimals, unit: unit) else {
            return .rejected(.badField)
        }
        let weight = body.negative ? -magnitude : magnitude
        return .frame(ScaleFrame(
            protocolName: protocolName, weight: Milligrams(weight), stable: (first, second) == (0x53, 0x54), net: net,
            overload: false))
    }

    struct Body {
        var negative: Bool
        /// All digits of the number as one integer (at most 12 digits, C3).
        var digits: UInt64
        var decimals: Int
        var unit: Range<Int>
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isUnitByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A || byte == 0x25  // a letter or %
    }

    /// Rule 4 with C3 and C4: spaces, sign, spaces, number, spaces, comma, spaces, unit,
    /// spaces, and nothing else. Each step takes the longest run it can; no later step can
    /// start with a byte an earlier one would take, so this is the rule's only reading.
    static func parseBody(_ bytes: [UInt8], from start: Int, to end: Int) -> Body? {
        var index = start
        func skipSpaces() { while index < end, bytes[index] == space { index += 1 } }
        skipSpaces()
        var negative = false
        if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        skipSpaces()
        var digits: UInt64 = 0
        var digitCount = 0
        var decimals = 0
        var seenPoint = false
        while index < end {
            let byte = bytes[index]
            if isDigit(byte) {
                digitCount += 1
                guard digitCount <= maxDigits else { return nil }
                digits = digits * 10 + UInt64(byte - 0x30)
                if seenPoint { decimals += 1 }
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else {
                break
            }
            index += 1
        }
        guard digitCount > 0 else { return nil }
        skipSpaces()
        if index < end, bytes[index] == comma { index += 1 }
        skipSpaces()
        let unitStart = index
        while index < end, isUnitByte(bytes[index]) { index += 1 }
        guard index > unitStart else { return nil }
        let unit = unitStart..<index
        skipSpaces()
        guard index == end else { return nil }
        return Body(negative: negative, digits: digits, decimals: decimals, unit: unit)
    }

    /// Rule 7: the mass units, case-insensitive; anything else is not a mass we convert.
    static func massUnit(_ name: ArraySlice<UInt8>) -> WeightUnit? {
        guard name.count <= 2 else { return nil }
        let lower = name.map { $0 | 0x20 }  // letters only here, or `%` which maps to itself
        switch lower {
        case Array("kg".utf8): return .kilogram
        case Array("g".utf8): return .gram
        case Array("t".utf8): return .tonne
        case Array("lb".utf8): return .pound
        case Array("oz".utf8): return .ounce
        default: return nil
        }
    }

    /// `digits / 10^decimals` units in milligrams, rounded to the nearest mg with halves
    /// away from zero (fact sheet 2.3), exactly: up to 12 digits times the ounce numerator
    /// needs more than 64 bits, so the product is formed at full width. Nil when the
    /// result exceeds 2^53-1 mg (C8).
    static func milligrams(digits: UInt64, decimals: Int, unit: WeightUnit) -> Int64? {
        var denominator = UInt64(unit.denominator)  // decimals <= 12: at most 10^6 * 10^12
        for _ in 0..<decimals { denominator *= 10 }
        let product = digits.multipliedFullWidth(by: UInt64(unit.numerator))
        guard product.high < denominator else { return nil }  // the quotient needs 64 bits or more
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        let maxSafe = UInt64(JSONValue.maxSafeInteger)
        guard quotient <= maxSafe else { return nil }
        let rounded = remainder >= denominator - remainder ? quotient + 1 : quotient
        guard rounded <= maxSafe else { return nil }
        return Int64(rounded)
    }
}

extension ADSTDecoder {
    /// The weight field the emulators send: sign and eight characters, kg with three
    /// decimals, e.g. `+0001.234` (rounded to the gram, halves away from zero); nil when
    /// the weight does not fit (9999.999 kg or more).
    public static func kilogramField(_ weight: Milligrams) -> String? {
        let grams = (weight.value.magnitude + 500) / 1000
        guard grams <= 9_999_999 else { return nil }
        let text = String(grams)
        let padded = String(repeating: "0", count: max(0, 7 - text.count)) + text
        let sign = weight.value < 0 && grams > 0 ? "-" : "+"
        return sign + padded.dropLast(3) + "." + padded.suffix(3)
    }

    /// One line as an A&D-style indicator sends it: `ST,GS,+0001.234kg` CR LF when stable,
    /// `US,GS,…` in motion; `OL,GS,+    .   kg` with the digits blanked (as the AD-4404
    /// does [S14]) when the weight does not fit the field.
    public static func encodeLine(_ weight: Milligrams, stable: Bool) -> [UInt8] {
        let text: String
        if let field = kilogramField(weight) {
            text = (stable ? "ST,GS," : "US,GS,") + field + "kg"
        } else {
            text = "OL,GS," + (weight.value < 0 ? "-" : "+") + "    .   kg"
        }
        return Array(text.utf8) + [cr, lf]
    }
}
