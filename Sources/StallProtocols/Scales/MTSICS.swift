import StallCore

/// Mettler Toledo MT-SICS weight replies (firmware-protocols/mt-sics/SPEC.md): the balance's
/// side of a polled exchange, `S S     100.00 g` CR LF and its relatives.
///
/// Input: the balance's replies only, as the UART delivers them, in reads of any size,
/// possibly starting mid-line, with noise between lines.
///
/// Resync rule: every LF ends a line and every line is judged on its own (SPEC 8), so after
/// any garbage decoding is back in step at the byte after the next LF. Within a line the
/// weight reply must end the line; bytes before it are garbage.
///
/// Error lines (SPEC 11): a non-empty line that is neither a frame nor a known reply is one
/// error line at the line's first byte; a line whose frame has garbage before it gives an
/// error line at the line's first byte, then the frame; bytes after the last LF are one
/// `truncated` error line at their first byte.
///
/// Bounded memory: a frame spans at most `longestFrame` bytes and must end its line, and a
/// known reply is a whole line of at most that length (SPEC 8, C1), so only the last
/// `longestFrame` + 1 bytes of a line (the 1 for the CR) can change its outcome. The decoder
/// keeps no more than twice that, trimming in bulk so each byte costs O(1) amortised.
///
/// The line is parsed from its end (the reply is anchored there); the reference decoder
/// searches from the left with regular expressions. Both find the same reply because a
/// line holds at most one (SPEC 8, C2).
public struct MTSICSDecoder: ScaleDecoder {
    public static let protocolName = "mt-sics"

    /// SPEC 8, C1: from the reply's `S` to the end of its line (CR excluded).
    public static let longestFrame = 64
    /// SPEC 8, C3: the weight value field of [S11] is 10 characters wide.
    static let longestValue = 10
    /// Bytes of the current line that can still matter: the frame window plus a CR.
    static let kept = longestFrame + 1

    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22

    /// The last bytes of the current line, at most `2 * kept`; always at least the last
    /// `kept` (or the whole line when it is shorter).
    private var lineTail: [UInt8] = []
    /// Stream offset of the current line's first byte.
    private var lineStart = 0
    /// Bytes received in the current line so far (LF excluded), including trimmed ones.
    private var lineLength = 0

    /// Bytes the decoder holds between calls; bounded by `2 * (longestFrame + 1)`.
    public var bufferedByteCount: Int { lineTail.count }

    public init() {
        lineTail.reserveCapacity(2 * Self.kept)
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        for byte in bytes {
            if byte == Self.lf {
                judgeLine(into: &out)
                lineStart += lineLength + 1
                lineLength = 0
                lineTail.removeAll(keepingCapacity: true)
            } else {
                if lineTail.count == 2 * Self.kept { lineTail.removeFirst(Self.kept) }
                lineTail.append(byte)
                lineLength += 1
            }
        }
        return out
    }

    /// Rule 1: bytes after the last LF are an incomplete line.
    public mutating func finish() -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        if lineLength > 0 { out.append(.error(.truncated, offset: lineStart)) }
        lineStart += lineLength
        lineLength = 0
        lineTail.removeAll(keepingCapacity: true)
        return out
    }

    /// Rules 1-5 on the line that just ended, with the error-line policy of SPEC 11.
    private func judgeLine(into out: inout [ScaleDecoderOutput]) {
        var end = lineTail.count
        var contentLength = lineLength
        if end > 0, lineTail[end - 1] == Self.cr {  // rule 1: drop one trailing CR
            end -= 1
            contentLength -= 1
        }
        guard contentLength > 0 else { return }  // empty line: nothing (SPEC 11)
        let windowStart = max(0, end - Self.longestFrame)
        // Content position of tail index i: contentLength - (end - i).
        func offset(ofTailIndex index: Int) -> Int { lineStart + contentLength - (end - index) }

        if let reply = Self.parseValueReply(lineTail, from: windowStart, to: end),
            reply.id == UInt8(ascii: "S"), reply.status == UInt8(ascii: "S") || reply.status == UInt8(ascii: "D")
        {
            // Rule 2 (rule 4 for the unit, C3 for the value).
            guard let unit = Self.unit(lineTail[reply.unit]) else {
                out.append(.error(.unsupportedUnit, offset: lineStart))
                return
            }
            guard let weight = Self.milligrams(lineTail[reply.value], unit: unit) else {
                out.append(.error(.badField, offset: lineStart))
                return
            }
            let frame = ScaleFrame(
                protocolName: Self.protocolName, weight: weight,
                stable: reply.status == UInt8(ascii: "S"), net: false, overload: false)
            emit(frame, at: offset(ofTailIndex: reply.idIndex), into: &out)
            return
        }
        if let index = Self.parseRangeReply(lineTail, from: windowStart, to: end) {
            // Rule 3: over or under range, both reported as overload (fact sheet 2.1).
            let frame = ScaleFrame(
                protocolName: Self.protocolName, weight: Milligrams(0), stable: false, net: false, overload: true)
            emit(frame, at: offset(ofTailIndex: index), into: &out)
            return
        }
        // Rule 5: a known reply is silent; the whole line must be in the window (C1, C4).
        if contentLength <= Self.longestFrame, Self.isKnownReply(lineTail, from: 0, to: end) { return }
        out.append(.error(.garbage, offset: lineStart))
    }

    /// A frame at `frameOffset`; garbage before it on its line is one error line first.
    private func emit(_ frame: ScaleFrame, at frameOffset: Int, into out: inout [ScaleDecoderOutput]) {
        if frameOffset > lineStart { out.append(.error(.garbage, offset: lineStart)) }
        out.append(.frame(frame, offset: frameOffset))
    }

    // MARK: - Parsing a line from its end

    struct ValueReply {
        /// Index of the reply's ID byte (`S` for a weight, `T` for a tare).
        var idIndex: Int
        var id: UInt8
        var status: UInt8
        var value: Range<Int>
        var unit: Range<Int>
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// `ID SP status SP+ value SP+ unit SP*` ending at `end`, read backwards from `end` and
    /// starting no earlier than `start`. Every step is forced (a maximal run of trailing
    /// spaces, of unit letters, of spaces, the value, of spaces, then exactly status, one
    /// space and the ID), so there is at most one such reply. ID and status are returned
    /// unchecked; value is `-?digits(.digits)?`.
    static func parseValueReply(_ bytes: [UInt8], from start: Int, to end: Int) -> ValueReply? {
        var index = end
        func skip(while predicate: (UInt8) -> Bool) -> Int {
            let before = index
            while index > start, predicate(bytes[index - 1]) { index -= 1 }
            return before - index
        }
        _ = skip { $0 == space }
        let unitEnd = index
        guard skip(while: isLetter) > 0 else { return nil }
        let unit = index..<unitEnd
        guard skip(while: { $0 == space }) > 0 else { return nil }
        let valueEnd = index
        guard skip(while: isDigit) > 0 else { return nil }
        if index > start, bytes[index - 1] == UInt8(ascii: ".") {
            index -= 1
            guard skip(while: isDigit) > 0 else { return nil }
        }
        if index > start, bytes[index - 1] == UInt8(ascii: "-") { index -= 1 }
        let value = index..<valueEnd
        guard skip(while: { $0 == space }) > 0 else { return nil }
        guard index - start >= 3, bytes[index - 2] == space else { return nil }
        return ValueReply(idIndex: index - 3, id: bytes[index - 3], status: bytes[index - 1], value: value, unit: unit)
    }

    /// Rule 3: `S SP +` or `S SP -` then spaces, ending at `end`; returns the index of `S`.
    static func parseRangeReply(_ bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        var index = end
        while index > start, bytes[index - 1] == space { index -= 1 }
        guard index - start >= 3 else { return nil }
        let sign = bytes[index - 1]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), bytes[index - 2] == space,
            bytes[index - 3] == UInt8(ascii: "S")
        else { return nil }
        return index - 3
    }

    /// Rule 5, clarification C4: the whole line `start..<end` is one of the replies that
    /// carry no weighing: `ES`/`ET`/`EL`, `S I`, `Z A|I|+|-`, `T I|+|-`,
    /// `T S <value> <unit>`, `I<1-2 digits> A "<printable, no quote>"`; trailing spaces allowed.
    static func isKnownReply(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        var trimmed = end
        while trimmed > start, bytes[trimmed - 1] == space { trimmed -= 1 }
        let length = trimmed - start
        guard length >= 2 else { return false }
        let first = bytes[start]
        let second = bytes[start + 1]
        if length == 2, first == UInt8(ascii: "E") {
            return second == UInt8(ascii: "S") || second == UInt8(ascii: "T") || second == UInt8(ascii: "L")
        }
        if length == 3, second == space {
            let status = bytes[start + 2]
            let notNow = status == UInt8(ascii: "I")
            let outOfRange = status == UInt8(ascii: "+") || status == UInt8(ascii: "-")
            switch first {
            case UInt8(ascii: "S"): return notNow
            case UInt8(ascii: "Z"): return notNow || outOfRange || status == UInt8(ascii: "A")
            case UInt8(ascii: "T"): return notNow || outOfRange
            default: return false
            }
        }
        if first == UInt8(ascii: "T") {
            guard let reply = parseValueReply(bytes, from: start, to: end) else { return false }
            return reply.idIndex == start && reply.status == UInt8(ascii: "S")
        }
        if first == UInt8(ascii: "I") {
            var index = start + 1
            while index < trimmed, index - start <= 2, isDigit(bytes[index]) { index += 1 }
            guard index > start + 1 else { return false }
            let infix = Array(" A \"".utf8)
            guard trimmed - index >= infix.count + 1, Array(bytes[index..<(index + infix.count)]) == infix else {
                return false
            }
            index += infix.count
            // Printable ASCII other than the quote, then the closing quote as the last byte.
            while index < trimmed, bytes[index] != quote {
                guard bytes[index] >= 0x20, bytes[index] <= 0x7E else { return false }
                index += 1
            }
            return index == trimmed - 1
        }
        return false
    }

    // MARK: - Units and values

    /// Rule 4: the units MT-SICS decoding accepts, case-sensitive.
    static func unit(_ name: ArraySlice<UInt8>) -> WeightUnit? {
        if name.elementsEqual("kg".utf8) { return .kilogram }
        if name.elementsEqual("g".utf8) { return .gram }
        if name.elementsEqual("mg".utf8) { return .milligram }
        if name.elementsEqual("lb".utf8) { return .pound }
        if name.elementsEqual("oz".utf8) { return .ounce }
        return nil
    }

    /// `-?digits(.digits)?` in `unit` to signed milligrams, rounded to the nearest mg with
    /// halves away from zero (fact sheet 2.3), exactly: the product of up to 10 digits and
    /// the ounce numerator needs 128 bits, so it is formed at full width. Nil when the text
    /// is wider than the 10-character field or the weight exceeds 2^53-1 mg (C3).
    static func milligrams(_ text: ArraySlice<UInt8>, unit: WeightUnit) -> Milligrams? {
        guard text.count <= longestValue else { return nil }
        var digits: UInt64 = 0
        var decimals = 0
        var negative = false
        var seenPoint = false
        for byte in text {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): seenPoint = true
            default:
                digits = digits * 10 + UInt64(byte - 0x30)  // at most 10 digits: no overflow
                if seenPoint { decimals += 1 }
            }
        }
        var denominator = UInt64(unit.denominator)  // decimals <= 8: at most 10^14
        for _ in 0..<decimals { denominator *= 10 }
        let product = digits.multipliedFullWidth(by: UInt64(unit.numerator))
        guard product.high < denominator else { return nil }  // quotient >= 2^64
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        let rounded = remainder >= denominator - remainder ? quotient + 1 : quotient
        guard rounded <= UInt64(JSONValue.maxSafeInteger) else { return nil }
        return Milligrams(negative ? -Int64(rounded) : Int64(rounded))
    }
}

extension MTSICSDecoder {
    /// `weight` in kg with 3 decimals (rounded to the gram, halves away from zero) and
    /// right-aligned in the 10-character value field of [S11], e.g. `     1.234`; nil when
    /// it does not fit (a balance answers `S +` / `S -` then).
    public static func kilogramField(_ weight: Milligrams) -> String? {
        let grams = (weight.value.magnitude + 500) / 1000
        let fraction = String(grams % 1000)
        let sign = weight.value < 0 && grams > 0 ? "-" : ""
        let text = sign + String(grams / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        guard text.count <= longestValue else { return nil }
        return String(repeating: " ", count: longestValue - text.count) + text
    }

    /// One reply line as the balance sends it: the text, then CR LF.
    public static func replyLine(_ text: String) -> [UInt8] {
        Array(text.utf8) + [cr, lf]
    }

    /// A weight reply with ID `id` (`S`, or `T` for a stored tare) and status `S` or `D`,
    /// e.g. `S S      1.234 kg` CR LF; `S +` / `S -` when the weight does not fit.
    public static func encodeWeightReply(_ weight: Milligrams, stable: Bool = true, id: String = "S") -> [UInt8] {
        guard let field = kilogramField(weight) else {
            return replyLine(id + (weight.value < 0 ? " -" : " +"))
        }
        return replyLine(id + (stable ? " S " : " D ") + field + " kg")
    }
}
