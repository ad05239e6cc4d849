import StallCore

/// A CAS price scale speaking the ECR protocol at 9600 8N1 the way the CAS firmware's
/// `commErInterpreter` does (firmware-protocols/cas-dc1/SPEC.md section 6; [S20]): silent
/// until asked; ENQ is answered with ACK; the byte after the ACK is the command:
/// DC1 weight, DC2 total / weight / unit price, DC3 DC2 plus PLU; `ZE`, `TR`, `HD` (zero,
/// tare, hold keys) are answered `OK`; any other command byte gets NAK. While idle, a byte
/// other than ENQ is ignored, which is why the other families' probes (`W`, `SI`, `Q`,
/// `?WT`, CR, LF) draw no answer.
///
/// The display shows kg with three decimals (gram steps); a reading is rounded to the
/// gram. Above `capacity` the scale reports overload with the CAS `F` fill. The seller has
/// keyed in `unitPrice` per kg and called up PLU `plu`; the total is weight × unit price
/// rounded half up to the fen, and 0 for a negative weight.
public struct CASDC1Emulator: ScaleEmulator {
    public static let protocolName = CASDC1Decoder.protocolName

    static let enq: UInt8 = 0x05
    static let ack: UInt8 = 0x06
    static let nak: UInt8 = 0x15
    static let dc1: UInt8 = 0x11
    static let dc2: UInt8 = 0x12
    static let dc3: UInt8 = 0x13
    /// The most a six-character field shows with three decimals.
    static let widestDisplay: Int64 = 99_999

    /// Where the interpreter is between bytes; a request may arrive in pieces.
    enum State: Sendable, Equatable {
        case idle
        /// ACK sent: the next byte is the command.
        case acknowledged
        /// `Z`, `T` or `H` received: the next byte must be this one.
        case keyCommand(expecting: UInt8)
    }

    public var capacity: Milligrams
    public var unitPrice: Fen
    public var plu: Int64
    private(set) var state: State = .idle

    /// A 30 kg counter scale with 12.50 yuan/kg keyed in under PLU 1.
    public init() {
        self.init(capacity: Milligrams(30_000_000), unitPrice: Fen(1250), plu: 1)
    }

    public init(capacity: Milligrams, unitPrice: Fen, plu: Int64) {
        self.capacity = capacity
        self.unitPrice = unitPrice
        self.plu = plu
    }

    /// A CAS scale in ECR mode never speaks unasked.
    public mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] { [] }

    public mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] {
        var answer: [UInt8] = []
        for byte in bytes {
            switch state {
            case .idle:
                if byte == Self.enq {
                    answer.append(Self.ack)
                    state = .acknowledged
                }
            case .acknowledged:
                state = .idle
                switch byte {
                case Self.dc1: answer += CASDC1Decoder.reply([weightPayload(reading)])
                case Self.dc2: answer += CASDC1Decoder.reply(priceBlocks(reading))
                case Self.dc3: answer += CASDC1Decoder.reply(priceBlocks(reading) + [CASDC1Decoder.pluPayload(plu)])
                case UInt8(ascii: "Z"): state = .keyCommand(expecting: UInt8(ascii: "E"))
                case UInt8(ascii: "T"): state = .keyCommand(expecting: UInt8(ascii: "R"))
                case UInt8(ascii: "H"): state = .keyCommand(expecting: UInt8(ascii: "D"))
                default: answer.append(Self.nak)
                }
            case .keyCommand(let expected):
                state = .idle
                answer += byte == expected ? Array("OK".utf8) : [Self.nak]
            }
        }
        return answer
    }

    /// The reading in grams, rounded half away from zero, as the display shows it.
    static func grams(_ reading: WeighingScript.Reading) -> Int64 {
        let magnitude = (reading.weight.value.magnitude + 500) / 1000
        return reading.weight.value < 0 ? -Int64(magnitude) : Int64(magnitude)
    }

    func overloaded(_ reading: WeighingScript.Reading) -> Bool {
        let shown = Self.grams(reading)
        return shown.magnitude > Self.widestDisplay || shown * 1000 > capacity.value
    }

    func weightPayload(_ reading: WeighingScript.Reading) -> [UInt8] {
        CASDC1Decoder.weightPayload(
            displayDigits: Self.grams(reading), stable: !reading.motion, overload: overloaded(reading))
    }

    /// Total, weight and unit price blocks of a DC2 reply.
    func priceBlocks(_ reading: WeighingScript.Reading) -> [[UInt8]] {
        let grams = max(0, Self.grams(reading))
        // Fen = grams × (fen per kg) / 1000, rounded half up.
        let total = overloaded(reading) ? nil : Fen((grams * unitPrice.value * 2 + 1000) / 2000)
        return [CASDC1Decoder.pricePayload(total), weightPayload(reading), CASDC1Decoder.pricePayload(unitPrice)]
    }
}
