import StallCore

/// An A&D-style indicator in stream mode (firmware-protocols/ad-st/SPEC.md, section 12):
/// at every display update it sends `ST,GS,+0001.234kg` CR LF, or `US,GS,…` while the
/// weight moves, in kg with three decimals. Like the real indicators in stream mode it has
/// no command input to speak of: whatever the host sends is ignored.
public struct ADStreamEmulator: ScaleEmulator {
    public static let protocolName = ADSTDecoder.protocolName
    public init() {}

    public mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] {
        ADSTDecoder.encodeLine(reading.weight, stable: !reading.motion)
    }

    public mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] { [] }
}

/// An A&D-style instrument in command mode (SPEC.md, section 12): silent until asked. It
/// answers the weight requests `Q` (A&D balances) and `?WT` (A&D counting scales [S33]),
/// each ended by CR LF or LF alone, with one line as the stream emulator sends it.
///
/// It reads commands as lines ended by LF, dropping one CR before it. Every other line
/// gets no answer: the other families' probes (`W` + CR LF, `SI`, a line holding ENQ or
/// DC1), unknown commands and empty lines. A&D instruments answer errors with `EC,Exx`
/// lines only when the `erCd` setting of their function table asks for it, which the fact
/// sheet does not cover; this emulator models that setting off (SPEC.md 12.3). A command line longer than
/// `longestCommand` is dropped when its LF comes; the bytes beyond the limit are not kept.
public struct ADCommandEmulator: ScaleEmulator {
    public static let protocolName = ADSTDecoder.protocolName
    public static let emulatorName = "ad-st-command"
    /// Input buffer of the simulated instrument.
    static let longestCommand = 32

    private var lines = CommandLines(longest: Self.longestCommand)

    public init() {}

    public mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] { [] }

    public mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] {
        var reply: [UInt8] = []
        for line in lines.feed(bytes) {
            reply += answerCommand(line.text, overflowed: line.overflowed, showing: reading)
        }
        return reply
    }

    private func answerCommand(_ line: ArraySlice<UInt8>, overflowed: Bool, showing reading: WeighingScript.Reading) -> [UInt8] {
        guard !overflowed else { return [] }
        if line.elementsEqual("Q".utf8) || line.elementsEqual("?WT".utf8) {
            return ADSTDecoder.encodeLine(reading.weight, stable: !reading.motion)
        }
        return []
    }
}
