import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Named cases for the CAS ENQ/ACK/DC1 decoder and emulator, one behaviour per test
/// (firmware-protocols/cas-dc1/SPEC.md; rule numbers are the fact sheet's 7.5).
@Suite struct CASDC1DecoderTests {
    typealias Decoder = CASDC1Decoder

    static let ack: UInt8 = 0x06
    static let nak: UInt8 = 0x15

    /// Fact sheet 7.4: 1.234 kg stable, BCC 0x75 by reading A.
    static let workedExample: [UInt8] = [0x01, 0x02, 0x53, 0x20, 0x20, 0x31, 0x2E, 0x32, 0x33, 0x34, 0x6B, 0x67, 0x75, 0x03, 0x04]
    /// SPEC.md 5: the DC2 reply for 1.234 kg at 12.50 yuan/kg; block BCCs 0x0D, 0x75, 0x08.
    static let workedDC2: [UInt8] = [
        0x01,
        0x02, 0x20, 0x20, 0x20, 0x31, 0x35, 0x2E, 0x34, 0x33, 0x0D, 0x03,
        0x02, 0x53, 0x20, 0x20, 0x31, 0x2E, 0x32, 0x33, 0x34, 0x6B, 0x67, 0x75, 0x03,
        0x02, 0x20, 0x20, 0x20, 0x31, 0x32, 0x2E, 0x35, 0x30, 0x08, 0x03,
        0x04,
    ]
    static let kg1234 = ScaleFrame(protocolName: "cas-dc1", weight: Milligrams(1_234_000), stable: true, net: false, overload: false)

    // MARK: helpers, written apart from the decoder's own encoder

    static func xor(_ bytes: [UInt8]) -> UInt8 { bytes.reduce(0) { $0 ^ $1 } }

    /// `STX payload BCC ETX` with the BCC given or by reading A.
    static func block(_ text: String, bcc: UInt8? = nil) -> [UInt8] {
        let payload = Array(text.utf8)
        return [0x02] + payload + [bcc ?? xor(payload), 0x03]
    }

    static func reply(_ texts: String...) -> [UInt8] {
        [0x01] + texts.flatMap { block($0) } + [0x04]
    }

    static func frames(_ outputs: [ScaleDecoderOutput]) -> [ScaleFrame] {
        outputs.compactMap { if case .frame(let frame, _) = $0 { frame } else { nil } }
    }

    static func errorOffsets(_ outputs: [ScaleDecoderOutput]) -> [Int] {
        outputs.compactMap { if case .error(_, let offset) = $0 { offset } else { nil } }
    }

    static func only(_ bytes: [UInt8]) -> ScaleFrame? {
        let outputs = Decoder.decodeAll(bytes)
        guard outputs.count == 1, case .frame(let frame, _) = outputs[0] else { return nil }
        return frame
    }

    // MARK: worked examples

    @Test func theWorkedExampleDecodesToOnePointTwoThreeFourKilogramsStable() {
        #expect(Decoder.decodeAll(Self.workedExample) == [.frame(Self.kg1234, offset: 0)])
    }

    @Test func theWorkedExampleBlockCheckIsSevenFiveAndReadingBIsSevenFour() {
        let payload = Array(Self.workedExample[2...11])
        #expect(Decoder.blockCheck(payload) == 0x75)
        #expect(Decoder.blockCheck([0x01] + payload) == 0x74)
    }

    @Test func theEncoderProducesTheWorkedExampleBytes() {
        #expect(Decoder.reply([Decoder.weightPayload(displayDigits: 1234, stable: true)]) == Self.workedExample)
        let dc2 = Decoder.reply([
            Decoder.pricePayload(Fen(1543)), Decoder.weightPayload(displayDigits: 1234, stable: true), Decoder.pricePayload(Fen(1250)),
        ])
        #expect(dc2 == Self.workedDC2)
    }

    @Test func theWorkedDC2ReplyCarriesTotalAndUnitPriceInFen() {
        var expected = Self.kg1234
        expected.total = Fen(1543)
        expected.unitPriceFenPerKg = Fen(1250)
        #expect(Self.only(Self.workedDC2) == expected)
    }

    // MARK: rule 1

    @Test func ackAndNakBytesAreSkippedSilently() {
        let outputs = Decoder.decodeAll([Self.nak, Self.ack, Self.ack] + Self.workedExample + [Self.ack, Self.nak])
        #expect(outputs == [.frame(Self.kg1234, offset: 3)])
    }

    @Test func anAckInsideAGarbageRunNeitherStartsNorEndsIt() {
        let outputs = Decoder.decodeAll(Array("ab".utf8) + [Self.ack] + Array("cd".utf8) + Self.workedExample)
        #expect(Self.errorOffsets(outputs) == [0])
        #expect(Self.frames(outputs) == [Self.kg1234])
    }

    @Test func anSOHNotFollowedBySTXIsGarbageAndTheNextSOHStartsTheReply() {
        let outputs = Decoder.decodeAll([0x01] + Self.workedExample)
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.kg1234, offset: 1)])
    }

    // MARK: rule 2

    @Test func aBlockCheckEqualToETXIsFollowedByTheRealETX() throws {
        // A total whose block check is 0x03: the block ends in two 0x03 bytes.
        let fen = try #require((0..<100_000).first { fen in
            Self.xor(Array(Self.priceText(fen).utf8)) == 0x03
        })
        let bytes = Self.reply(Self.priceText(fen), "S  1.234kg", "   12.50")
        #expect(bytes.contains([0x03, 0x03, 0x02]))
        let frame = try #require(Self.only(bytes))
        #expect(frame.total == Fen(Int64(fen)))
        #expect(frame.weight == Milligrams(1_234_000))
    }

    static func priceText(_ fen: Int) -> String {
        let text = "\(fen / 100).\(fen % 100 < 10 ? "0" : "")\(fen % 100)"
        return String(repeating: " ", count: 8 - text.count) + text
    }

    @Test func readingBIsAcceptedOnTheFirstBlockOnly() {
        var readingB = Self.workedExample
        readingB[12] = 0x74
        #expect(Self.only(readingB) == Self.kg1234)

        let firstB = [0x01] + Self.block("   15.43", bcc: 0x0D ^ 0x01) + Self.block("S  1.234kg") + Self.block("   12.50") + [0x04]
        #expect(Self.only(firstB)?.total == Fen(1543))

        let secondB = [0x01] + Self.block("   15.43") + Self.block("S  1.234kg", bcc: 0x74) + Self.block("   12.50") + [0x04]
        let outputs = Decoder.decodeAll(secondB + Self.workedExample)
        #expect(outputs == [.error(.badChecksum, offset: 0), .frame(Self.kg1234, offset: secondB.count)])
    }

    @Test func aWrongBlockCheckRejectsTheReplyAndTheNextReplyDecodes() {
        var corrupt = Self.workedExample
        corrupt[12] = 0x35
        let outputs = Decoder.decodeAll(corrupt + [Self.ack] + Self.workedExample)
        #expect(outputs == [.error(.badChecksum, offset: 0), .frame(Self.kg1234, offset: 16)])
    }

    @Test func anETXFollowedByNeitherSTXNorEOTDoesNotEndTheBlock() {
        var bytes = Self.workedExample
        bytes[14] = UInt8(ascii: "Z")
        let outputs = Decoder.decodeAll(bytes + Self.workedExample)
        #expect(outputs == [.error(.badTerminator, offset: 0), .frame(Self.kg1234, offset: 15)])
    }

    @Test func aBlockWithoutAnETXWithinReachRejectsTheReply() {
        let bytes: [UInt8] = [0x01, 0x02] + Array("S  1.234kgXXXXXXXXXXXXXXX".utf8)
        let outputs = Decoder.decodeAll(bytes + Self.workedExample)
        #expect(outputs == [.error(.badTerminator, offset: 0), .frame(Self.kg1234, offset: bytes.count)])
    }

    @Test func aFifthBlockRejectsTheReply() {
        let five = Self.reply("   15.43", "S  1.234kg", "   12.50", "   12", "   12")
        let outputs = Decoder.decodeAll(five + Self.workedExample)
        #expect(Self.errorOffsets(outputs) == [0])
        #expect(Self.frames(outputs) == [Self.kg1234])
    }

    @Test func aReplyCutByTheEndOfInputIsOneTruncatedError() {
        let outputs = Decoder.decodeAll(Self.workedExample + Self.workedExample[0..<14])
        #expect(outputs == [.frame(Self.kg1234, offset: 0), .error(.truncated, offset: 15)])
    }

    // MARK: rule 3

    @Test func aDelimitedTwoBlockReplyIsOneErrorAndDecodingGoesOnAfterItsEOT() {
        let two = Self.reply("   15.43", "S  1.234kg")
        let outputs = Decoder.decodeAll(Array("zz".utf8) + two + Self.workedExample)
        #expect(outputs == [.error(.garbage, offset: 0), .error(.badField, offset: 2), .frame(Self.kg1234, offset: 2 + two.count)])
    }

    @Test func aDC3ReplyCarriesThePLUNumber() {
        let frame = Self.only(Self.reply("   15.43", "S  1.234kg", "   12.50", "  345"))
        #expect(frame?.plu == 345)
        #expect(frame?.total == Fen(1543))
        #expect(frame?.unitPriceFenPerKg == Fen(1250))
    }

    // MARK: rule 4

    @Test func stableMotionAndSignComeFromSTAAndSIGN() {
        #expect(Self.only(Self.reply("U  1.234kg"))?.stable == false)
        #expect(Self.only(Self.reply("S- 0.150kg"))?.weight == Milligrams(-150_000))
        #expect(Self.only(Self.reply("U- 0.000kg"))?.weight == Milligrams(0))
    }

    @Test(arguments: ["SFFFFFFFkg", "UFFFFFFFkg", "F  0.000KG", "SF30.550kg"])
    func anFInSTAOrAfterItIsAnOverloadStateFrame(payload: String) {
        let frame = Self.only(Self.reply(payload))
        #expect(frame == ScaleFrame(protocolName: "cas-dc1", weight: Milligrams(0), stable: false, net: false, overload: true))
    }

    @Test(arguments: ["X  1.234kg", "S+ 1.234kg", "S 1.2.34kg", "S     .kg", "S  1.234kgs", "S  1.234", "S 123456789kg", "", "S", "S 1,234kg"])
    func aWeightBlockOutsideTheLayoutIsABadField(payload: String) {
        #expect(Decoder.decodeAll(Self.reply(payload)) == [.error(.badField, offset: 0)])
    }

    @Test func spacesInsideTheWeightAreRemovedAndEightDigitsAreAccepted() {
        #expect(Self.only(Self.reply("S 1 234  g"))?.weight == Milligrams(1_234_000))
        #expect(Self.only(Self.reply("S 12345678 g"))?.weight == Milligrams(12_345_678_000))
    }

    // MARK: rule 5 and exact conversion

    @Test(arguments: [
        ("S  1.234Kg", Int64(1_234_000)), ("S 1.234KG", 1_234_000), ("S  1234 g", 1_234_000), ("S 1234G", 1_234_000),
        ("S   2.5SJ", 1_250_000), ("S     1TJ", 600_000), ("S     1TL", 37_500), ("S  32.9TL", 1_233_750),
        ("S  0.50lb", 226_796), ("S  5.000lb", 2_267_962), ("S- 5.000lb", -2_267_962), ("S  1.00oz", 28_350),
        ("S  35.2oz", 997_903), ("S 0.0005g", 1), ("S 0.0004g", 0),
    ])
    func unitsConvertExactlyWithHalvesRoundedAwayFromZero(payload: String, milligrams: Int64) {
        #expect(Self.only(Self.reply(payload))?.weight == Milligrams(milligrams))
    }

    @Test(arguments: ["S    12pc", "S  1.234 t", "S   12PCS"])
    func aUnitThatIsNotAKnownMassGivesNoFrame(payload: String) {
        let outputs = Decoder.decodeAll(Self.reply(payload))
        #expect(Self.frames(outputs).isEmpty)
        #expect(Self.errorOffsets(outputs) == [0])
    }

    // MARK: rule 6 and money

    @Test func aCommaIsADecimalSeparatorInPrices() {
        let frame = Self.only(Self.reply("   15,43", "S  1.234kg", "   12,50"))
        #expect(frame?.total == Fen(1543))
        #expect(frame?.unitPriceFenPerKg == Fen(1250))
    }

    @Test(arguments: [
        ("      15", Int64?.some(1500)), ("    15.4", 1540), ("  15.430", 1543), ("  15.425", nil), ("FFFFFFFF", nil),
        ("        ", nil), ("   -1.00", nil), ("  1.5,43", nil), ("1234567890123", 123_456_789_012_300), ("12345678901234", nil),
    ])
    func aTotalIsExactFenOrOmitted(total: String, fen: Int64?) {
        let frame = Self.only(Self.reply(total, "S  1.234kg", "   12.50"))
        #expect(frame?.weight == Milligrams(1_234_000))
        #expect(frame?.total == fen.map(Fen.init))
    }

    @Test func aUnitPricePerJinIsDoubledToPerKilogram() {
        let frame = Self.only(Self.reply("   15.43", "S 2.468SJ", "    6.25"))
        #expect(frame?.weight == Milligrams(1_234_000))
        #expect(frame?.unitPriceFenPerKg == Fen(1250))
    }

    @Test(arguments: ["S  2.50lb", "S 2.057TJ", "S  1234 g", "S  35.2oz", "S  32.9TL"])
    func aUnitPriceInAnotherUnitIsOmittedButTheTotalKept(weight: String) {
        let frame = Self.only(Self.reply("   15.00", weight, "    6.00"))
        #expect(frame?.total == Fen(1500))
        #expect(frame?.unitPriceFenPerKg == nil)
    }

    @Test func anOverloadedDC2KeepsANumericTotalButNoUnitPrice() {
        let frame = Self.only(Self.reply("    0.00", "UFFFFFFFkg", "   12.50"))
        #expect(frame?.overload == true)
        #expect(frame?.total == Fen(0))
        #expect(frame?.unitPriceFenPerKg == nil)
    }

    @Test func aPLUWithALetterIsOmitted() {
        let frame = Self.only(Self.reply("   15.43", "S  1.234kg", "   12.50", "  3A5"))
        #expect(frame != nil)
        #expect(frame?.plu == nil)
    }

    // MARK: resync, splits and the buffer bound

    @Test func garbageTornAndCorruptRepliesGiveOneErrorLineEachAtTheirStart() {
        var corrupt = Self.workedExample
        corrupt[12] ^= 0x40
        var stream: [UInt8] = []
        var expectedErrors: [Int] = []
        func good() { stream += [Self.ack] + Self.workedExample }
        func bad(_ bytes: [UInt8], errorAt offsetInBytes: Int = 0) {
            expectedErrors.append(stream.count + offsetInBytes)
            stream += bytes
        }
        bad(Array(Self.workedExample[7...]))           // a leading half reply
        good()
        bad(Array("noise".utf8) + [0x00])               // garbage
        good()
        bad([Self.ack] + corrupt, errorAt: 1)           // a corrupt BCC, the run starts at its SOH
        good()
        bad(Array(Self.workedExample[0..<9]))           // a torn reply
        good()
        bad([0xFF, 0x00, 0x80, 0xF8, 0xFF])             // a wrong-baud burst
        good()
        bad(Array(Self.workedExample[0..<11]))          // cut by the end of input
        let outputs = Decoder.decodeAll(stream)
        #expect(Self.errorOffsets(outputs) == expectedErrors)
        #expect(Self.frames(outputs) == [ScaleFrame](repeating: Self.kg1234, count: 5))
        for split in DecoderReplay.standardSplits {
            #expect(DecoderReplay.decode(Decoder.self, stream, split: split) == outputs, "\(split)")
        }
    }

    @Test func aFloodOfGarbageKeepsTheBufferBoundedAndYieldsOneErrorLine() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            // Random bytes with many SOH STX pairs, none of which can be delimited.
            let chunk = (0..<64).map { _ in [0x01, 0x02, 0x41, 0x53, 0x20][Int.random(in: 0..<5, using: &generator)] as UInt8 }
            outputs += decoder.feed(chunk)
            #expect(decoder.bufferedByteCount < Decoder.longestCandidate)
        }
        // More than an ETX's reach of plain garbage, so no candidate in the flood's tail can
        // reach the reply's ETX.
        outputs += decoder.feed([UInt8](repeating: UInt8(ascii: "x"), count: 24) + Self.workedExample)
        outputs += decoder.finish()
        #expect(Self.frames(outputs) == [Self.kg1234])
        #expect(Self.errorOffsets(outputs) == [0])
    }

    @Test func anEndlessUnterminatedReplyKeepsTheBufferBounded() {
        var decoder = Decoder()
        var outputs = decoder.feed([0x01, 0x02] + Array("S  1.234kg".utf8))
        for _ in 0..<1000 {
            outputs += decoder.feed([UInt8](repeating: UInt8(ascii: "9"), count: 100))
            #expect(decoder.bufferedByteCount < Decoder.longestCandidate)
        }
        outputs += decoder.feed(Self.workedExample) + decoder.finish()
        #expect(Self.errorOffsets(outputs) == [0])
        #expect(Self.frames(outputs) == [Self.kg1234])
    }

    @Test func oneHugeFeedIsTakenInSlicesAndLeavesLittleBuffered() {
        var decoder = Decoder()
        let polled: [UInt8] = [Self.ack] + Self.workedExample
        let stream: [UInt8] = (0..<5000).flatMap { _ in polled } + [0x01, 0x02]
        let outputs = decoder.feed(stream)
        #expect(Self.frames(outputs).count == 5000)
        #expect(decoder.bufferedByteCount == 2)
        #expect(decoder.finish() == [.error(.truncated, offset: stream.count - 2)])
    }

    // MARK: emulator

    static let enq: UInt8 = 0x05
    static let dc1: UInt8 = 0x11
    static let dc2: UInt8 = 0x12
    static let dc3: UInt8 = 0x13
    static let still = WeighingScript.Reading(weight: Milligrams(1_234_000), motion: false)

    /// ENQ, then the command once the ACK came; returns the reply after the ACK.
    static func poll(_ emulator: inout CASDC1Emulator, _ command: UInt8, _ reading: WeighingScript.Reading) -> [UInt8]? {
        guard emulator.hostSent([enq], showing: reading) == [ack] else { return nil }
        return emulator.hostSent([command], showing: reading)
    }

    @Test func everyReadingOfAWeighingScriptRoundTripsThroughTheEmulator() throws {
        var emulator = CASDC1Emulator()
        let script = WeighingScript(items: [Milligrams(1_234_000), Milligrams(856_000), Milligrams(12_500_500), Milligrams(29_999_000)])
        for reading in script.readings {
            #expect(emulator.displayUpdate(reading).isEmpty)
            let answer = try #require(Self.poll(&emulator, Self.dc1, reading))
            let frame = try #require(Self.only(answer))
            // The display shows whole grams: the reading rounded half away from zero.
            let grams = (reading.weight.value + 500) / 1000
            #expect(frame.weight == Milligrams(grams * 1000))
            #expect(frame.stable == !reading.motion)
            #expect(frame.overload == false)
        }
    }

    @Test func theEmulatorsDC2AndDC3RepliesCarryTheKeyedInPriceAndPLU() throws {
        var emulator = CASDC1Emulator()
        let dc2 = try #require(Self.poll(&emulator, Self.dc2, Self.still))
        #expect(dc2 == Self.workedDC2)
        let dc3 = try #require(Self.poll(&emulator, Self.dc3, Self.still))
        let frame = try #require(Self.only(dc3))
        #expect(frame.total == Fen(1543))
        #expect(frame.unitPriceFenPerKg == Fen(1250))
        #expect(frame.plu == 1)
        var dearer = CASDC1Emulator(capacity: Milligrams(15_000_000), unitPrice: Fen(39800), plu: 7)
        let dried = WeighingScript.Reading(weight: Milligrams(1_999_000), motion: false)
        let reply = try #require(Self.poll(&dearer, Self.dc3, dried))
        #expect(Self.only(reply)?.total == Fen(79560))  // 795.602 yuan -> 795.60
        #expect(Self.only(reply)?.plu == 7)
    }

    @Test func aNegativeReadingHasAMinusSignAndAZeroTotal() throws {
        var emulator = CASDC1Emulator()
        let below = WeighingScript.Reading(weight: Milligrams(-150_000), motion: false)
        let answer = try #require(Self.poll(&emulator, Self.dc2, below))
        let frame = try #require(Self.only(answer))
        #expect(frame.weight == Milligrams(-150_000))
        #expect(frame.total == Fen(0))
    }

    @Test func aReadingAboveCapacityIsReportedAsOverloadWithTheFFill() throws {
        var emulator = CASDC1Emulator()
        let heavy = WeighingScript.Reading(weight: Milligrams(30_001_000), motion: false)
        let dc1 = try #require(Self.poll(&emulator, Self.dc1, heavy))
        #expect(Array(dc1[3...9]) == Array("FFFFFFF".utf8))
        #expect(Self.only(dc1)?.overload == true)
        let dc2Answer = try #require(Self.poll(&emulator, Self.dc2, heavy))
        let dc2 = try #require(Self.only(dc2Answer))
        #expect(dc2.overload == true)
        #expect(dc2.total == nil)
    }

    @Test func theEmulatorIgnoresTheOtherFamiliesProbesAndAnswersEnquiryThenDC1() throws {
        // ProbeRequest.standard (StallDevices) in its order: toledo-8217, mt-sics, ad-st
        // twice, then the CAS exchange.
        var emulator = CASDC1Emulator()
        for probe in ["W", "\r\nSI\r\n", "Q\r\n", "?WT\r\n"] {
            #expect(emulator.hostSent(Array(probe.utf8), showing: Self.still).isEmpty, "\(probe.debugDescription)")
        }
        #expect(emulator.hostSent([Self.enq], showing: Self.still) == [Self.ack])
        #expect(emulator.hostSent([Self.dc1], showing: Self.still) == Self.workedExample)
    }

    @Test func theProtocolSnifferIdentifiesTheEmulatorFromItsAnswers() {
        var emulator = CASDC1Emulator()
        var sniffer = ProtocolSniffer(protocols: [ToledoContinuousDecoder.self, CASDC1Decoder.self])
        for probe in ["W", "\r\nSI\r\n", "Q\r\n", "?WT\r\n"] {
            #expect(sniffer.feed(emulator.hostSent(Array(probe.utf8), showing: Self.still)) == nil)
        }
        sniffer.requestSent(for: "cas-dc1")
        #expect(sniffer.feed(emulator.hostSent([Self.enq], showing: Self.still)) == nil)
        #expect(sniffer.feed(emulator.hostSent([Self.dc1], showing: Self.still)) == "cas-dc1")
        #expect(sniffer.answeredRequest("cas-dc1"))
    }

    @Test func anUnknownCommandAfterTheAckIsAnsweredWithNak() {
        var emulator = CASDC1Emulator()
        #expect(emulator.hostSent([Self.enq, UInt8(ascii: "W")], showing: Self.still) == [Self.ack, Self.nak])
        // A second ENQ where a command is due is not a command either.
        #expect(emulator.hostSent([Self.enq, Self.enq], showing: Self.still) == [Self.ack, Self.nak])
        // Idle again: the next ENQ is acknowledged.
        #expect(emulator.hostSent([Self.enq], showing: Self.still) == [Self.ack])
    }

    @Test func aRequestArrivingInPiecesIsAnsweredOnceComplete() {
        var emulator = CASDC1Emulator()
        #expect(emulator.hostSent([], showing: Self.still).isEmpty)
        #expect(emulator.hostSent([Self.enq], showing: Self.still) == [Self.ack])
        #expect(emulator.hostSent([Self.dc1], showing: Self.still) == Self.workedExample)
        #expect(emulator.hostSent([Self.enq, UInt8(ascii: "Z")], showing: Self.still) == [Self.ack])
        #expect(emulator.hostSent([UInt8(ascii: "E")], showing: Self.still) == Array("OK".utf8))
        #expect(emulator.hostSent([Self.enq, UInt8(ascii: "T"), UInt8(ascii: "X")], showing: Self.still) == [Self.ack, Self.nak])
        #expect(emulator.hostSent([Self.enq, Self.dc1], showing: Self.still) == [Self.ack] + Self.workedExample)
    }

    @Test func theEmulatorsWholeSessionDecodesWithoutErrorLines() {
        var emulator = CASDC1Emulator()
        var stream: [UInt8] = []
        for reading in WeighingScript(items: [Milligrams(2_500_000)]).readings {
            stream += emulator.hostSent([Self.enq, Self.dc2], showing: reading)
        }
        let outputs = Decoder.decodeAll(stream)
        #expect(Self.errorOffsets(outputs).isEmpty)
        #expect(Self.frames(outputs).count == WeighingScript(items: [Milligrams(2_500_000)]).readings.count)
        #expect(Self.frames(outputs).contains { $0.weight == Milligrams(2_500_000) && $0.stable && $0.total == Fen(3125) })
    }
}
