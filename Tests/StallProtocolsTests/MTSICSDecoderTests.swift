import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Named cases for the MT-SICS decoder and emulator, one behaviour each
/// (firmware-protocols/mt-sics/SPEC.md; rule numbers are the fact sheet's 5.5).
@Suite struct MTSICSDecoderTests {
    typealias Decoder = MTSICSDecoder

    /// The New Classic example of [S11], `S S     100.00 g` CR LF, byte for byte.
    static let newClassicExample: [UInt8] = [
        0x53, 0x20, 0x53, 0x20, 0x20, 0x20, 0x20, 0x20, 0x31, 0x30, 0x30, 0x2E, 0x30, 0x30, 0x20, 0x67, 0x0D, 0x0A,
    ]
    /// 19 bytes: 1.234 kg, stable.
    static let kilogramReply = Array("S S      1.234 kg\r\n".utf8)
    static let kilogramFrame = frame(1_234_000)
    static let overloadFrame = ScaleFrame(
        protocolName: "mt-sics", weight: Milligrams(0), stable: false, net: false, overload: true)

    static func frame(_ milligrams: Int64, stable: Bool = true) -> ScaleFrame {
        ScaleFrame(protocolName: "mt-sics", weight: Milligrams(milligrams), stable: stable, net: false, overload: false)
    }

    static func frames(_ outputs: [ScaleDecoderOutput]) -> [ScaleFrame] {
        outputs.compactMap { if case .frame(let frame, _) = $0 { frame } else { nil } }
    }

    static func errorOffsets(_ outputs: [ScaleDecoderOutput]) -> [Int] {
        outputs.compactMap { if case .error(_, let offset) = $0 { offset } else { nil } }
    }

    static func decode(_ text: String) -> [ScaleDecoderOutput] {
        Decoder.decodeAll(Array(text.utf8))
    }

    // MARK: Worked examples

    @Test func theNewClassicExampleDecodesToOneHundredGrams() {
        let outputs = Decoder.decodeAll(Self.newClassicExample)
        #expect(outputs == [.frame(Self.frame(100_000), offset: 0)])
        #expect(outputs.first.map { CanonicalJSON.string($0.json) }
            == #"{"net":false,"overload":false,"protocol":"mt-sics","stable":true,"weight_mg":100000}"#)
    }

    @Test func theJaneliaNegativeReadingOfMinusPointZeroZeroEightTwoGramsIsMinusEightMilligrams() {
        #expect(Self.frames(Self.decode("S S    -0.0082 g\r\n")) == [Self.frame(-8)])
    }

    @Test(arguments: [
        ("S S      1.234 kg\r\n", Int64(1_234_000)),
        ("S S       0.50 lb\r\n", 226_796),  // 226 796.185
        ("S S       1.00 oz\r\n", 28_350),  // 28 349.523125
        ("S S   -0.0082 g\r\n", -8),  // -8.2
        ("S S   0.00005 g\r\n", 0),  // 0.05
    ])
    func theFactSheetConversionsHoldInMTSICSUnits(line: String, milligrams: Int64) {
        #expect(Self.frames(Self.decode(line)) == [Self.frame(milligrams)])
    }

    // MARK: Rule 1: lines

    @Test func aReplyEndedByLFAloneDecodes() {
        #expect(Self.frames(Self.decode("S S      1.234 kg\n")) == [Self.kilogramFrame])
    }

    @Test func bytesAfterTheLastLFAreOneTruncatedErrorAtTheirFirstByte() {
        let outputs = Decoder.decodeAll(Self.kilogramReply + Array("S S      1.2".utf8))
        #expect(outputs == [.frame(Self.kilogramFrame, offset: 0), .error(.truncated, offset: 19)])
    }

    @Test func emptyLinesAndLoneCRLFLinesProduceNothing() {
        let outputs = Decoder.decodeAll(Array("\n\r\n".utf8) + Self.kilogramReply + [0x0A])
        #expect(outputs == [.frame(Self.kilogramFrame, offset: 3)])
    }

    @Test func onlyOneCRIsDroppedSoCRCRLFSpoilsTheReply() {
        let outputs = Self.decode("S S      1.234 kg\r\r\nS S      1.234 kg\r\n")
        #expect(Self.errorOffsets(outputs) == [0])
        #expect(Self.frames(outputs) == [Self.kilogramFrame])
    }

    @Test func repliesEndedByCROnlyRunIntoOneLineWhoseLastReplyIsTheFrame() {
        let outputs = Self.decode("S S      9.999 kg\rS S      9.999 kg\rS S      1.234 kg\r\n")
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.kilogramFrame, offset: 36)])
    }

    // MARK: Rule 2: the weight reply

    @Test func statusDMeansInMotion() {
        #expect(Self.frames(Self.decode("S D      1.234 kg\r\n")) == [Self.frame(1_234_000, stable: false)])
    }

    @Test func theNumberOfSpacesBetweenFieldsDoesNotMatter() {
        let frames = Self.frames(Self.decode("S S 1.234 kg\r\nS D     1.234    kg   \r\nS S 5 g\r\n"))
        #expect(frames == [Self.kilogramFrame, Self.frame(1_234_000, stable: false), Self.frame(5_000)])
    }

    @Test func garbageBeforeTheReplyIsOneErrorAtTheLineStartThenTheFrameAtItsS() {
        let outputs = Self.decode("xyzS S      1.234 kg\r\n")
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.kilogramFrame, offset: 3)])
    }

    @Test func aTornReplyFollowedByAWholeOneOnTheSameLineKeepsTheWholeOne() {
        let outputs = Self.decode("S D      1.S S      1.234 kg\r\n")
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.kilogramFrame, offset: 11)])
    }

    @Test(arguments: [
        "S S      1.234\r\n",  // no unit
        "S S     +1.234 kg\r\n",  // plus sign
        "S S .5 kg\r\n",  // no digit before the point
        "S S 5. kg\r\n",  // no digit after the point
        "S S 1,234 kg\r\n",  // comma
        "S  S 1.234 kg\r\n",  // two spaces after the ID
        "S X 1.234 kg\r\n",  // unknown status
        "S S      1.234 kg x\r\n",  // more than spaces after the unit
        "S S1.234 kg\r\n",  // no space before the value
        "S S 1.2.3 kg\r\n",  // two points
        "S S --1 kg\r\n",  // two signs
    ])
    func aLineThatBreaksTheReplyGrammarIsOneGarbageError(line: String) {
        #expect(Self.decode(line) == [.error(.garbage, offset: 0)])
    }

    @Test func minusZeroDecodesToZero() {
        #expect(Self.frames(Self.decode("S S     -0.000 kg\r\n")) == [Self.frame(0)])
    }

    @Test func aTareReplyHasTheWeightLayoutButIsNoFrame() {
        #expect(Self.decode("T S      0.150 kg\r\n").isEmpty)
    }

    // MARK: Rule 3: S + and S -

    @Test(arguments: ["S +\r\n", "S -\r\n", "S +   \r\n", "S - \n"])
    func outOfRangeRepliesAreOverloadFramesWithoutWeight(line: String) {
        #expect(Self.decode(line) == [.frame(Self.overloadFrame, offset: 0)])
    }

    @Test func garbageBeforeSMinusIsOneErrorThenTheFrame() {
        #expect(Self.decode("ab\u{0}S -\r\n") == [.error(.garbage, offset: 0), .frame(Self.overloadFrame, offset: 3)])
    }

    @Test(arguments: ["S  +\r\n", "S + 7.000 kg\r\n", "S+\r\n"])
    func malformedRangeRepliesAreGarbage(line: String) {
        #expect(Self.decode(line) == [.error(.garbage, offset: 0)])
    }

    // MARK: Rule 4: units

    @Test(arguments: [
        ("S S   123.4567 mg\r\n", Int64(123)),
        ("S S 12.5 mg\r\n", 13),
        ("S D -12.5 mg\r\n", -13),
        ("S S     50.000 lb\r\n", 22_679_619),  // 22 679 618.5, half away from zero
        ("S S    -50.000 lb\r\n", -22_679_619),
        ("S S     -0.25 lb\r\n", -113_398),  // -113 398.0925
        ("S S      35.27 oz\r\n", 999_888),  // 999 887.680...
        ("S S  52.15050 g\r\n", 52_151),  // 52 150.5
        ("S S 9999999999 oz\r\n", 283_495_231_221_650),  // needs a 128-bit product
    ])
    func unitsConvertExactlyRoundingHalvesAwayFromZero(line: String, milligrams: Int64) {
        #expect(Self.frames(Self.decode(line)).map(\.weight) == [Milligrams(milligrams)])
    }

    @Test(arguments: ["S S         12 PCS\r\n", "S S      1.234 KG\r\n", "S S      2.505 ct\r\n", "zzS S 3 pct\r\n"])
    func aUnitOutsideTheTableIsOneUnsupportedUnitErrorAtTheLineStart(line: String) {
        #expect(Self.decode(line) == [.error(.unsupportedUnit, offset: 0)])
    }

    // MARK: Rule 5: replies that carry no weighing

    @Test func knownRepliesProduceNothing() {
        let replies = "ES\r\nET\r\nEL\r\nS I\r\nZ A\r\nZ I\r\nZ +\r\nZ -\r\nT I\r\nT +\r\nT -\r\n"
            + "T S      0.150 kg\r\nI4 A \"1234567890\"\r\nI10 A \"\"\r\nES  \r\n"
        #expect(Self.decode(replies).isEmpty)
    }

    @Test(arguments: ["XY\r\n", "xES\r\n", "I4 A \"12\"34\"\r\n", "I123 A \"1\"\r\n", "Z X\r\n", "ESS\r\n", "I4 A \"\u{1}\"\r\n"])
    func anUnknownReplyIsOneGarbageError(line: String) {
        #expect(Self.decode(line) == [.error(.garbage, offset: 0)])
    }

    @Test func everyGarbageLineIsItsOwnErrorLine() {
        let outputs = Decoder.decodeAll(Array("aa\nbb\r\n".utf8) + Self.kilogramReply + Array("cc\n".utf8))
        #expect(Self.errorOffsets(outputs) == [0, 3, 26])
        #expect(Self.frames(outputs) == [Self.kilogramFrame])
    }

    // MARK: Clarifications: lengths and range

    @Test func aReplyOfSixtyFourBytesDecodesAndOneOfSixtyFiveIsGarbage() {
        let fits = "S S" + String(repeating: " ", count: 53) + "1.234 kg\r\n"
        let tooLong = "S S" + String(repeating: " ", count: 54) + "1.234 kg\r\n"
        #expect(Self.frames(Self.decode(fits)) == [Self.kilogramFrame])
        #expect(Self.decode(tooLong) == [.error(.garbage, offset: 0)])
        #expect(Self.decode("S +" + String(repeating: " ", count: 61) + "\r\n") == [.frame(Self.overloadFrame, offset: 0)])
        #expect(Self.decode("S +" + String(repeating: " ", count: 62) + "\r\n") == [.error(.garbage, offset: 0)])
    }

    @Test func aKnownReplyMustBeAWholeLineOfAtMostSixtyFourBytes() {
        #expect(Self.decode("I4 A \"" + String(repeating: "9", count: 57) + "\"\r\n").isEmpty)
        #expect(Self.decode("I4 A \"" + String(repeating: "9", count: 58) + "\"\r\n") == [.error(.garbage, offset: 0)])
    }

    @Test func aValueWiderThanTheTenCharacterFieldIsABadField() {
        #expect(Self.frames(Self.decode("S S -12345.678 g\r\n")) == [Self.frame(-12_345_678)])
        #expect(Self.decode("S S 123456.7890 g\r\n") == [.error(.badField, offset: 0)])
    }

    @Test func aWeightBeyondTwoToTheFiftyThreeMilligramsIsABadField() {
        #expect(Self.frames(Self.decode("S S 9007199254 kg\r\n")) == [Self.frame(9_007_199_254_000_000)])
        #expect(Self.decode("S S 9007199255 kg\r\n") == [.error(.badField, offset: 0)])
    }

    // MARK: Bounded buffer and splits

    @Test func aFloodOfGarbageWithoutLFKeepsTheBufferBoundedAndTheReplyAfterItDecodes() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        var generator = SeededGenerator(seed: 7)
        var largest = 0
        for _ in 0..<2000 {
            let chunk = (0..<512).map { _ in UInt8.random(in: 0x80...0xFF, using: &generator) }
            outputs += decoder.feed(chunk)
            largest = max(largest, decoder.bufferedByteCount)
        }
        #expect(outputs.isEmpty)
        #expect(largest <= 2 * (Decoder.longestFrame + 1))
        outputs += decoder.feed(Self.kilogramReply)
        outputs += decoder.finish()
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.kilogramFrame, offset: 2000 * 512)])
    }

    @Test func anEndlessLineOfSpacesAndDigitsStaysBoundedAndEndsAsOneTruncatedError() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        for _ in 0..<10_000 {
            outputs += decoder.feed(Array("S S 1 1 1 1 1 ".utf8))
            #expect(decoder.bufferedByteCount <= 2 * (Decoder.longestFrame + 1))
        }
        outputs += decoder.finish()
        #expect(outputs == [.error(.truncated, offset: 0)])
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func everySplitOfAMixedStreamGivesTheSameOutputs() {
        var stream = Array("  1.234 kg\r\n".utf8) + Self.kilogramReply + Array("ES\r\nZ A\r\n\u{0}\u{7F}S D     -0.082 g\r\n".utf8)
        stream += [UInt8](repeating: 0xFF, count: 300) + Array("S +\r\nS S 3 PCS\r\nS S 12.5 mg\n\nS S 1".utf8)
        let whole = Decoder.decodeAll(stream)
        #expect(Self.frames(whole).count == 4)
        #expect(Self.errorOffsets(whole).count == 5)
        for split in DecoderReplay.standardSplits {
            #expect(DecoderReplay.decode(Decoder.self, stream, split: split) == whole, "\(split)")
        }
    }

    // MARK: Emulator

    static let script = WeighingScript(items: [Milligrams(1_234_000), Milligrams(250_000), Milligrams(15_872_000)])

    /// The emulator speaks kg with 3 decimals: a decoded weight is a whole number of grams
    /// within half a gram of the reading, and stable is the opposite of motion.
    static func matches(_ frame: ScaleFrame, _ reading: WeighingScript.Reading) -> Bool {
        frame.weight.value % 1000 == 0 && abs(frame.weight.value - reading.weight.value) <= 500
            && frame.stable == !reading.motion && !frame.overload && !frame.net
    }

    @Test func everyReadingPolledWithSIDecodesToItsWeightAndMotion() {
        var emulator = MTSICSEmulator()
        var decoder = Decoder()
        let readings = Self.script.readings
        #expect(readings.contains { $0.weight.value % 1000 != 0 }, "the script should exercise rounding")
        for reading in readings {
            let reply = emulator.hostSent(Array("SI\r\n".utf8), showing: reading)
            let outputs = decoder.feed(reply)
            #expect(outputs.count == 1)
            let frame = Self.frames(outputs).first
            #expect(frame.map { Self.matches($0, reading) } == true, "\(reading)")
        }
    }

    @Test func theEmulatorRoundsToTheGramHalvesAwayFromZero() {
        var emulator = MTSICSEmulator()
        let heavy = emulator.hostSent(Array("SI\r\n".utf8), showing: .init(weight: Milligrams(1_234_500), motion: false))
        let light = emulator.hostSent(Array("SI\n".utf8), showing: .init(weight: Milligrams(-1_499), motion: true))
        let tiny = emulator.hostSent(Array("SI\n".utf8), showing: .init(weight: Milligrams(-499), motion: false))
        #expect(heavy == Array("S S      1.235 kg\r\n".utf8))
        #expect(light == Array("S D     -0.001 kg\r\n".utf8))
        #expect(tiny == Array("S S      0.000 kg\r\n".utf8))
    }

    @Test func sirRepeatsTheWeightAtEveryDisplayUpdateUntilAnotherCommand() {
        var emulator = MTSICSEmulator()
        var decoder = Decoder()
        let quiet = WeighingScript.Reading(weight: Milligrams(0), motion: false)
        #expect(emulator.displayUpdate(quiet).isEmpty)
        var bytes = emulator.hostSent(Array("SIR\r\n".utf8), showing: quiet)
        for reading in Self.script.readings { bytes += emulator.displayUpdate(reading) }
        let frames = Self.frames(decoder.feed(bytes))
        #expect(frames.count == Self.script.readings.count + 1)
        #expect(zip(frames.dropFirst(), Self.script.readings).allSatisfy { Self.matches($0, $1) })
        // An unknown command leaves SIR running; @ stops it.
        #expect(emulator.hostSent(Array("W\r\n".utf8), showing: quiet) == Array("ES\r\n".utf8))
        #expect(!emulator.displayUpdate(quiet).isEmpty)
        #expect(emulator.hostSent(Array("@\r\n".utf8), showing: quiet) == Array("I4 A \"1234567890\"\r\n".utf8))
        #expect(emulator.displayUpdate(quiet).isEmpty)
        _ = emulator.hostSent(Array("SIR\r\n".utf8), showing: quiet)
        _ = emulator.hostSent(Array("SI\r\n".utf8), showing: quiet)
        #expect(emulator.displayUpdate(quiet).isEmpty)
    }

    @Test func sAnswersSIWhileInMotionAndTheStableWeightOtherwise() {
        var emulator = MTSICSEmulator()
        let moving = emulator.hostSent(Array("S\r\n".utf8), showing: .init(weight: Milligrams(700_000), motion: true))
        let still = emulator.hostSent(Array("S\r\n".utf8), showing: .init(weight: Milligrams(700_000), motion: false))
        #expect(moving == Array("S I\r\n".utf8))
        #expect(Decoder.decodeAll(moving).isEmpty)
        #expect(Self.frames(Decoder.decodeAll(still)) == [Self.frame(700_000)])
    }

    @Test func zeroTareAndResetGetTheirRepliesWhichDecodeToNothing() {
        var emulator = MTSICSEmulator()
        let shown = WeighingScript.Reading(weight: Milligrams(150_000), motion: false)
        let replies = emulator.hostSent(Array("Z\r\nT\r\n@\r\n".utf8), showing: shown)
        #expect(replies == Array("Z A\r\nT S      0.150 kg\r\nI4 A \"1234567890\"\r\n".utf8))
        #expect(Decoder.decodeAll(replies).isEmpty)
    }

    @Test func aWeightWiderThanTheFieldIsAnsweredAsOutOfRange() {
        var emulator = MTSICSEmulator()
        let over = emulator.hostSent(Array("SI\r\n".utf8), showing: .init(weight: Milligrams(1_000_000_000_000), motion: false))
        let under = emulator.hostSent(Array("SI\r\n".utf8), showing: .init(weight: Milligrams(-100_000_000_000), motion: false))
        #expect(over == Array("S +\r\n".utf8))
        #expect(under == Array("S -\r\n".utf8))
        #expect(Self.frames(Decoder.decodeAll(over + under)) == [Self.overloadFrame, Self.overloadFrame])
    }

    /// The prober's requests, in the order and with the bytes of
    /// `ProbeRequest.standard` (StallDevices, not importable here): the 8217 `W`, the
    /// MT-SICS `CR LF SI CR LF`, the A&D `Q` and `?WT`, and the CAS ENQ.
    @Test func theProbeRequestsGetWhatARealBalanceAnswers() {
        var emulator = MTSICSEmulator()
        let shown = WeighingScript.Reading(weight: Milligrams(0), motion: false)
        // `W` alone is not a line yet: the balance waits for its end.
        #expect(emulator.hostSent(Array("W".utf8), showing: shown).isEmpty)
        // The MT-SICS probe's leading CR LF ends the `W` line (ES), then SI is answered.
        let answer = emulator.hostSent(Array("\r\nSI\r\n".utf8), showing: shown)
        #expect(answer == Array("ES\r\nS S      0.000 kg\r\n".utf8))
        #expect(Decoder.decodeAll(answer) == [.frame(Self.frame(0), offset: 4)])
        #expect(emulator.hostSent(Array("Q\r\n".utf8), showing: shown) == Array("ES\r\n".utf8))
        #expect(emulator.hostSent(Array("?WT\r\n".utf8), showing: shown) == Array("ES\r\n".utf8))
        // ENQ (and DC1 after it) are bytes of a line that has not ended: no answer, so no
        // ACK for the CAS exchange; the line they start is a syntax error once it ends.
        #expect(emulator.hostSent([0x05], showing: shown).isEmpty)
        #expect(emulator.hostSent([0x11], showing: shown).isEmpty)
        #expect(emulator.hostSent(Array("\r\n".utf8), showing: shown) == Array("ES\r\n".utf8))
        // Empty lines get no answer; the next poll is answered normally.
        #expect(emulator.hostSent(Array("\r\n\n".utf8), showing: shown).isEmpty)
        #expect(emulator.hostSent(Array("SI\r\n".utf8), showing: shown) == Array("S S      0.000 kg\r\n".utf8))
    }

    @Test func aCommandArrivingInPiecesIsAnsweredOnceWhole() {
        var emulator = MTSICSEmulator()
        let shown = WeighingScript.Reading(weight: Milligrams(2_000_000), motion: true)
        #expect(emulator.hostSent(Array("S".utf8), showing: shown).isEmpty)
        #expect(emulator.hostSent(Array("I\r".utf8), showing: shown).isEmpty)
        #expect(emulator.hostSent([0x0A], showing: shown) == Array("S D      2.000 kg\r\n".utf8))
    }

    @Test func anOverlongCommandLineIsOneSyntaxErrorAndTheBalanceRecovers() {
        var emulator = MTSICSEmulator()
        let shown = WeighingScript.Reading(weight: Milligrams(0), motion: false)
        for _ in 0..<1000 { #expect(emulator.hostSent([UInt8](repeating: 0x41, count: 100), showing: shown).isEmpty) }
        #expect(emulator.hostSent(Array("\r\nSI\r\n".utf8), showing: shown) == Array("ES\r\nS S      0.000 kg\r\n".utf8))
    }

    @Test func autoDecodeChoosesMTSICSForAnEmulatedSession() {
        var emulator = MTSICSEmulator()
        var bytes: [UInt8] = []
        for reading in Self.script.readings { bytes += emulator.hostSent(Array("SI\r\n".utf8), showing: reading) }
        bytes += emulator.hostSent(Array("Z\r\nT\r\n@\r\nW\r\n".utf8), showing: Self.script.readings[0])
        let outputs = AutoDecode.decode(bytes)
        #expect(Self.frames(outputs).count == Self.script.readings.count)
        #expect(Self.frames(outputs).allSatisfy { $0.protocolName == "mt-sics" })
        #expect(Self.errorOffsets(outputs).isEmpty)
    }
}
