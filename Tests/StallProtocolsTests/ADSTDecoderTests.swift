import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Named cases for the `ad-st` decoder and its two emulators, one test per behaviour
/// (firmware-protocols/ad-st/SPEC.md; rule numbers are the fact sheet's 6.4, C1-C9 the
/// SPEC's clarifications).
@Suite struct ADSTDecoderTests {
    typealias Decoder = ADSTDecoder

    static func frames(_ outputs: [ScaleDecoderOutput]) -> [ScaleFrame] {
        outputs.compactMap { if case .frame(let frame, _) = $0 { frame } else { nil } }
    }

    static func errorOffsets(_ outputs: [ScaleDecoderOutput]) -> [Int] {
        outputs.compactMap { if case .error(_, let offset) = $0 { offset } else { nil } }
    }

    static func frame(_ weight: Int64, stable: Bool = true, net: Bool = false, overload: Bool = false) -> ScaleFrame {
        ScaleFrame(protocolName: "ad-st", weight: Milligrams(weight), stable: stable, net: net, overload: overload)
    }

    static let overloadFrame = frame(0, stable: false, overload: true)

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Decodes `input` whole, byte by byte and in random chunks, expects the same outputs
    /// from every split, and returns them.
    static func decode(_ input: [UInt8]) -> [ScaleDecoderOutput] {
        let whole = Decoder.decodeAll(input)
        for split in DecoderReplay.standardSplits {
            #expect(DecoderReplay.decode(Decoder.self, input, split: split) == whole, "\(split)")
        }
        return whole
    }

    static let kilogramLine = bytes("ST,GS,+0001.234kg\r\n")
    static let kilogramFrame = frame(1_234_000)

    // MARK: - Worked examples (SPEC 5), byte for byte

    @Test func theAD4404EighteenByteLineIsTwelvePointThreeFourKilogramsNet() {
        let line: [UInt8] = [0x53, 0x54, 0x2C, 0x4E, 0x54, 0x2C, 0x2B, 0x30, 0x30, 0x31, 0x32, 0x2E, 0x33, 0x34, 0x6B, 0x67, 0x0D, 0x0A]
        #expect(line.count == 18)
        #expect(Self.decode(line) == [.frame(Self.frame(12_340_000, net: true), offset: 0)])
    }

    @Test func theADBalanceLineWithoutHeaderTwoAndARightAlignedUnitIsGrams() {
        let line: [UInt8] = [0x53, 0x54, 0x2C, 0x2B, 0x30, 0x30, 0x31, 0x32, 0x33, 0x2E, 0x34, 0x35, 0x20, 0x20, 0x67, 0x0D, 0x0A]
        #expect(Self.decode(line) == [.frame(Self.frame(123_450), offset: 0)])
    }

    @Test func theGCComparatorLineIsAGrossWeight() {
        let line: [UInt8] = Self.bytes("ST,OK,+0001.234 kg\r\n")
        #expect(line == [0x53, 0x54, 0x2C, 0x4F, 0x4B, 0x2C, 0x2B, 0x30, 0x30, 0x30, 0x31, 0x2E, 0x32, 0x33, 0x34, 0x20, 0x6B, 0x67, 0x0D, 0x0A])
        #expect(Self.decode(line) == [.frame(Self.kilogramFrame, offset: 0)])
    }

    @Test func theCASTwentyTwoByteLineSkipsItsIDAndLampBytes() {
        // ID '1', lamp 0xC4 = bit 7, stable, gross; 13.5 kg sent as 0013.500 [S16].
        let line: [UInt8] = [0x53, 0x54, 0x2C, 0x47, 0x53, 0x2C, 0x31, 0xC4, 0x2C, 0x30, 0x30, 0x31, 0x33, 0x2E, 0x35, 0x30, 0x30, 0x20, 0x6B, 0x67, 0x0D, 0x0A]
        #expect(line.count == 22)
        #expect(Self.decode(line) == [.frame(Self.frame(13_500_000), offset: 0)])
    }

    @Test func theChineseCopyWithSpacesForZerosDecodes() {
        #expect(Self.decode(Self.bytes("ST,GS,+  4.876kg\r\n")) == [.frame(Self.frame(4_876_000), offset: 0)])
    }

    @Test func theDiniArgeoLineWithACommaBeforeTheUnitDecodes() {
        #expect(Self.decode(Self.bytes("ST,GS,  123.45,kg\r\n")) == [.frame(Self.frame(123_450_000), offset: 0)])
    }

    @Test func theHCiAnswerToQuestionWTDecodes() {
        #expect(Self.decode(Self.bytes("ST,+001.2346 kg\r\n")) == [.frame(Self.frame(1_234_600), offset: 0)])
    }

    // MARK: - Rule 1: pieces

    @Test func crLFCRAloneAndLFAloneEachEndALine() {
        let input = Self.bytes("ST,GS,+0001.234kg\r\nST,GS,+0001.234kg\rST,GS,+0001.234kg\n")
        #expect(Self.decode(input) == [
            .frame(Self.kilogramFrame, offset: 0), .frame(Self.kilogramFrame, offset: 19), .frame(Self.kilogramFrame, offset: 37),
        ])
    }

    @Test func emptyPiecesBetweenTerminatorsGiveNothing() {
        let input = Self.bytes("\r\n\r\r\n\n") + Self.kilogramLine + Self.bytes("\n\r")
        #expect(Self.decode(input) == [.frame(Self.kilogramFrame, offset: 6)])
    }

    @Test func anUnterminatedLastPieceIsTruncatedEvenWhenItWouldParse() {
        let input = Self.kilogramLine + Self.kilogramLine.dropLast(2)
        #expect(Self.decode(input) == [.frame(Self.kilogramFrame, offset: 0), .error(.truncated, offset: 19)])
    }

    // MARK: - Rule 2: the last header

    @Test func aPieceWithoutAHeaderIsOneGarbageLineAtItsFirstByte() {
        let input = Self.bytes("hello\r\n") + Self.kilogramLine
        #expect(Self.decode(input) == [.error(.garbage, offset: 0), .frame(Self.kilogramFrame, offset: 7)])
    }

    @Test func aTornLineGluedToTheNextLosesOnlyTheTornPart() {
        let input = Self.bytes("ST,GS,+00") + Self.kilogramLine
        #expect(Self.decode(input) == [.error(.garbage, offset: 0), .frame(Self.kilogramFrame, offset: 9)])
    }

    @Test func headersAreMatchedCaseSensitively() {
        #expect(Self.decode(Self.bytes("st,GS,+0001.234kg\r\n")) == [.error(.garbage, offset: 0)])
    }

    @Test func theAD4404LOHeaderIsNotDecoded() {
        #expect(Self.decode(Self.bytes("LO,GS,+    .  kg\r\n")) == [.error(.garbage, offset: 0)])
    }

    @Test func aFrameOfSixtyFourBytesIsAcceptedAndOneOfSixtyFiveIsGarbage() {
        let sixtyFour = Self.bytes("ST,GS,+0001.234kg") + [UInt8](repeating: 0x20, count: 47)
        #expect(sixtyFour.count == Decoder.longestFrame)
        #expect(Self.frames(Self.decode(sixtyFour + [0x0D])) == [Self.kilogramFrame])
        #expect(Self.decode(sixtyFour + [0x20, 0x0D]) == [.error(.garbage, offset: 0)])
    }

    @Test func aFrameAfterALongGarbageRunOnTheSamePieceIsStillFound() {
        let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 1000)
        #expect(Self.decode(junk + Self.kilogramLine) == [.error(.garbage, offset: 0), .frame(Self.kilogramFrame, offset: 1000)])
    }

    // MARK: - Rule 3: header 2 and the CAS ID/lamp field

    @Test func headerTwoNTMakesTheFrameNetAndIsOptional() {
        let input = Self.bytes("US,NT,-0000.500kg\r\nST,+0001.234kg\r\n")
        #expect(Self.frames(Self.decode(input)) == [Self.frame(-500_000, stable: false, net: true), Self.kilogramFrame])
    }

    @Test func comparatorResultsStandInTheHeaderTwoPlaceAndAreNeverNet() {
        let input = Self.bytes("ST,LO,+1kg\r\nST,OK,+1kg\r\nST,HI,+1kg\r\nST,--,+1kg\r\n")
        #expect(Self.frames(Self.decode(input)) == Array(repeating: Self.frame(1_000_000), count: 4))
    }

    @Test func anyTwoBytesBeforeACommaAreTheIDAndLampField() {
        let withHeader2: [UInt8] = Self.bytes("ST,GS,") + [0x00, 0xFF] + Self.bytes(",0001.234 kg\r\n")
        let withoutHeader2: [UInt8] = Self.bytes("ST,9") + [0x80] + Self.bytes(",0001.234 kg\r\n")
        #expect(Self.frames(Self.decode(withHeader2 + withoutHeader2)) == [Self.kilogramFrame, Self.kilogramFrame])
    }

    @Test func twoFiguresBeforeACommaAreReadAsTheIDFieldSoTheLineIsRejected() {
        #expect(Self.decode(Self.bytes("ST,GS,12,kg\r\n")) == [.error(.badField, offset: 0)])
    }

    // MARK: - Rule 4: the body

    @Test func spacesMayStandAroundTheSignAndTheUnitAndACommaBeforeTheUnit() {
        let input = Self.bytes("ST,GS,  -  1.5 kg \r\nST,GS,1.5,kg\r\nST,GS,  1.5 , kg\r\n")
        #expect(Self.frames(Self.decode(input)) == [Self.frame(-1_500_000), Self.frame(1_500_000), Self.frame(1_500_000)])
    }

    @Test func aNumberMayStartOrEndWithItsPointButNotBeAPointAlone() {
        #expect(Self.frames(Self.decode(Self.bytes("ST,GS,+12.kg\r\n"))) == [Self.frame(12_000_000)])
        #expect(Self.frames(Self.decode(Self.bytes("ST,GS,+.5kg\r\n"))) == [Self.frame(500_000)])
        #expect(Self.decode(Self.bytes("ST,GS,+.kg\r\n")) == [.error(.badField, offset: 0)])
    }

    @Test(arguments: [
        "ST,GS,+1.2.3kg", "ST,GS,+-1.2kg", "ST,GS,+0001.234", "ST,GS,+1 234kg", "ST,GS,+1.234kg5", "ST,GS,+  1.2O4kg",
        "ST,+0000000001.234kg",
    ])
    func aBodyOutsideTheGrammarIsOneBadFieldLine(_ text: String) {
        #expect(Self.decode(Self.bytes(text + "\r\n")) == [.error(.badField, offset: 0)])
    }

    @Test func twelveDigitsAreAccepted() {
        #expect(Self.frames(Self.decode(Self.bytes("ST,+000000001.234kg\r\n"))) == [Self.kilogramFrame])
    }

    // MARK: - Rule 5: OL and UL

    @Test(arguments: ["OL,GS,+    .  kg", "UL,GS,  -12.34,Kg", "OL,", "OL,+9999999E+19", "OL,-999999.9  g", "OL,TR,+0000.50kg"])
    func anOutOfRangeLineIsAnOverloadStateFrameWhateverItsBody(_ text: String) {
        #expect(Self.decode(Self.bytes(text + "\r\n")) == [.frame(Self.overloadFrame, offset: 0)])
    }

    @Test func anOutOfRangeNetLineIsNet() {
        #expect(Self.frames(Self.decode(Self.bytes("OL,NT,zz\r\n"))) == [Self.frame(0, stable: false, net: true, overload: true)])
    }

    // MARK: - Rule 6: no frame

    @Test func countAndTareLinesAreSkippedSilently() {
        let input = Self.bytes("QT,+00000123 PC\r\nST,TR,+0000.50kg\r\n") + Self.kilogramLine
        #expect(Self.decode(input) == [.frame(Self.kilogramFrame, offset: 35)])
    }

    @Test func aCountLineThatDoesNotParseIsABadField() {
        #expect(Self.decode(Self.bytes("QT,+0000x123 PC\r\n")) == [.error(.badField, offset: 0)])
    }

    @Test func garbageBeforeASilentLineIsStillReported() {
        #expect(Self.decode(Self.bytes("zzQT,+00000123 PC\r\n")) == [.error(.garbage, offset: 0)])
    }

    @Test(arguments: ["ST,+00000123 PC", "ST,+000123.4  %", "ST,+0012.345 tl", "ST,+0001.234ozt", "ST,+0061.725 ct", "ST,+0003.291mom", "zzST,+0012.345 tl"])
    func aNonMassUnitUnderAWeightHeaderIsOneUnsupportedUnitLine(_ text: String) {
        #expect(Self.decode(Self.bytes(text + "\r\n")) == [.error(.unsupportedUnit, offset: 0)])
    }

    // MARK: - Rule 7: weight frames and units

    @Test func unstableIsNotStableAndUnitsAreCaseInsensitive() {
        let input = Self.bytes("US,GS,+0001.234kg\r\nST,GS,+0001.234KG\r\nST,GS,+0001.234Kg\r\n")
        #expect(Self.frames(Self.decode(input)) == [Self.frame(1_234_000, stable: false), Self.kilogramFrame, Self.kilogramFrame])
    }

    @Test(arguments: [
        ("ST,GS,+012.345 t", Int64(12_345_000_000)),
        ("ST,+00123.45  g", 123_450),
        ("ST,+000000.50 lb", 226_796),  // 226 796.185
        ("ST,+000001.00 oz", 28_350),  // 28 349.523125
        ("ST,-000.0082  g", -8),  // -8.2
        ("ST,+00.00005  g", 0),  // 0.05
        ("ST,+0050.000 lb", 22_679_619),  // 22 679 618.5, half away from zero
        ("ST,-0050.000 lb", -22_679_619),
        ("ST,+12.34565  g", 12_346),  // 12 345.65
        ("ST,GS,-0000.000kg", 0),  // C9: minus zero is 0
        ("ST,+9007199.25474 t", 9_007_199_254_740_000),  // C8: just under 2^53 - 1
    ])
    func unitsConvertExactlyWithHalvesAwayFromZero(_ text: String, _ milligrams: Int64) {
        #expect(Self.frames(Self.decode(Self.bytes(text + "\r\n"))).map(\.weight) == [Milligrams(milligrams)])
    }

    @Test func aWeightAboveTwoToTheFiftyThreeMilligramsIsABadField() {
        #expect(Self.decode(Self.bytes("ST,+9007199.25475 t\r\n")) == [.error(.badField, offset: 0)])
        #expect(Self.decode(Self.bytes("ST,+999999999999 t\r\n")) == [.error(.badField, offset: 0)])
    }

    // MARK: - Error lines, resync and bounded memory

    @Test func everyFaultOfANoisyStreamGivesOneErrorAtItsPieceStartInEverySplit() {
        var input: [UInt8] = Self.bytes("1.234kg\r\n")  // 0: leading half line
        input += Self.kilogramLine  // 9
        input += [0x80, 0xF8, 0xFF, 0x00, 0x80, 0x0D, 0x0A]  // 28: a wrong-baud burst
        input += [0xFF, 0x00] + Self.kilogramLine  // 35: a burst glued to a frame at 37
        input += Self.bytes("aa\r\nbb\r\n")  // 56 and 60: two garbage pieces, two lines
        input += Self.bytes("ST,GS,+0001.2\r\n")  // 64: torn frame ended by CR LF
        input += Self.kilogramLine  // 79
        input += Self.bytes("ST,GS,+00")  // 98: truncated end
        let outputs = Self.decode(input)
        #expect(Self.errorOffsets(outputs) == [0, 28, 35, 56, 60, 64, 98])
        #expect(outputs.compactMap { if case .frame(_, let offset) = $0 { offset } else { nil } } == [9, 37, 79])
        #expect(outputs.last == .error(.truncated, offset: 98))
    }

    @Test func aFloodOfGarbageWithoutTerminatorKeepsTheBufferBoundedAndGivesOneErrorLine() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let chunk = (0..<61).map { _ in UInt8.random(in: 0x20...0xFF, using: &generator) }
            outputs += decoder.feed(chunk)
            #expect(decoder.bufferedByteCount <= 2 * Decoder.longestFrame)
        }
        outputs += decoder.feed(Self.kilogramLine)
        outputs += decoder.finish()
        #expect(Self.frames(outputs) == [Self.kilogramFrame])
        #expect(Self.errorOffsets(outputs) == [0])
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func anEndlessLineOfSpacesAfterAHeaderKeepsTheBufferBounded() {
        var decoder = Decoder()
        var outputs = decoder.feed(Self.bytes("ST,GS,+0001.234kg"))
        for _ in 0..<10_000 {
            outputs += decoder.feed([UInt8](repeating: 0x20, count: 100))
            #expect(decoder.bufferedByteCount <= 2 * Decoder.longestFrame)
        }
        outputs += decoder.feed([0x0D, 0x0A])
        #expect(outputs == [.error(.garbage, offset: 0)])
    }

    @Test func aFloodOfTerminatorsGivesNothingAndHoldsNothing() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        for _ in 0..<1000 { outputs += decoder.feed([0x0D, 0x0A, 0x0A, 0x0D]) }
        #expect(decoder.bufferedByteCount == 0)
        outputs += decoder.feed(Self.kilogramLine)
        #expect(outputs == [.frame(Self.kilogramFrame, offset: 4000)])
    }

    // MARK: - Encoder

    @Test func theEncoderWritesTheStreamLineRoundedToTheGram() {
        #expect(Decoder.encodeLine(Milligrams(1_234_000), stable: true) == Self.bytes("ST,GS,+0001.234kg\r\n"))
        #expect(Decoder.encodeLine(Milligrams(-308_500), stable: false) == Self.bytes("US,GS,-0000.309kg\r\n"))
        #expect(Decoder.encodeLine(Milligrams(-400), stable: true) == Self.bytes("ST,GS,+0000.000kg\r\n"))
        #expect(Decoder.encodeLine(Milligrams(9_999_999_000), stable: true) == Self.bytes("ST,GS,+9999.999kg\r\n"))
    }

    @Test func aWeightBeyondTheFieldIsSentAsAnOutOfRangeLine() {
        let line = Decoder.encodeLine(Milligrams(10_000_000_000), stable: true)
        #expect(line == Self.bytes("OL,GS,+    .   kg\r\n"))
        #expect(Self.decode(line) == [.frame(Self.overloadFrame, offset: 0)])
    }

    // MARK: - Emulators

    static let script = WeighingScript(items: [Milligrams(1_234_000), Milligrams(308_500), Milligrams(12_345_678)])

    /// The weight a reading shows on a kg display with three decimals.
    static func shown(_ reading: WeighingScript.Reading) -> ScaleFrame {
        let grams = (reading.weight.value.magnitude + 500) / 1000
        let weight = Int64(grams) * 1000 * (reading.weight.value < 0 ? -1 : 1)
        return frame(weight, stable: !reading.motion)
    }

    @Test func everyReadingOfAScriptStreamsToAFrameOfThatWeight() {
        var emulator = ADStreamEmulator()
        var bytes: [UInt8] = []
        for reading in Self.script.readings {
            let line = emulator.displayUpdate(reading)
            #expect(line.count == 19)
            bytes += line
        }
        let outputs = Self.decode(bytes)
        #expect(Self.errorOffsets(outputs).isEmpty)
        #expect(Self.frames(outputs) == Self.script.readings.map(Self.shown))
    }

    @Test func theStreamEmulatorIgnoresWhateverTheHostSends() {
        var emulator = ADStreamEmulator()
        let reading = WeighingScript.Reading(weight: Milligrams(1_000), motion: false)
        for probe in [Self.bytes("W"), Self.bytes("\r\nSI\r\n"), Self.bytes("Q\r\n"), Self.bytes("?WT\r\n"), [0x05], [0x11]] {
            #expect(emulator.hostSent(probe, showing: reading).isEmpty)
        }
        #expect(ADStreamEmulator.emulatorName == "ad-st")
    }

    @Test func theCommandEmulatorIsSilentUntilAsked() {
        var emulator = ADCommandEmulator()
        for reading in Self.script.readings { #expect(emulator.displayUpdate(reading).isEmpty) }
        #expect(ADCommandEmulator.emulatorName == "ad-st-command")
        #expect(ADCommandEmulator.protocolName == "ad-st")
    }

    /// The prober's requests, in the order and with the bytes of `ProbeRequest.standard`
    /// (StallDevices, not importable here): the 8217 `W`, the MT-SICS `CR LF SI CR LF`, the
    /// A&D `Q` and `?WT`, and the CAS ENQ (then DC1, which only follows an ACK).
    @Test func theProbeRequestsGetWhatTheInstrumentInCommandModeAnswers() {
        var emulator = ADCommandEmulator()
        let shown = WeighingScript.Reading(weight: Milligrams(2_500_000), motion: false)
        let answer = Self.bytes("ST,GS,+0002.500kg\r\n")
        // `W` waits for its line end; the MT-SICS probe's CR LF ends it: unknown, no answer.
        #expect(emulator.hostSent(Self.bytes("W"), showing: shown).isEmpty)
        #expect(emulator.hostSent(Self.bytes("\r\nSI\r\n"), showing: shown).isEmpty)
        #expect(emulator.hostSent(Self.bytes("Q\r\n"), showing: shown) == answer)
        #expect(emulator.hostSent(Self.bytes("?WT\r\n"), showing: shown) == answer)
        // ENQ gets no ACK, so a prober would never send DC1; neither byte is answered.
        #expect(emulator.hostSent([0x05], showing: shown).isEmpty)
        #expect(emulator.hostSent([0x11], showing: shown).isEmpty)
        #expect(emulator.hostSent(Self.bytes("\r\n"), showing: shown).isEmpty)
        // Empty lines get nothing; the next request is answered normally.
        #expect(emulator.hostSent(Self.bytes("\r\n\n"), showing: shown).isEmpty)
        #expect(emulator.hostSent(Self.bytes("Q\r\n"), showing: shown) == answer)
        #expect(Self.frames(Self.decode(answer)) == [Self.frame(2_500_000)])
    }

    @Test func theCommandEmulatorAcceptsLFAloneAndRequestsInPieces() {
        var emulator = ADCommandEmulator()
        let moving = WeighingScript.Reading(weight: Milligrams(-125_000), motion: true)
        let answer = Self.bytes("US,GS,-0000.125kg\r\n")
        #expect(emulator.hostSent(Self.bytes("Q\n"), showing: moving) == answer)
        #expect(emulator.hostSent(Self.bytes("?W"), showing: moving).isEmpty)
        #expect(emulator.hostSent(Self.bytes("T\r"), showing: moving).isEmpty)
        #expect(emulator.hostSent([0x0A], showing: moving) == answer)
        #expect(emulator.hostSent(Self.bytes("Q\r\nQ\r\n"), showing: moving) == answer + answer)
    }

    @Test(arguments: ["q\r\n", "QQ\r\n", "?wt\r\n", "Q \r\n", "Q\r\r\n", "WT\r\n", "SI\r\n", "EC,E01\r\n"])
    func otherCommandLinesGetNoAnswer(_ text: String) {
        var emulator = ADCommandEmulator()
        let shown = WeighingScript.Reading(weight: Milligrams(0), motion: false)
        #expect(emulator.hostSent(Self.bytes(text), showing: shown).isEmpty)
        #expect(emulator.hostSent(Self.bytes("Q\r\n"), showing: shown) == Self.bytes("ST,GS,+0000.000kg\r\n"))
    }

    @Test func anOverlongCommandLineIsDroppedAndTheInstrumentRecovers() {
        var emulator = ADCommandEmulator()
        let shown = WeighingScript.Reading(weight: Milligrams(0), motion: false)
        for _ in 0..<1000 { #expect(emulator.hostSent([UInt8](repeating: 0x51, count: 100), showing: shown).isEmpty) }
        #expect(emulator.hostSent(Self.bytes("\r\n"), showing: shown).isEmpty)
        #expect(emulator.hostSent(Self.bytes("Q\r\n"), showing: shown) == Self.bytes("ST,GS,+0000.000kg\r\n"))
    }

    @Test func everyReadingPolledFromTheCommandEmulatorDecodesToThatWeight() {
        var emulator = ADCommandEmulator()
        var bytes: [UInt8] = []
        for (index, reading) in Self.script.readings.enumerated() {
            bytes += emulator.hostSent(Self.bytes(index.isMultiple(of: 2) ? "Q\r\n" : "?WT\r\n"), showing: reading)
        }
        let outputs = Self.decode(bytes)
        #expect(Self.errorOffsets(outputs).isEmpty)
        #expect(Self.frames(outputs) == Self.script.readings.map(Self.shown))
    }

    @Test func autoDecodeChoosesADSTForAStreamedSession() {
        var emulator = ADStreamEmulator()
        let bytes = Self.script.readings.flatMap { emulator.displayUpdate($0) }
        let outputs = AutoDecode.decode(bytes, protocols: [ToledoContinuousDecoder.self, ADSTDecoder.self])
        #expect(Self.frames(outputs).count == Self.script.readings.count)
        #expect(Self.frames(outputs).allSatisfy { $0.protocolName == "ad-st" })
    }

    @Test func theSnifferIdentifiesTheStreamAfterTwoLines() {
        var emulator = ADStreamEmulator()
        var sniffer = ProtocolSniffer(protocols: [ToledoContinuousDecoder.self, ADSTDecoder.self])
        let reading = WeighingScript.Reading(weight: Milligrams(0), motion: false)
        #expect(sniffer.feed(Self.bytes("34kg\r\n") + emulator.displayUpdate(reading)) == nil)
        #expect(sniffer.feed(emulator.displayUpdate(reading)) == "ad-st")
    }
}
