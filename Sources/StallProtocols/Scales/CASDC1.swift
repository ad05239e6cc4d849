import StallCore

/// The CAS ECR exchange ENQ / ACK / DC1 (DC2, DC3) that CAS price scales, Aclas and many
/// Chinese counter scales answer (firmware-protocols/cas-dc1/SPEC.md; fact sheet 7).
///
/// Input: the scale's side of the exchange only, as the UART delivers it, in reads of any
/// size: ACK/NAK bytes and replies `SOH (STX payload BCC ETX){1,3,4} EOT`.
///
/// Resync rule: ACK and NAK are skipped silently; hunt for SOH followed by STX. A candidate
/// whose blocks cannot be delimited (rule 2) is rejected and hunting resumes at the byte
/// after its SOH. A delimited reply whose content rules 3-5 refuse is skipped whole.
///
/// Error lines (SPEC.md section 10): a maximal run of bytes, ACK/NAK aside, that starts no
/// delimited reply is one error line at the run's first byte; a delimited reply that is
/// refused is one error line at its SOH.
///
/// The buffer never holds more than `longestCandidate - 1` bytes between feeds: that many
/// bytes after an SOH always decide its candidate.
public struct CASDC1Decoder: ScaleDecoder {
    public static let protocolName = "cas-dc1"

    static let soh: UInt8 = 0x01
    static let stx: UInt8 = 0x02
    static let etx: UInt8 = 0x03
    static let eot: UInt8 = 0x04
    static let ack: UInt8 = 0x06
    static let nak: UInt8 = 0x15
    static let space: UInt8 = 0x20
    static let minus: UInt8 = 0x2D
    static let point: UInt8 = 0x2E
    static let comma: UInt8 = 0x2C
    static let letterF: UInt8 = 0x46

    /// Rule 2: the ETX of a block whose STX is at p lies at p+2 ... p+20.
    static let etxReach = 2...20
    /// Rule 3: 1, 3 or 4 blocks; a fifth block cannot belong to a reply.
    static let maxBlocks = 4
    /// SOH, four blocks of STX + 18 payload bytes + BCC + ETX, EOT.
    public static let longestCandidate = 1 + maxBlocks * (1 + etxReach.upperBound) + 1
    /// SPEC.md 7, clarifications to rules 4 and 6: the most digits a field may carry, so
    /// that every accepted value is exact in milligrams / fen and below 2^53.
    static let maxWeightDigits = 8
    static let maxPriceDigits = 13
    static let maxPLUDigits = 15
    /// Input is taken in slices of this size so a huge read cannot swell the buffer.
    static let sliceSize = 4096

    /// Bytes not yet decided; `buffer[0]` is at stream offset `bufferOffset`.
    private var buffer: [UInt8] = []
    private var bufferOffset = 0
    /// Start and reason of the run of rejected bytes being collected into one error line.
    private var errorRun = ErrorRun()

    public init() {}

    /// Bytes held between feeds (at most `longestCandidate - 1`), for the bound tests.
    public var bufferedByteCount: Int { buffer.count }

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        var start = bytes.startIndex
        while start != bytes.endIndex {
            let end = bytes.index(start, offsetBy: Self.sliceSize, limitedBy: bytes.endIndex) ?? bytes.endIndex
            buffer.append(contentsOf: bytes[start..<end])
            out += drain(atEnd: false)
            start = end
        }
        return out
    }

    public mutating func finish() -> [ScaleDecoderOutput] {
        var out = drain(atEnd: true)
        errorRun.flush(into: &out)
        bufferOffset += buffer.count
        buffer.removeAll()
        return out
    }

    private mutating func drain(atEnd: Bool) -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        var index = 0
        scan: while index < buffer.count {
            let byte = buffer[index]
            // Rule 1: ACK and NAK neither start nor end an error run.
            if byte == Self.ack || byte == Self.nak {
                index += 1
                continue
            }
            guard byte == Self.soh else {
                errorRun.note(at: bufferOffset + index, .garbage)
                index += 1
                continue
            }
            switch Self.candidate(buffer, at: index, atEnd: atEnd) {
            case .needMore:
                break scan
            case .notAReply:
                errorRun.note(at: bufferOffset + index, .garbage)
                index += 1
            case .rejected(let reason):
                errorRun.note(at: bufferOffset + index, reason)
                index += 1
            case .delimited(let blocks, let end):
                errorRun.flush(into: &out)
                switch Self.decodeReply(buffer, blocks: blocks) {
                case .success(let frame): out.append(.frame(frame, offset: bufferOffset + index))
                case .failure(let reason): out.append(.error(reason, offset: bufferOffset + index))
                }
                index = end
            }
        }
        buffer.removeFirst(index)
        bufferOffset += index
        return out
    }

    // MARK: Rules 1-3: delimiting a reply

    /// A block: the STX and ETX positions; the payload is `stx + 1 ..< etx - 1`.
    struct Block {
        var stx: Int
        var etx: Int
        var payload: Range<Int> { (stx + 1)..<(etx - 1) }
    }

    enum Candidate {
        case needMore
        /// The SOH is not followed by STX.
        case notAReply
        case rejected(ScaleDecodeError)
        case delimited([Block], end: Int)
    }

    enum BlockEnd {
        case needMore
        case rejected(ScaleDecodeError)
        case etx(Int)
    }

    /// Rule 2 at the STX at `p`: the first ETX in reach whose preceding byte is a valid BCC
    /// and that is followed by STX or EOT ends the block (so a BCC equal to ETX is fine).
    static func blockEnd(_ bytes: [UInt8], stx p: Int, first: Bool, atEnd: Bool) -> BlockEnd {
        var readingA: UInt8 = 0  // XOR of bytes p+1 ... k-2
        var sawBadCheck = false
        for k in (p + etxReach.lowerBound)...(p + etxReach.upperBound) {
            guard k < bytes.count else { return atEnd ? .rejected(.truncated) : .needMore }
            if k >= p + 3 { readingA ^= bytes[k - 2] }
            guard bytes[k] == etx else { continue }
            let bcc = bytes[k - 1]
            // 7.4: reading A always; reading B (A XOR SOH) on the first block only.
            if bcc == readingA || (first && bcc == readingA ^ soh) {
                guard k + 1 < bytes.count else { return atEnd ? .rejected(.truncated) : .needMore }
                let after = bytes[k + 1]
                if after == stx || after == eot { return .etx(k) }
            } else {
                sawBadCheck = true
            }
        }
        return .rejected(sawBadCheck ? .badChecksum : .badTerminator)
    }

    /// Rules 1-3 (delimiting only) at the SOH at `start`.
    static func candidate(_ bytes: [UInt8], at start: Int, atEnd: Bool) -> Candidate {
        guard start + 1 < bytes.count else { return atEnd ? .rejected(.truncated) : .needMore }
        guard bytes[start + 1] == stx else { return .notAReply }
        var blocks: [Block] = []
        blocks.reserveCapacity(maxBlocks)
        var p = start + 1
        while true {
            switch blockEnd(bytes, stx: p, first: blocks.isEmpty, atEnd: atEnd) {
            case .needMore: return .needMore
            case .rejected(let reason): return .rejected(reason)
            case .etx(let k):
                blocks.append(Block(stx: p, etx: k))
                if bytes[k + 1] == eot { return .delimited(blocks, end: k + 2) }
                if blocks.count == maxBlocks { return .rejected(.badTerminator) }
                p = k + 1
            }
        }
    }

    // MARK: Rules 3-6: content

    /// The unit a weight block names (rule 5), with the basis of its unit price (2.4).
    enum Unit {
        case kilogram, gram, pound, ounce, jin, taiwanCatty, taiwanTael

        /// One or two ASCII letters, case-insensitive (`| 0x20` lowers a letter).
        init?(letters: ArraySlice<UInt8>) {
            guard let first = letters.first, letters.count <= 2 else { return nil }
            let second = letters.count == 2 ? letters[letters.startIndex + 1] | 0x20 : 0
            switch (first | 0x20, second) {
            case (UInt8(ascii: "k"), UInt8(ascii: "g")): self = .kilogram
            case (UInt8(ascii: "g"), 0): self = .gram
            case (UInt8(ascii: "l"), UInt8(ascii: "b")): self = .pound
            case (UInt8(ascii: "o"), UInt8(ascii: "z")): self = .ounce
            case (UInt8(ascii: "s"), UInt8(ascii: "j")): self = .jin
            case (UInt8(ascii: "t"), UInt8(ascii: "j")): self = .taiwanCatty
            case (UInt8(ascii: "t"), UInt8(ascii: "l")): self = .taiwanTael
            default: return nil
            }
        }

        var weightUnit: WeightUnit {
            switch self {
            case .kilogram: .kilogram
            case .gram: .gram
            case .pound: .pound
            case .ounce: .ounce
            case .jin: .jin
            case .taiwanCatty: .taiwanCatty
            case .taiwanTael: .taiwanTael
            }
        }

        /// Fen per kg for a unit price sent per this unit, where that is exact and its
        /// basis documented (2.4): kg as sent, 市斤 doubled, otherwise none.
        func pricePerKilogram(_ sent: Int64) -> Int64? {
            switch self {
            case .kilogram: sent
            case .jin: sent * 2
            default: nil
            }
        }
    }

    /// A value, or why content rules 3-5 refused it (`ScaleDecodeError` is not an `Error`,
    /// so `Result` does not fit).
    enum Checked<Value> {
        case success(Value)
        case failure(ScaleDecodeError)
    }

    enum WeightReading {
        /// Rule 4: STA `F` or an `F` after STA; no weight is read.
        case state
        case weight(Milligrams, stable: Bool, unit: Unit)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    static func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }

    /// Rules 4 and 5 on the weight block's payload.
    static func weight(_ bytes: [UInt8], _ payload: Range<Int>) -> Checked<WeightReading> {
        guard let status = payload.first.map({ bytes[$0] }), status == 0x53 || status == 0x55 || status == letterF else {
            return .failure(.badField)
        }
        if status == letterF || (payload.count > 1 && bytes[payload.lowerBound + 1] == letterF) {
            return .success(.state)
        }
        guard payload.count > 1, bytes[payload.lowerBound + 1] == space || bytes[payload.lowerBound + 1] == minus else {
            return .failure(.badField)
        }
        let negative = bytes[payload.lowerBound + 1] == minus
        let rest = (payload.lowerBound + 2)..<payload.upperBound
        var unitStart = rest.upperBound
        while unitStart > rest.lowerBound, isLetter(bytes[unitStart - 1]) { unitStart -= 1 }
        let letters = rest.upperBound - unitStart
        guard letters == 1 || letters == 2 else { return .failure(.badField) }
        var digits: Int64 = 0
        var digitCount = 0
        var decimals = 0
        var seenPoint = false
        for index in rest.lowerBound..<unitStart {
            let byte = bytes[index]
            if byte == space { continue }
            if byte == point {
                guard !seenPoint else { return .failure(.badField) }
                seenPoint = true
                continue
            }
            guard isDigit(byte) else { return .failure(.badField) }
            digitCount += 1
            guard digitCount <= maxWeightDigits else { return .failure(.badField) }
            digits = digits * 10 + Int64(byte - 0x30)
            if seenPoint { decimals += 1 }
        }
        guard digitCount > 0 else { return .failure(.badField) }
        guard let unit = Unit(letters: bytes[unitStart..<rest.upperBound]) else { return .failure(.unsupportedUnit) }
        guard let magnitude = unit.weightUnit.milligrams(digits: digits, decimals: decimals) else {
            return .failure(.badField)
        }
        return .success(.weight(negative ? Milligrams(-magnitude.value) : magnitude, stable: status == 0x53, unit: unit))
    }

    /// Rule 6: a price block in yuan as fen; nil when it is not a number in whole fen
    /// (the member is then omitted, e.g. the CAS `FFFFFFFF` overflow fill).
    static func price(_ bytes: [UInt8], _ payload: Range<Int>) -> Int64? {
        var whole: Int64 = 0
        var fen: Int64 = 0
        var digitCount = 0
        var decimals = 0
        var seenSeparator = false
        for index in payload {
            let byte = bytes[index]
            if byte == space { continue }
            if byte == point || byte == comma {
                guard !seenSeparator else { return nil }
                seenSeparator = true
                continue
            }
            guard isDigit(byte) else { return nil }
            digitCount += 1
            guard digitCount <= maxPriceDigits else { return nil }
            let digit = Int64(byte - 0x30)
            if !seenSeparator {
                whole = whole * 10 + digit
            } else {
                decimals += 1
                if decimals <= 2 {
                    fen = fen * 10 + digit
                } else if digit != 0 {
                    return nil  // 2.4: extra decimals only when they are zeros
                }
            }
        }
        guard digitCount > 0 else { return nil }
        if decimals == 1 { fen *= 10 }
        return whole * 100 + fen
    }

    /// Rule 6: a PLU block, digits and spaces; nil otherwise.
    static func plu(_ bytes: [UInt8], _ payload: Range<Int>) -> Int64? {
        var value: Int64 = 0
        var digitCount = 0
        for index in payload {
            let byte = bytes[index]
            if byte == space { continue }
            guard isDigit(byte) else { return nil }
            digitCount += 1
            guard digitCount <= maxPLUDigits else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return digitCount > 0 ? value : nil
    }

    /// Rules 3-6 on a delimited reply.
    static func decodeReply(_ bytes: [UInt8], blocks: [Block]) -> Checked<ScaleFrame> {
        // Rule 3: DC1 = weight; DC2 = total, weight, unit price; DC3 = DC2 + PLU.
        let weightBlock: Block
        switch blocks.count {
        case 1: weightBlock = blocks[0]
        case 3, 4: weightBlock = blocks[1]
        default: return .failure(.badField)
        }
        var frame: ScaleFrame
        var unit: Unit?
        switch weight(bytes, weightBlock.payload) {
        case .failure(let reason):
            return .failure(reason)
        case .success(.state):
            frame = ScaleFrame(protocolName: protocolName, weight: Milligrams(0), stable: false, net: false, overload: true)
        case .success(.weight(let milligrams, let stable, let weightUnit)):
            frame = ScaleFrame(protocolName: protocolName, weight: milligrams, stable: stable, net: false, overload: false)
            unit = weightUnit
        }
        if blocks.count >= 3 {
            frame.total = price(bytes, blocks[0].payload).map(Fen.init)
            // A state frame's unit is unknown (its weight block is not read): no basis.
            if let sent = price(bytes, blocks[2].payload), let perKilogram = unit?.pricePerKilogram(sent) {
                frame.unitPriceFenPerKg = Fen(perKilogram)
            }
        }
        if blocks.count == 4 {
            frame.plu = plu(bytes, blocks[3].payload)
        }
        return .success(frame)
    }
}

// MARK: - Encoding, for the emulator and tests

extension CASDC1Decoder {
    /// The BCC by reading A: XOR of the block's payload (fact sheet 7.4).
    public static func blockCheck(_ payload: some Sequence<UInt8>) -> UInt8 {
        payload.reduce(0, ^)
    }

    /// `STX payload BCC ETX`.
    public static func block(_ payload: [UInt8]) -> [UInt8] {
        [stx] + payload + [blockCheck(payload), etx]
    }

    /// `SOH block… EOT`: one payload for a DC1 reply; total, weight, unit price for DC2;
    /// and the PLU for DC3.
    public static func reply(_ payloads: [[UInt8]]) -> [UInt8] {
        [soh] + payloads.flatMap(block) + [eot]
    }

    /// A number right-aligned in `width` characters with leading spaces and at least one
    /// digit before the decimal point, as the CAS firmware prints weights and prices
    /// (`Int32sToDecStr` [S20]). Longer than `width` if the number needs it.
    public static func numberField(_ value: Int64, decimals: Int, width: Int, point: UInt8 = UInt8(ascii: ".")) -> [UInt8] {
        var digits = Array(String(value.magnitude).utf8)
        if digits.count < decimals + 1 {
            digits = [UInt8](repeating: UInt8(ascii: "0"), count: decimals + 1 - digits.count) + digits
        }
        if decimals > 0 { digits.insert(point, at: digits.count - decimals) }
        let padding = max(0, width - digits.count)
        return [UInt8](repeating: space, count: padding) + digits
    }

    /// A CAS weight payload: STA, SIGN, six-character weight, two-character unit. When
    /// `overload`, SIGN and weight become seven `F` as the CAS firmware sends them [S20].
    public static func weightPayload(
        displayDigits: Int64, decimals: Int = 3, unit: [UInt8] = Array("kg".utf8),
        stable: Bool, overload: Bool = false
    ) -> [UInt8] {
        let status = UInt8(ascii: stable ? "S" : "U")
        if overload { return [status] + [UInt8](repeating: letterF, count: 7) + unit }
        let sign = displayDigits < 0 ? minus : space
        return [status, sign] + numberField(displayDigits, decimals: decimals, width: 6) + unit
    }

    /// A price payload: yuan with two decimals in eight characters; the CAS overflow fill
    /// `FFFFFFFF` [S20] for no amount (an overloaded scale) or one that does not fit.
    public static func pricePayload(_ amount: Fen?, point: UInt8 = UInt8(ascii: ".")) -> [UInt8] {
        guard let amount, amount.value >= 0 else { return [UInt8](repeating: letterF, count: 8) }
        let field = numberField(amount.value, decimals: 2, width: 8, point: point)
        return field.count == 8 ? field : [UInt8](repeating: letterF, count: 8)
    }

    /// A PLU payload: five characters, leading spaces [S20].
    public static func pluPayload(_ plu: Int64) -> [UInt8] {
        numberField(plu, decimals: 0, width: 5)
    }
}
