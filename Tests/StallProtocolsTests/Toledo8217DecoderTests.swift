import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Named cases for the Toledo 8217 decoder and emulator, one per behaviour; rule numbers
/// are those of firmware-protocols/toledo-8217/SPEC.md section 7 (fact sheet 4.5).
@Suite struct Toledo8217DecoderTests {
    typealias Decoder = Toledo8217Decoder

    /// Fact sheet 4.2: status `A` (0x41), motion.
    static let statusMotion: [UInt8] = [0x02, 0x3F, 0x41, 0x0D]
    /// Fact sheet 4.4: the reply to Odoo's `Ehello` probe.
    static let echoProbeReply: [UInt8] = [0x02, 0x45, 0x0D, 0x68, 0x65, 0x6C, 0x6C, 0x6F]
    /// SPEC.md 5.2: `01.234`, 1.234 kg gross.
    static let kilogramReply: [UInt8] = [0x02, 0x30, 0x31, 0x2E, 0x32, 0x33, 0x34, 0x0D]

    static func reply(_ content: String) -> [UInt8] { [0x02] + Array(content.utf8) + [0x0D] }

    static func frames(_ outputs: [ScaleDecoderOutput]) -> [ScaleFrame] {
        outputs.compactMap { if case .frame(let frame, _) = $0 { frame } else { nil } }
    }

    static func errorOffsets(_ outputs: [ScaleDecoderOutput]) -> [Int] {
        outputs.compactMap { if case .error(_, let offset) = $0 { offset } else { nil } }
    }

    static func weight(_ milligrams: Int64, net: Bool = false) -> ScaleFrame {
        ScaleFrame(protocolName: "toledo-8217", weight: Milligrams(milligrams), stable: true, net: net, overload: false)
    }

    static func status(net: Bool = false, overload: Bool = false) -> ScaleFrame {
        ScaleFrame(protocolName: "toledo-8217", weight: Milligrams(0), stable: false, net: net, overload: overload)
    }

    // MARK: Worked examples

    @Test func theSheetsStatusReplyDecodesAsAMotionFrameWithoutWeight() {
        #expect(Decoder.decodeAll(Self.statusMotion) == [.frame(Self.status(), offset: 0)])
    }

    @Test func theEchoProbeReplyGivesNoFrameAndItsEchoedTextIsOneGarbageLine() {
        #expect(Decoder.decodeAll(Self.echoProbeReply) == [.error(.garbage, offset: 3)])
    }

    @Test func theKilogramReplyDecodesToOnePointTwoThreeFourKilograms() {
        #expect(Decoder.decodeAll(Self.kilogramReply) == [.frame(Self.weight(1_234_000), offset: 0)])
    }

    @Test func theEncodersProduceTheWorkedExampleBytes() {
        #expect(Decoder.encodeKilogramReply(grams: 1234) == Self.kilogramReply)
        #expect(Decoder.encodeStatusReply(.motion) == Self.statusMotion)
        #expect(Decoder.encodeKilogramReply(grams: 856, net: true) == Self.reply("00.856N"))
        #expect(Decoder.encodeKilogramReply(grams: 99_999) == Self.reply("99.999"))
    }

    // MARK: Rule 1: STX, then CR within ten bytes

    @Test func aCRTenBytesAfterSTXEndsAReplyOfNineContentBytes() {
        #expect(Self.frames(Decoder.decodeAll(Self.reply("   01.234"))) == [Self.weight(1_234_000)])
    }

    @Test func aCRElevenBytesAfterSTXRejectsTheLineAsOneBadTerminator() {
        let outputs = Decoder.decodeAll(Self.reply("    01.234") + Self.statusMotion)
        #expect(outputs == [.error(.badTerminator, offset: 0), .frame(Self.status(), offset: 12)])
    }

    @Test func theFirstCREndsTheContentEvenAfterAnotherSTX() {
        let outputs = Decoder.decodeAll([0x02, 0x31] + Self.statusMotion)
        #expect(outputs == [.error(.badField, offset: 0), .frame(Self.status(), offset: 2)])
    }

    @Test func aReplyCutByTheEndOfInputIsTruncatedButTenBytesWithoutCRAreABadTerminator() {
        #expect(Decoder.decodeAll([0x02] + Array("012345678".utf8)) == [.error(.truncated, offset: 0)])
        #expect(Decoder.decodeAll([0x02] + Array("0123456789".utf8)) == [.error(.badTerminator, offset: 0)])
        #expect(Decoder.decodeAll(Self.kilogramReply + Self.kilogramReply.prefix(5)) == [.frame(Self.weight(1_234_000), offset: 0), .error(.truncated, offset: 8)])
    }

    @Test func aTornReplyLosesOnlyItselfWhetherOrNotItsWindowReachesTheNextCR() {
        let short = Decoder.decodeAll(Array(Self.kilogramReply.prefix(2)) + Self.kilogramReply)
        #expect(short == [.error(.badField, offset: 0), .frame(Self.weight(1_234_000), offset: 2)])
        let long = Decoder.decodeAll(Array(Self.kilogramReply.prefix(4)) + Self.kilogramReply)
        #expect(long == [.error(.badTerminator, offset: 0), .frame(Self.weight(1_234_000), offset: 4)])
    }

    // MARK: Rule 2: status replies

    struct StatusCase: Sendable, CustomTestStringConvertible {
        var byte: UInt8
        var net: Bool
        var overload: Bool
        var testDescription: String { "status byte \(Hex.encode([byte]))" }
    }

    @Test(arguments: [
        StatusCase(byte: 0x41, net: false, overload: false),  // motion
        StatusCase(byte: 0x42, net: false, overload: true),  // over capacity
        StatusCase(byte: 0x44, net: false, overload: false),  // under zero: not an overload
        StatusCase(byte: 0x48, net: false, overload: false),  // outside zero capture range
        StatusCase(byte: 0x50, net: false, overload: false),  // centre of zero
        StatusCase(byte: 0x60, net: true, overload: false),  // net mode
        StatusCase(byte: 0x63, net: true, overload: true),
        StatusCase(byte: 0x00, net: false, overload: false),  // bit 6 is not required
        StatusCase(byte: 0x02, net: false, overload: true),  // equal to STX, still the status byte
        StatusCase(byte: 0xE2, net: true, overload: true),  // bit 7 (parity) ignored
    ])
    func aStatusReplyReadsNetFromBitFiveAndOverloadFromBitOne(_ test: StatusCase) {
        let outputs = Decoder.decodeAll([0x02, 0x3F, test.byte, 0x0D])
        #expect(outputs == [.frame(Self.status(net: test.net, overload: test.overload), offset: 0)])
    }

    @Test func questionMarkEIsAStatusReplyNotTheEchoAcknowledgement() {
        #expect(Self.frames(Decoder.decodeAll(Self.reply("?E"))) == [Self.status()])
    }

    @Test(arguments: ["?", "?AB", " ?A"])
    func aStatusReplyNeedsExactlyOneByteAfterTheQuestionMark(_ content: String) {
        #expect(Decoder.decodeAll(Self.reply(content)) == [.error(.badField, offset: 0)])
    }

    // MARK: Rule 3: weight replies and units

    struct WeightCase: Sendable, CustomTestStringConvertible {
        var content: String
        var milligrams: Int64
        var net: Bool = false
        var testDescription: String { "`\(content)`" }
    }

    @Test(arguments: [
        WeightCase(content: "01.234", milligrams: 1_234_000),
        WeightCase(content: "01.234N", milligrams: 1_234_000, net: true),
        WeightCase(content: "001.50", milligrams: 1_500_000),  // the DIVA lb form, read as kg
        WeightCase(content: "   1.5", milligrams: 1_500_000),
        WeightCase(content: "12", milligrams: 12_000_000),
        WeightCase(content: ".5", milligrams: 500_000),
        WeightCase(content: "5.", milligrams: 5_000_000),
        WeightCase(content: "0.680kg", milligrams: 680_000),
        WeightCase(content: "680g", milligrams: 680_000),
        WeightCase(content: "680g ", milligrams: 680_000),
        WeightCase(content: "0.680 kgN", milligrams: 680_000, net: true),
        WeightCase(content: "1.25 lb N", milligrams: 566_990, net: true),  // 566 990.4625
        WeightCase(content: "0.50lb", milligrams: 226_796),  // 226 796.185
        WeightCase(content: "50.000lb", milligrams: 22_679_619),  // 22 679 618.5, half away from zero
        WeightCase(content: "1.00oz", milligrams: 28_350),  // 28 349.523125
        WeightCase(content: "35.2oz", milligrams: 997_903),  // 997 903.214
        WeightCase(content: ".0005g", milligrams: 1),  // 0.5 mg
        WeightCase(content: ".00005g", milligrams: 0),  // 0.05 mg
        WeightCase(content: "999999999", milligrams: 999_999_999_000_000),  // nine digits, no overflow
    ])
    func aWeightReplyConvertsExactlyToMilligrams(_ test: WeightCase) {
        #expect(Decoder.decodeAll(Self.reply(test.content)) == [.frame(Self.weight(test.milligrams, net: test.net), offset: 0)])
    }

    @Test(arguments: [
        "01.234 ", "01.234 N", "1.2.3", ".", "N", "1.00KG", "1.234t", "-1.234", "1 234", "1.25Nlb", "e", "0X", "lb",
    ])
    func contentMatchingNoRuleIsABadField(_ content: String) {
        #expect(Decoder.decodeAll(Self.reply(content)) == [.error(.badField, offset: 0)])
    }

    // MARK: Rule 4: acknowledgements

    @Test func theEchoAndConfidenceAcknowledgementsGiveNoOutput() {
        #expect(Decoder.decodeAll(Self.reply("E")).isEmpty)
        #expect(Decoder.decodeAll(Self.reply("")).isEmpty)
    }

    @Test func anAcknowledgementEndsAnErrorRun() {
        let outputs = Decoder.decodeAll(Array("xy".utf8) + Self.reply("E") + Array("zz".utf8) + Self.kilogramReply)
        #expect(outputs == [.error(.garbage, offset: 0), .error(.garbage, offset: 5), .frame(Self.weight(1_234_000), offset: 7)])
    }

    // MARK: Rule 5 and the error-line policy

    @Test func garbageBeforeARejectedReplyIsOneRunNamedGarbage() {
        let outputs = Decoder.decodeAll(Array("zz".utf8) + Self.reply("01.2X4") + Self.kilogramReply)
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.weight(1_234_000), offset: 10)])
    }

    @Test func twoFaultsSeparatedByAGoodReplyAreTwoErrorLines() {
        let outputs = Decoder.decodeAll(Self.reply("0X") + Self.kilogramReply + [0xFF] + Self.kilogramReply)
        #expect(Self.errorOffsets(outputs) == [0, 12])
        #expect(Self.frames(outputs).count == 2)
    }

    @Test func everySplitOfAMixedStreamGivesTheSameOutputs() {
        var stream: [UInt8] = Array(".234\r".utf8) + Self.kilogramReply + Self.echoProbeReply + Array("WW".utf8)
        stream += Self.statusMotion + Self.reply("0.50lb") + [0x02, 0x02, 0x02] + Self.reply("  680g N") + Self.reply("")
        stream += [0x02] + Array("12345678901\r".utf8) + Self.reply("?d") + [0xFF, 0x00, 0xF8, 0x80] + Array(Self.kilogramReply.prefix(4))
        let whole = Decoder.decodeAll(stream)
        #expect(Self.frames(whole).count == 5)
        #expect(Self.errorOffsets(whole) == [0, 16, 35, 50, 67])
        for split in DecoderReplay.standardSplits {
            #expect(DecoderReplay.decode(Decoder.self, stream, split: split) == whole, "\(split)")
        }
    }

    // MARK: Bounded memory

    @Test func aFloodOfGarbageKeepsNothingBufferedAndIsOneErrorLine() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        let noise: [UInt8] = [0xFF, 0x00, 0x80, 0xF8, 0x0D, 0x0A, 0x3F, 0x45]  // anything but STX
        for round in 0..<2000 {
            outputs += decoder.feed([UInt8](repeating: noise[round % noise.count], count: 64))
            #expect(decoder.bufferedByteCount == 0)
        }
        outputs += decoder.feed(Self.kilogramReply) + decoder.finish()
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.weight(1_234_000), offset: 128_000)])
    }

    @Test func aFloodOfSTXBytesKeepsTheBufferBelowOneReply() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        for _ in 0..<1000 {
            outputs += decoder.feed([UInt8](repeating: 0x02, count: 64))
            #expect(decoder.bufferedByteCount < Decoder.longestReply)
        }
        outputs += decoder.feed(Self.kilogramReply) + decoder.finish()
        #expect(outputs == [.error(.badTerminator, offset: 0), .frame(Self.weight(1_234_000), offset: 64_000)])
    }

    @Test func anEndlessLineWithoutCRKeepsTheBufferBelowOneReply() {
        var decoder = Decoder()
        var outputs = decoder.feed([0x02])
        for _ in 0..<1000 {
            outputs += decoder.feed(Array("0123456789.".utf8))
            #expect(decoder.bufferedByteCount < Decoder.longestReply)
        }
        outputs += decoder.finish()
        #expect(outputs == [.error(.badTerminator, offset: 0)])
    }

    // MARK: Emulator

    typealias Emulator = Toledo8217Emulator
    static func still(_ milligrams: Int64) -> WeighingScript.Reading { .init(weight: Milligrams(milligrams), motion: false) }

    @Test func everyReadingOfAWeighingScriptAnswersWAsTheDecoderReadsIt() {
        var emulator = Emulator()
        let script = WeighingScript(items: [Milligrams(1_234_000), Milligrams(500_000), Milligrams(12_345_000), Milligrams(99_999_000)])
        for reading in script.readings {
            #expect(emulator.displayUpdate(reading).isEmpty, "an 8217 scale never speaks unasked")
            let frames = Self.frames(Decoder.decodeAll(emulator.hostSent(Array("W".utf8), showing: reading)))
            if reading.motion {
                #expect(frames == [Self.status()])
            } else {
                #expect(frames == [Self.weight(reading.weight.value)])
            }
        }
    }

    @Test func aStableReadingIsRoundedToTheGramTheReplyCarries() {
        var emulator = Emulator()
        #expect(emulator.hostSent(Array("W".utf8), showing: Self.still(1_234_500)) == Self.reply("01.235"))
        #expect(emulator.hostSent(Array("W".utf8), showing: Self.still(1_234_499)) == Self.reply("01.234"))
        #expect(emulator.hostSent(Array("W".utf8), showing: Self.still(0)) == Self.reply("00.000"))
    }

    @Test func belowZeroAndOverCapacityAnswerWWithTheStatusForm() {
        var emulator = Emulator()
        emulator.capacity = Milligrams(15_000_000)
        #expect(emulator.hostSent(Array("W".utf8), showing: Self.still(-150_000)) == Decoder.encodeStatusReply(.underZero))
        #expect(emulator.hostSent(Array("W".utf8), showing: Self.still(15_001_000)) == Decoder.encodeStatusReply(.overCapacity))
        #expect(emulator.hostSent(Array("W".utf8), showing: Self.still(15_000_000)) == Self.reply("15.000"))
        let over = emulator.hostSent(Array("W".utf8), showing: .init(weight: Milligrams(20_000_000), motion: true))
        #expect(Self.frames(Decoder.decodeAll(over)) == [Self.status(overload: true)])
    }

    @Test func zeroTareAndClearAnswerTheStatusForm() {
        var emulator = Emulator()
        #expect(emulator.hostSent(Array("Z".utf8), showing: Self.still(0)) == [0x02, 0x3F, 0x50, 0x0D])
        #expect(emulator.hostSent(Array("T".utf8), showing: Self.still(150_000)) == [0x02, 0x3F, 0x40, 0x0D])
        #expect(emulator.hostSent(Array("C".utf8), showing: .init(weight: Milligrams(150_000), motion: true)) == Self.statusMotion)
    }

    @Test func theConfidenceTestIsAcknowledgedEmptyThenAnswersItsStatus() {
        var emulator = Emulator()
        #expect(emulator.hostSent(Array("AB".utf8), showing: Self.still(0)) == [0x02, 0x0D, 0x02, 0x3F, 0x50, 0x0D])
    }

    @Test func theEchoProbeGetsExactlyTheEightBytesOdooExpectsAndFEndsEchoMode() {
        var emulator = Emulator()
        let reading = Self.still(2_345_000)
        #expect(emulator.hostSent(Array("Ehello".utf8), showing: reading) == Self.echoProbeReply)
        #expect(emulator.echoing)
        #expect(emulator.hostSent(Array("W".utf8), showing: reading) == Array("W".utf8), "W is echoed while in echo mode")
        #expect(emulator.hostSent(Array("F".utf8), showing: reading).isEmpty)
        #expect(!emulator.echoing)
        #expect(emulator.hostSent(Array("W".utf8), showing: reading) == Self.reply("02.345"))
    }

    @Test func aRequestSplitAcrossCallsIsAnsweredAsIfWhole() {
        var emulator = Emulator()
        let reading = Self.still(0)
        var out: [UInt8] = []
        for byte in Array("Ehel".utf8) { out += emulator.hostSent([byte], showing: reading) }
        out += emulator.hostSent(Array("loFW".utf8), showing: reading)
        #expect(out == Self.echoProbeReply + Self.reply("00.000"))
    }

    @Test func theWeightProbeOfTheProberIsAnsweredWithOneFrame() {
        // ProbeRequest.standard's toledo-8217 probe is the single byte `W`.
        var emulator = Emulator()
        let answer = emulator.hostSent(Array("W".utf8), showing: Self.still(0))
        #expect(Decoder.decodeAll(answer) == [.frame(Self.weight(0), offset: 0)])
    }

    @Test(arguments: [Array("\r\nSI\r\n".utf8), Array("Q\r\n".utf8), [0x05], [0x11], [0x05, 0x11]])
    func theOtherFamiliesProbesGetNoAnswer(_ probe: [UInt8]) {
        var emulator = Emulator()
        #expect(emulator.hostSent(probe, showing: Self.still(1_000_000)).isEmpty)
        #expect(emulator.hostSent(probe, showing: .init(weight: Milligrams(1_000_000), motion: true)).isEmpty)
    }

    @Test func theADProbeQuestionWTIsAnsweredOnlyForItsOwnWAndTCommands() {
        // `?WT` CR LF: `?`, CR and LF are ignored; `W` and `T` are 8217 commands.
        var emulator = Emulator()
        let answer = emulator.hostSent(Array("?WT\r\n".utf8), showing: Self.still(1_000_000))
        #expect(answer == Self.reply("01.000") + Decoder.encodeStatusReply([]))
    }
}
