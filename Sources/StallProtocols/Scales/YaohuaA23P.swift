import StallCore

/// Yaohua (耀华) XK3190 indicators in continuous output (firmware-protocols/yaohua-a23p/SPEC.md,
/// fact sheet section 8). Two layouts, sent back to back with no terminator:
///
/// - format P (A23P continuous format 4), 27 bytes: `=`, sign `0`/`-`, 7 weight characters,
///   unit `kg`/`lb`/`pc`, `;`, 7-character unit price, `;`, 7-character amount (yuan);
/// - format X (continuous format 0), 12 bytes: STX, sign `+`/`-`, 6 digits, decimals `0`–`4`,
///   XOR of bytes 1–8 as two uppercase hex characters, ETX.
///
/// The 9-byte `=` formats are deliberately not decoded (fact sheet 8.2): their reversed and
/// forward variants cannot be told apart, and a wrong guess is off by a power of ten.
///
/// Resync rule (8.4.1): hunt for `=` or STX; at `=` try format P, at STX format X. A
/// candidate is accepted only when complete and every field is valid; otherwise hunting
/// resumes at the byte after its first byte. No terminator is needed, so a frame is
/// decided as soon as its last byte arrives.
///
/// Error lines (SPEC.md section 9): a maximal run of bytes that starts no accepted frame is
/// one error line at the run's first byte; its reason is `garbage` when the run starts with
/// a byte that is neither `=` nor STX, else the first rejected candidate's reason. A
/// complete, valid `pc` frame is counting, not weighing (8.4.2): one `unsupported_unit` line
/// at its `=`, and its 27 bytes are skipped.
///
/// Stability (8.4.4): neither layout carries it, so a frame is stable when its weight equals
/// the previous frame's weight on the same stream (error lines in between do not reset
/// this); the first frame is not stable. `net` and `overload` are always false.
public struct YaohuaA23PDecoder: ScaleDecoder {
    public static let protocolName = "yaohua-a23p"

    /// Format P is the longest frame; the buffer never holds more than this.
    public static let longestFrame = priceFrameLength
    static let priceFrameLength = 27
    static let xorFrameLength = 12

    static let stx: UInt8 = 0x02
    static let etx: UInt8 = 0x03
    static let equals = UInt8(ascii: "=")
    static let semicolon = UInt8(ascii: ";")
    static let dot = UInt8(ascii: ".")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let zero = UInt8(ascii: "0")

    /// Bytes not yet decided; `buffer[0]` is at stream offset `bufferOffset`.
    private var buffer: [UInt8] = []
    private var bufferOffset = 0
    /// Start and reason of the run of rejected bytes being collected into one error line.
    private var errorRun = ErrorRun()
    /// Weight of the previous frame, for the repetition rule 8.4.4.
    private var previousWeight: Milligrams?

    /// How many received bytes wait for a decision; at most `longestFrame`.
    public var bufferedByteCount: Int { buffer.count }

    public init() {
        buffer.reserveCapacity(Self.longestFrame)
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        let fedInPlace: Void? = bytes.withContiguousStorageIfAvailable { feed(contiguous: $0, into: &out) }
        if fedInPlace == nil {
            // Storage that is not contiguous: feed it in small copies.
            var chunk: [UInt8] = []
            chunk.reserveCapacity(4096)
            for byte in bytes {
                chunk.append(byte)
                if chunk.count == 4096 {
                    chunk.withUnsafeBufferPointer { feed(contiguous: $0, into: &out) }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            chunk.withUnsafeBufferPointer { feed(contiguous: $0, into: &out) }
        }
        return out
    }

    public mutating func finish() -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        drainBuffer(atEnd: true, into: &out)
        errorRun.flush(into: &out)
        buffer.removeAll(keepingCapacity: true)
        return out
    }

    /// While undecided bytes are buffered, new bytes top the buffer up to one frame and the
    /// buffer is drained: with a whole frame's worth of bytes the candidate at its start is
    /// always decidable, so every round consumes at least one byte and the buffer never
    /// holds more than `longestFrame`. Once the buffer is empty the rest of the input is
    /// scanned where it lies, and only the undecided tail (shorter than a frame) is kept.
    private mutating func feed(contiguous input: UnsafeBufferPointer<UInt8>, into out: inout [ScaleDecoderOutput]) {
        var next = 0
        while !buffer.isEmpty, next < input.count {
            let take = min(Self.longestFrame - buffer.count, input.count - next)
            buffer.append(contentsOf: input[next..<(next + take)])
            next += take
            drainBuffer(atEnd: false, into: &out)
        }
        guard next < input.count else { return }
        let rest = UnsafeBufferPointer(rebasing: input[next...])
        let consumed = scan(rest, streamOffset: bufferOffset, atEnd: false, into: &out)
        bufferOffset += consumed
        buffer.append(contentsOf: rest[consumed...])
    }

    private mutating func drainBuffer(atEnd: Bool, into out: inout [ScaleDecoderOutput]) {
        let pending = buffer
        let consumed = pending.withUnsafeBufferPointer { scan($0, streamOffset: bufferOffset, atEnd: atEnd, into: &out) }
        buffer.removeFirst(consumed)
        bufferOffset += consumed
    }

    /// Decides candidates from the start of `bytes` (which begin at `streamOffset`) until one
    /// needs bytes that have not arrived; returns how many bytes were decided.
    private mutating func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, streamOffset: Int, atEnd: Bool, into out: inout [ScaleDecoderOutput]
    ) -> Int {
        var index = 0
        scan: while index < bytes.count {
            let first = bytes[index]
            let candidate: Candidate
            if first == Self.equals {
                candidate = Self.priceCandidate(bytes, at: index, atEnd: atEnd)
            } else if first == Self.stx {
                candidate = Self.xorCandidate(bytes, at: index, atEnd: atEnd)
            } else {
                errorRun.note(at: streamOffset + index, .garbage)
                index += 1
                continue
            }
            switch candidate {
            case .needMore:
                break scan
            case .rejected(let reason):
                errorRun.note(at: streamOffset + index, reason)
                index += 1
            case .counting:
                errorRun.flush(into: &out)
                out.append(.error(.unsupportedUnit, offset: streamOffset + index))
                index += Self.priceFrameLength
            case .weighing(let weighing, let length):
                errorRun.flush(into: &out)
                let frame = ScaleFrame(
                    protocolName: Self.protocolName, weight: weighing.weight,
                    stable: previousWeight == weighing.weight, net: false, overload: false,
                    unitPriceFenPerKg: weighing.unitPricePerKilogram, total: weighing.total)
                previousWeight = weighing.weight
                out.append(.frame(frame, offset: streamOffset + index))
                index += length
            }
        }
        return index
    }

    /// What one frame carries before the stream-level stability rule is applied.
    struct Weighing {
        var weight: Milligrams
        var unitPricePerKilogram: Fen?
        var total: Fen?
    }

    enum Candidate {
        case needMore
        case rejected(ScaleDecodeError)
        /// A complete, valid format P frame in unit `pc` (rule 8.4.2).
        case counting
        case weighing(Weighing, length: Int)
    }

    /// Format P at an `=` at `start` (rules 8.4.1 and 8.4.2). Positions are checked in order;
    /// the first invalid one names the reason, and running out of bytes before any is
    /// invalid means "wait", or `truncated` at the end of the input.
    static func priceCandidate(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, atEnd: Bool) -> Candidate {
        let available = bytes.count - start
        let ending: Candidate = atEnd ? .rejected(.truncated) : .needMore
        func byte(_ position: Int) -> UInt8? { position < available ? bytes[start + position] : nil }

        guard let sign = byte(1) else { return ending }
        guard sign == zero || sign == minus else { return .rejected(.badField) }
        switch checkNumberField(bytes, start: start + 2, count: 7, money: false) {
        case .valid: break
        case .invalid: return .rejected(.badField)
        case .incomplete: return ending
        }
        guard let unitFirst = byte(9) else { return ending }
        let unitSecond: UInt8
        switch unitFirst {
        case UInt8(ascii: "k"): unitSecond = UInt8(ascii: "g")
        case UInt8(ascii: "l"): unitSecond = UInt8(ascii: "b")
        case UInt8(ascii: "p"): unitSecond = UInt8(ascii: "c")
        default: return .rejected(.badField)
        }
        guard let second = byte(10) else { return ending }
        guard second == unitSecond else { return .rejected(.badField) }
        for separator in stride(from: 11, through: 19, by: 8) {  // the two `;` and the money fields after them
            guard let value = byte(separator) else { return ending }
            guard value == semicolon else { return .rejected(.badField) }
            switch checkNumberField(bytes, start: start + separator + 1, count: 7, money: true) {
            case .valid: break
            case .invalid: return .rejected(.badField)
            case .incomplete: return ending
            }
        }

        // Rule 8.4.2: all 27 bytes are present and valid.
        if unitFirst == UInt8(ascii: "p") { return .counting }
        let unit: WeightUnit = unitFirst == UInt8(ascii: "k") ? .kilogram : .pound
        let (digits, decimals) = decimalField(bytes, start: start + 2, count: 7)
        guard let magnitude = unit.milligrams(digits: digits, decimals: decimals) else {
            return .rejected(.badField)
        }
        let weight = sign == minus ? Milligrams(-magnitude.value) : magnitude
        let total = fen(bytes, start: start + 20)
        // Fact sheet 2.4: the price is per displayed unit; only the kg price is per kg.
        let unitPrice = unit == .kilogram ? fen(bytes, start: start + 12) : nil
        return .weighing(Weighing(weight: weight, unitPricePerKilogram: unitPrice, total: total), length: priceFrameLength)
    }

    /// Format X at an STX at `start` (rules 8.4.1 and 8.4.3), positions checked in order.
    static func xorCandidate(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, atEnd: Bool) -> Candidate {
        let available = bytes.count - start
        let ending: Candidate = atEnd ? .rejected(.truncated) : .needMore
        func byte(_ position: Int) -> UInt8? { position < available ? bytes[start + position] : nil }

        guard let sign = byte(1) else { return ending }
        guard sign == plus || sign == minus else { return .rejected(.badField) }
        var checksum = sign
        var digits: Int64 = 0
        for position in 2...7 {
            guard let value = byte(position) else { return ending }
            guard isDigit(value) else { return .rejected(.badField) }
            checksum ^= value
            digits = digits * 10 + Int64(value - zero)
        }
        guard let decimalsByte = byte(8) else { return ending }
        guard decimalsByte >= zero, decimalsByte <= zero + 4 else { return .rejected(.badField) }
        checksum ^= decimalsByte
        let (high, low) = hexCharacters(of: checksum)
        guard let sentHigh = byte(9) else { return ending }
        guard sentHigh == high else { return .rejected(.badChecksum) }
        guard let sentLow = byte(10) else { return ending }
        guard sentLow == low else { return .rejected(.badChecksum) }
        guard let terminator = byte(11) else { return ending }
        guard terminator == etx else { return .rejected(.badTerminator) }

        // Rule 8.4.3: digits / 10^decimals kg; no unit is carried, kg is assumed.
        guard let magnitude = WeightUnit.kilogram.milligrams(digits: digits, decimals: Int(decimalsByte - zero)) else {
            return .rejected(.badField)
        }
        let weight = sign == minus ? Milligrams(-magnitude.value) : magnitude
        return .weighing(Weighing(weight: weight), length: xorFrameLength)
    }

    enum FieldCheck { case valid, invalid, incomplete }

    /// `count` characters from `start`: digits with at most one `.`. In a money field (fact
    /// sheet 2.4) a digit more than two places after the point must be `0`. Checked in
    /// position order, so an invalid byte before the end of the input wins over truncation.
    static func checkNumberField(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, count: Int, money: Bool) -> FieldCheck {
        var dotIndex: Int?
        for index in start..<(start + count) {
            guard index < bytes.count else { return .incomplete }
            let value = bytes[index]
            if value == dot {
                guard dotIndex == nil else { return .invalid }
                dotIndex = index
            } else if !isDigit(value) {
                return .invalid
            } else if money, let dotIndex, index - dotIndex > 2, value != zero {
                return .invalid
            }
        }
        return .valid
    }

    /// A checked number field as all its digits `N` and the count of digits after the point.
    static func decimalField(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, count: Int) -> (digits: Int64, decimals: Int) {
        var digits: Int64 = 0
        var decimals = 0
        var seenDot = false
        for index in start..<(start + count) {
            let value = bytes[index]
            if value == dot {
                seenDot = true
            } else {
                digits = digits * 10 + Int64(value - zero)
                if seenDot { decimals += 1 }
            }
        }
        return (digits, decimals)
    }

    /// A checked 7-character money field in yuan as fen, exactly (fact sheet 2.4): extra
    /// decimals beyond two were checked to be zeros.
    static func fen(_ bytes: UnsafeBufferPointer<UInt8>, start: Int) -> Fen {
        var (digits, decimals) = decimalField(bytes, start: start, count: 7)
        while decimals < 2 {
            digits *= 10
            decimals += 1
        }
        while decimals > 2 {
            digits /= 10
            decimals -= 1
        }
        return Fen(digits)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= zero + 9 }

    /// The two uppercase hex characters format X sends for a checksum byte (fact sheet 8.2:
    /// nibble + 0x30 for 0–9, nibble + 0x37 for A–F).
    static func hexCharacters(of value: UInt8) -> (high: UInt8, low: UInt8) {
        func character(_ nibble: UInt8) -> UInt8 { nibble < 10 ? nibble + 0x30 : nibble + 0x37 }
        return (character(value >> 4), character(value & 0x0F))
    }
}

extension YaohuaA23PDecoder {
    /// The unit field of a format P frame.
    public enum PriceFrameUnit: String, Sendable {
        case kilogram = "kg"
        case pound = "lb"
        case pieces = "pc"
    }

    /// Builds a format P frame as an A23P sends it in continuous format 4: the weight
    /// `weightDigits / 10^weightDecimals` in `unit` (for `pieces`, a count with no
    /// decimals), the unit price and the amount in fen, shown as yuan with two decimals.
    /// Every value must fit its 7-character field (weights up to 7 characters including
    /// the point, money up to 9999.99 yuan).
    public static func encodePriceFrame(
        weightDigits: Int64, weightDecimals: Int, negative: Bool = false, unit: PriceFrameUnit = .kilogram,
        unitPriceFen: Int64, amountFen: Int64
    ) -> [UInt8] {
        precondition(weightDigits >= 0 && unitPriceFen >= 0 && amountFen >= 0, "fields carry no sign")
        precondition((0...5).contains(weightDecimals), "a 7-character field with a point has at most 5 decimals")
        var frame: [UInt8] = [equals, negative ? minus : zero]
        frame += fixedPointField(weightDigits, decimals: weightDecimals)
        frame += Array(unit.rawValue.utf8)
        frame.append(semicolon)
        frame += fixedPointField(unitPriceFen, decimals: 2)
        frame.append(semicolon)
        frame += fixedPointField(amountFen, decimals: 2)
        return frame
    }

    /// Builds a format X frame: STX, sign, six digits, decimals, XOR as two uppercase hex
    /// characters, ETX. `digits / 10^decimals` kg; `decimals` 0–4.
    public static func encodeXorFrame(digits: Int64, decimals: Int, negative: Bool = false) -> [UInt8] {
        precondition((0...999_999).contains(digits), "six digits")
        precondition((0...4).contains(decimals), "decimals 0-4")
        var body: [UInt8] = [negative ? minus : plus]
        body += zeroPadded(digits, width: 6)
        body.append(zero + UInt8(decimals))
        let (high, low) = hexCharacters(of: body.reduce(0, ^))
        return [stx] + body + [high, low, etx]
    }

    /// `value / 10^decimals` in exactly 7 characters, zero-padded, with a point unless
    /// `decimals` is 0: 1234 with 3 decimals is `001.234`.
    static func fixedPointField(_ value: Int64, decimals: Int) -> [UInt8] {
        guard decimals > 0 else { return zeroPadded(value, width: 7) }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        return zeroPadded(value / scale, width: 6 - decimals) + [dot] + zeroPadded(value % scale, width: decimals)
    }

    static func zeroPadded(_ value: Int64, width: Int) -> [UInt8] {
        let text = Array(String(value).utf8)
        precondition(text.count <= width, "\(value) does not fit \(width) characters")
        return [UInt8](repeating: zero, count: width - text.count) + text
    }
}
