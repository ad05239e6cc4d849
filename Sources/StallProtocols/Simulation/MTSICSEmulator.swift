import StallCore

/// A Mettler balance speaking MT-SICS level 0/1 at 9600 8N1 with CR LF, weighing in kg with
/// three decimals (firmware-protocols/mt-sics/SPEC.md, section 12).
///
/// It reads commands as lines ended by LF, dropping one CR before it (CR LF is what hosts
/// send [S11]; LF alone is accepted too), skips empty lines, and answers each command line:
///
/// | command | answer |
/// |---|---|
/// | `SI` | `S S <value> kg` when stable, `S D <value> kg` in motion |
/// | `S` | `S S <value> kg` when stable, `S I` in motion (no stable value in time) |
/// | `SIR` | as `SI` now, then again at every display update until another command |
/// | `Z` | `Z A` |
/// | `T` | `T S <value> kg`, the weight shown becoming the tare |
/// | `@` | `I4 A "<serial number>"` |
/// | anything else | `ES` (syntax error), e.g. `W` + CR LF, `Q`, `?WT`, a line holding ENQ or DC1 |
///
/// A weight that does not fit the 10-character field is answered `S +` / `S -` (`T +` /
/// `T -` for a tare). There is no handshake, as in the [S12] libraries, so DC1 is an
/// ordinary byte, not XON. A command line longer than `longestCommand` is answered `ES`
/// when its LF comes; the bytes beyond the limit are not kept.
public struct MTSICSEmulator: ScaleEmulator {
    public static let protocolName = MTSICSDecoder.protocolName
    /// What `@` reports as the serial number.
    public static let serialNumber = "1234567890"
    /// Input buffer of the simulated balance.
    static let longestCommand = 64

    private var lines = CommandLines(longest: Self.longestCommand)
    /// `SIR` in force: a weight reply at every display update.
    private var repeating = false

    public init() {}

    public mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] {
        repeating ? Self.weightNow(reading) : []
    }

    public mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] {
        var reply: [UInt8] = []
        for line in lines.feed(bytes) {
            reply += answerCommand(line.text, overflowed: line.overflowed, showing: reading)
        }
        return reply
    }

    private mutating func answerCommand(_ line: ArraySlice<UInt8>, overflowed: Bool, showing reading: WeighingScript.Reading) -> [UInt8] {
        if overflowed { return MTSICSDecoder.replyLine("ES") }
        if line.isEmpty { return [] }
        func isCommand(_ name: String) -> Bool { line.elementsEqual(name.utf8) }

        if isCommand("SI") {
            repeating = false
            return Self.weightNow(reading)
        }
        if isCommand("S") {
            repeating = false
            return reading.motion ? MTSICSDecoder.replyLine("S I") : MTSICSDecoder.encodeWeightReply(reading.weight)
        }
        if isCommand("SIR") {
            repeating = true
            return Self.weightNow(reading)
        }
        if isCommand("Z") {
            repeating = false
            return MTSICSDecoder.replyLine("Z A")
        }
        if isCommand("T") {
            repeating = false
            return MTSICSDecoder.encodeWeightReply(reading.weight, id: "T")
        }
        if isCommand("@") {
            repeating = false
            return MTSICSDecoder.replyLine("I4 A \"\(Self.serialNumber)\"")
        }
        // Not a command this balance knows: a syntax error; a running SIR goes on.
        return MTSICSDecoder.replyLine("ES")
    }

    /// The `SI` answer: the weight now, `S` when stable, `D` in motion.
    static func weightNow(_ reading: WeighingScript.Reading) -> [UInt8] {
        MTSICSDecoder.encodeWeightReply(reading.weight, stable: !reading.motion)
    }
}
