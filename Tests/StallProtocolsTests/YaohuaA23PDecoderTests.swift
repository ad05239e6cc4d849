import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Named cases for the Yaohua XK3190 decoder (fact sheet section 8, SPEC.md section 7),
/// one behaviour per test.
@Suite struct YaohuaA23PDecoderTests {
    typealias Decoder = YaohuaA23PDecoder

    /// The A23P manual's format 4 example [S26], as printed in the fact sheet 8.1.
    static let manualPriceFrame = Array("=0002.000kg;0001.00;0002.00".utf8)
    /// The manual's count-mode example.
    static let manualCountFrame = Array("=00000020pc;0001.00;0020.00".utf8)
    /// The fact sheet's format X worked example, +20.00 [S30].
    static let plusTwenty: [UInt8] = [0x02, 0x2B, 0x30, 0x30, 0x32, 0x30, 0x30, 0x30, 0x32, 0x31, 0x42, 0x03]

    static func frames(_ outputs: [ScaleDecoderOutput]) -> [ScaleFrame] {
        outputs.compactMap { if case .frame(let frame, _) = $0 { frame } else { nil } }
    }

    static func errorOffsets(_ outputs: [ScaleDecoderOutput]) -> [Int] {
        outputs.compactMap { if case .error(_, let offset) = $0 { offset } else { nil } }
    }

    static func frame(_ weight: Int64, stable: Bool = false, unitPrice: Int64? = nil, total: Int64? = nil) -> ScaleFrame {
        ScaleFrame(
            protocolName: "yaohua-a23p", weight: Milligrams(weight), stable: stable, net: false, overload: false,
            unitPriceFenPerKg: unitPrice.map(Fen.init), total: total.map(Fen.init))
    }

    static func priceFrame(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        precondition(bytes.count == 27)
        return bytes
    }

    /// A format X frame with its XOR computed here, independently of the encoder.
    static func xorFrame(_ body: String) -> [UInt8] {
        let bytes = Array(body.utf8)
        let xor = bytes.reduce(UInt8(0), ^)
        let hex = Array("0123456789ABCDEF".utf8)
        return [0x02] + bytes + [hex[Int(xor >> 4)], hex[Int(xor & 0x0F)], 0x03]
    }

    // MARK: Worked examples

    @Test func theManualsPriceFrameDecodesToTwoKilogramsAtOneYuanForTwoYuan() {
        let outputs = Decoder.decodeAll(Self.manualPriceFrame)
        #expect(outputs == [.frame(Self.frame(2_000_000, unitPrice: 100, total: 200), offset: 0)])
        #expect(CanonicalJSON.string(Self.frames(outputs)[0].json)
            == #"{"net":false,"overload":false,"protocol":"yaohua-a23p","stable":false,"total_fen":200,"unit_price_fen":100,"weight_mg":2000000}"#)
    }

    @Test func theWorkedExamplePlusTwentyDecodesToTwentyKilograms() {
        #expect(Decoder.decodeAll(Self.plusTwenty) == [.frame(Self.frame(20_000_000), offset: 0)])
    }

    @Test func thePlusTwentyChecksumIsXorOneBSentAsOneAndB() {
        // 2B^30^30^32^30^30^30^32 = 1B by hand (fact sheet 8.2).
        #expect(Self.plusTwenty[1...8].reduce(UInt8(0), ^) == 0x1B)
        #expect(Array(Self.plusTwenty[9...10]) == Array("1B".utf8))
        #expect(Self.xorFrame("+0020002") == Self.plusTwenty)
    }

    @Test func theEncodersReproduceTheWorkedExamplesByteForByte() {
        #expect(Decoder.encodeXorFrame(digits: 2000, decimals: 2) == Self.plusTwenty)
        #expect(Decoder.encodePriceFrame(weightDigits: 2000, weightDecimals: 3, unitPriceFen: 100, amountFen: 200) == Self.manualPriceFrame)
        #expect(Decoder.encodePriceFrame(weightDigits: 20, weightDecimals: 0, unit: .pieces, unitPriceFen: 100, amountFen: 2000) == Self.manualCountFrame)
    }

    @Test func theA12EXorOfItsWeightLineIsThreeD() {
        // Same two-character XOR as format X, over WG004.139kg [S28]; not decoded, but it
        // cross-checks the checksum arithmetic against a second published example.
        #expect(Array("WG004.139kg".utf8).reduce(UInt8(0), ^) == 0x3D)
    }

    // MARK: Rule 8.4.1: hunting, completeness, validity

    @Test func aPriceFrameIsEmittedAsSoonAsItsLastByteArrivesWithoutATerminator() {
        var decoder = Decoder()
        #expect(decoder.feed(Self.manualPriceFrame.dropLast()).isEmpty)
        #expect(Self.frames(decoder.feed([Self.manualPriceFrame.last!])).count == 1)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func aPriceFrameCutShortAtTheEndIsOneTruncatedError() {
        #expect(Decoder.decodeAll(Self.manualPriceFrame.dropLast()) == [.error(.truncated, offset: 0)])
        #expect(Decoder.decodeAll(Self.plusTwenty.dropLast()) == [.error(.truncated, offset: 0)])
    }

    @Test(arguments: [
        "=+002.000kg;0001.00;0002.00",  // sign must be 0 or -
        "=000.2.00kg;0001.00;0002.00",  // two points in the weight
        "= 002.000kg;0001.00;0002.00",  // space in the weight
        "=0002.000KG;0001.00;0002.00",  // units are lower case
        "=0002.000kg,0001.00;0002.00",  // separator
        "=0002.000kg;0001.00:0002.00",  // separator
        "=0002.000kg;000a.00;0002.00",  // letter in the price
        "=0002.000kg;0001.00;0002..0",  // two points in the amount
        "=0002.000kg;012.505;0025.01",  // third price decimal not zero (fact sheet 2.4)
        "=0002.000oz;0001.00;0002.00",  // unit not kg/lb/pc
    ])
    func aPriceFrameWithAnInvalidFieldIsRejectedAndTheNextFrameDecodes(text: String) {
        let outputs = Decoder.decodeAll(Self.priceFrame(text) + Self.manualPriceFrame)
        #expect(outputs.first == .error(.badField, offset: 0))
        #expect(Self.frames(outputs) == [Self.frame(2_000_000, unitPrice: 100, total: 200)])
        #expect(Self.errorOffsets(outputs) == [0])
    }

    @Test func aWrongXorCharacterIsABadChecksum() {
        var corrupt = Self.plusTwenty
        corrupt[10] = UInt8(ascii: "C")
        let outputs = Decoder.decodeAll(corrupt + Self.plusTwenty)
        #expect(outputs == [.error(.badChecksum, offset: 0), .frame(Self.frame(20_000_000), offset: 12)])
    }

    @Test func lowerCaseHexCharactersAreABadChecksum() {
        let lower: [UInt8] = [0x02] + Array("+00200021b".utf8) + [0x03]
        #expect(Decoder.decodeAll(lower).first == .error(.badChecksum, offset: 0))
    }

    @Test func aFormatXFrameWithoutEtxIsABadTerminator() {
        let outputs = Decoder.decodeAll(Array(Self.plusTwenty[0...10]) + [0x0D] + Self.plusTwenty)
        #expect(outputs == [.error(.badTerminator, offset: 0), .frame(Self.frame(20_000_000), offset: 12)])
    }

    @Test func formatXDecimalsAboveFourAreABadFieldEvenWithTheRightXor() {
        let outputs = Decoder.decodeAll(Self.xorFrame("+0020005"))
        #expect(outputs == [.error(.badField, offset: 0)])
    }

    @Test func aRejectedCandidateResumesOneByteLaterAndItsRunIsOneErrorLine() {
        let bytes = Array("=x".utf8) + [0x02, 0x41] + Array("zz".utf8) + Self.manualPriceFrame
        #expect(Decoder.decodeAll(bytes) == [.error(.badField, offset: 0), .frame(Self.frame(2_000_000, unitPrice: 100, total: 200), offset: 6)])
    }

    @Test func garbageBeforeARejectedCandidateNamesTheRunGarbage() {
        let outputs = Decoder.decodeAll(Array("zz=x".utf8) + Self.plusTwenty)
        #expect(outputs == [.error(.garbage, offset: 0), .frame(Self.frame(20_000_000), offset: 4)])
    }

    @Test func aTornFrameFollowedByAWholeFrameLosesOnlyTheTornOne() {
        let torn = Array(Self.manualPriceFrame[0..<15])
        let outputs = Decoder.decodeAll(Self.manualPriceFrame + torn + Self.manualPriceFrame)
        #expect(Self.frames(outputs).count == 2)
        #expect(Self.errorOffsets(outputs) == [27])
    }

    @Test func anInvalidByteAlreadySeenWinsOverTruncationAtTheEnd() {
        #expect(Decoder.decodeAll(Array("=000x".utf8)) == [.error(.badField, offset: 0)])
    }

    @Test func priceAndXorFramesMayFollowEachOtherDirectly() {
        let outputs = Decoder.decodeAll(Self.manualPriceFrame + Self.plusTwenty + Self.manualPriceFrame)
        #expect(Self.frames(outputs).map(\.weight) == [Milligrams(2_000_000), Milligrams(20_000_000), Milligrams(2_000_000)])
        #expect(Self.errorOffsets(outputs).isEmpty)
    }

    // MARK: Rule 8.4.2: format P units and money

    @Test func aCountModeFrameIsOneUnsupportedUnitErrorAndDecodingGoesOn() {
        let outputs = Decoder.decodeAll(Array("ab".utf8) + Self.manualCountFrame + Self.manualPriceFrame)
        #expect(outputs == [
            .error(.garbage, offset: 0),
            .error(.unsupportedUnit, offset: 2),
            .frame(Self.frame(2_000_000, unitPrice: 100, total: 200), offset: 29),
        ])
    }

    @Test func aCountModeFrameWithABadFieldIsARejectedCandidateNotACountingFrame() {
        let bad = Self.priceFrame("=00000020pc;0001.00;002x.00")
        #expect(Decoder.decodeAll(bad).first == .error(.badField, offset: 0))
    }

    @Test func poundFramesCarryTheAmountButNoPerKilogramPrice() {
        let frames = Self.frames(Decoder.decodeAll(Self.priceFrame("=00000.50lb;0005.60;0002.80")))
        #expect(frames == [Self.frame(226_796, total: 280)])
        #expect(frames.first?.unitPriceFenPerKg == nil)
    }

    @Test func poundsRoundToTheNearestMilligramWithHalvesAwayFromZero() {
        // 50.00 lb = 22 679 618.5 mg exactly.
        #expect(Self.frames(Decoder.decodeAll(Self.priceFrame("=00050.00lb;0005.60;0280.00"))).first?.weight == Milligrams(22_679_619))
        #expect(Self.frames(Decoder.decodeAll(Self.priceFrame("=-0050.00lb;0005.60;0000.00"))).first?.weight == Milligrams(-22_679_619))
        // 0.01 lb = 4 535.9237 mg.
        #expect(Self.frames(Decoder.decodeAll(Self.priceFrame("=00000.01lb;0005.60;0000.06"))).first?.weight == Milligrams(4_536))
    }

    @Test func aNegativeKilogramFrameKeepsItsPriceAndAmountAsSent() {
        let frames = Self.frames(Decoder.decodeAll(Self.priceFrame("=-000.150kg;0012.50;0000.00")))
        #expect(frames == [Self.frame(-150_000, unitPrice: 1250, total: 0)])
    }

    @Test func aMinusSignWithAllDigitsZeroIsWeightZero() {
        #expect(Self.frames(Decoder.decodeAll(Self.priceFrame("=-000.000kg;0012.50;0000.00"))).first?.weight == Milligrams(0))
    }

    @Test(arguments: [
        ("=0002.000kg;0000012;0000024", 1200, 2400),  // no point: whole yuan
        ("=0002.000kg;00012.5;00025.0", 1250, 2500),  // one decimal
        ("=0002.000kg;12.5000;25.0000", 1250, 2500),  // extra decimals that are zeros
        ("=0002.000kg;9999.99;9999.99", 999_999, 999_999),
    ] as [(String, Int64, Int64)])
    func moneyFieldsConvertToFenExactly(text: String, unitPrice: Int64, total: Int64) {
        #expect(Self.frames(Decoder.decodeAll(Self.priceFrame(text))) == [Self.frame(2_000_000, unitPrice: unitPrice, total: total)])
    }

    @Test func aWeightFieldWithoutAPointIsWholeKilograms() {
        #expect(Self.frames(Decoder.decodeAll(Self.priceFrame("=00000012kg;0001.00;0012.00"))).first?.weight == Milligrams(12_000_000))
    }

    // MARK: Rule 8.4.3: format X value

    @Test(arguments: [
        ("+0012340", 1_234_000_000),
        ("+0123451", 1_234_500_000),
        ("+0123452", 123_450_000),
        ("-0001503", -150_000),
        ("+1234564", 12_345_600),
        ("-0000054", -500),
        ("-0000003", 0),
    ] as [(String, Int64)])
    func formatXIsDigitsOverTenToTheDecimalsKilograms(body: String, milligrams: Int64) {
        #expect(Self.frames(Decoder.decodeAll(Self.xorFrame(body))) == [Self.frame(milligrams)])
    }

    // MARK: Rule 8.4.4: stability from repetition

    @Test func theFirstFrameIsNotStableAndARepeatIs() {
        let frames = Self.frames(Decoder.decodeAll(Self.plusTwenty + Self.plusTwenty + Self.plusTwenty))
        #expect(frames.map(\.stable) == [false, true, true])
    }

    @Test func aChangedWeightIsNotStable() {
        let other = Self.priceFrame("=0002.005kg;0001.00;0002.01")
        let frames = Self.frames(Decoder.decodeAll(Self.manualPriceFrame + Self.manualPriceFrame + other + Self.manualPriceFrame))
        #expect(frames.map(\.stable) == [false, true, false, false])
    }

    @Test func errorLinesBetweenTwoEqualWeightsDoNotResetStability() {
        let bytes = Self.manualPriceFrame + Array("noise".utf8) + Self.manualCountFrame + Self.manualPriceFrame
        let outputs = Decoder.decodeAll(bytes)
        #expect(Self.errorOffsets(outputs) == [27, 32])
        #expect(Self.frames(outputs).map(\.stable) == [false, true])
    }

    @Test func stabilityComparesTheWeightOnlyAcrossFormatsAndPrices() {
        let bytes = Self.xorFrame("+0020003") + Self.manualPriceFrame + Self.priceFrame("=0002.000kg;0012.50;0025.00")
        #expect(Self.frames(Decoder.decodeAll(bytes)).map(\.stable) == [false, true, true])
    }

    @Test func netAndOverloadAreAlwaysFalse() {
        let frames = Self.frames(Decoder.decodeAll(Self.manualPriceFrame + Self.xorFrame("-9999990")))
        #expect(frames.count == 2)
        #expect(frames.allSatisfy { !$0.net && !$0.overload })
    }

    // MARK: The 9-byte `=` formats (fact sheet 8.2)

    @Test func theNineByteReversedAndForwardFormatsDoNotDecode() {
        let reversed = Array(String(repeating: "=000.3000", count: 20).utf8)
        let forward = Array(String(repeating: "=0003.000", count: 20).utf8)
        let outputs = Decoder.decodeAll(reversed + forward)
        #expect(Self.frames(outputs).isEmpty)
        #expect(outputs == [.error(.badField, offset: 0)])
    }

    @Test func aNineByteStretchBeforeAPriceFrameIsOneErrorLine() {
        let bytes = Array(String(repeating: "=0003.000", count: 3).utf8) + Self.manualPriceFrame
        #expect(Decoder.decodeAll(bytes) == [.error(.badField, offset: 0), .frame(Self.frame(2_000_000, unitPrice: 100, total: 200), offset: 27)])
    }

    // MARK: Splits and bounded buffer

    @Test func everySplitOfAMixedStreamGivesTheSameOutputs() {
        var bytes = Array("\u{00}\u{FF}=00".utf8)
        bytes += Self.manualPriceFrame + Self.manualCountFrame + Self.plusTwenty
        bytes += Array(Self.plusTwenty[0..<7]) + Self.manualPriceFrame + Array(Self.manualPriceFrame[0..<20])
        let whole = DecoderReplay.decode(Decoder.self, bytes, split: .whole)
        #expect(Self.frames(whole).count == 3)
        #expect(Self.errorOffsets(whole).count == 4)
        for split in DecoderReplay.standardSplits {
            #expect(DecoderReplay.decode(Decoder.self, bytes, split: split) == whole, "\(split)")
        }
    }

    @Test func aCollectionWithoutContiguousStorageDecodesLikeAnArray() {
        var bytes = Array("zz".utf8) + Self.manualPriceFrame + Self.plusTwenty
        for _ in 0..<400 { bytes += Self.manualPriceFrame }  // more than one 4096-byte copy
        bytes += Array(Self.plusTwenty[0..<5])
        var decoder = Decoder()
        let lazy = decoder.feed(bytes.lazy.map { $0 }) + decoder.finish()
        #expect(lazy == Decoder.decodeAll(bytes))
        #expect(Self.frames(lazy).count == 402)
        #expect(Self.errorOffsets(lazy) == [0, bytes.count - 5])
    }

    @Test(arguments: [UInt8(0x3D), 0x02, 0x00, 0xFF, 0x30])
    func aFloodOfOneByteKeepsTheBufferWithinOneFrame(byte: UInt8) {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        for _ in 0..<2000 {
            outputs += decoder.feed([UInt8](repeating: byte, count: 97))
            #expect(decoder.bufferedByteCount <= Decoder.longestFrame)
        }
        outputs += decoder.feed(Self.manualPriceFrame)
        outputs += decoder.finish()
        #expect(Self.frames(outputs).count == 1)
        #expect(Self.errorOffsets(outputs) == [0])
    }

    @Test func anEndlessLineOfValidLookingCharactersKeepsTheBufferBounded() {
        // `=0` then digits forever: every prefix is a valid start of a weight field until
        // position 9, where a unit is due; the decoder must not keep waiting for more.
        var decoder = Decoder()
        var outputs = decoder.feed(Array("=0".utf8))
        let digits = [UInt8](repeating: UInt8(ascii: "1"), count: 1000)
        for _ in 0..<200 {
            outputs += decoder.feed(digits)
            #expect(decoder.bufferedByteCount <= Decoder.longestFrame)
        }
        outputs += decoder.finish()
        #expect(outputs == [.error(.badField, offset: 0)])
    }

    @Test func oneHugeFeedAlsoLeavesAtMostOneFrameBuffered() {
        var decoder = Decoder()
        let bytes = [UInt8](repeating: UInt8(ascii: "="), count: 1_000_000) + Array(Self.manualPriceFrame[0..<26])
        _ = decoder.feed(bytes)
        #expect(decoder.bufferedByteCount == 26)
    }

    // MARK: Emulator

    @Test func theEmulatorSendsOneFormatPFrameAtEachDisplayUpdateWithAmountRoundedHalfUp() {
        var emulator = YaohuaA23PEmulator()
        let bytes = emulator.displayUpdate(.init(weight: Milligrams(1_234_000), motion: false))
        #expect(bytes == Array("=0001.234kg;0012.50;0015.43".utf8))  // 15.425 yuan -> 15.43
    }

    @Test func theEmulatorRoundsTheReadingToTheNearestGram() {
        var emulator = YaohuaA23PEmulator(unitPrice: Fen(100))
        #expect(emulator.displayUpdate(.init(weight: Milligrams(1_234_500), motion: true)) == Array("=0001.235kg;0001.00;0001.24".utf8))
        #expect(emulator.displayUpdate(.init(weight: Milligrams(1_234_499), motion: true)) == Array("=0001.234kg;0001.00;0001.23".utf8))
    }

    @Test func theEmulatorSendsNegativeReadingsWithSignAndZeroAmount() {
        var emulator = YaohuaA23PEmulator()
        #expect(emulator.displayUpdate(.init(weight: Milligrams(-150_000), motion: false)) == Array("=-000.150kg;0012.50;0000.00".utf8))
    }

    @Test func theEmulatorCapsWeightAndAmountAtWhatTheirFieldsHold() {
        var emulator = YaohuaA23PEmulator()
        #expect(emulator.displayUpdate(.init(weight: Milligrams(2_000_000_000), motion: false)) == Array("=0999.999kg;0012.50;9999.99".utf8))
    }

    @Test func everyReadingOfAWeighingScriptRoundTripsThroughTheEmulator() {
        let script = WeighingScript(items: [Milligrams(1_234_000), Milligrams(856_500), Milligrams(25_000_000), Milligrams(50_000)])
        var emulator = YaohuaA23PEmulator()
        var decoder = Decoder()
        var previous: Milligrams?
        for reading in script.readings {
            let bytes = emulator.displayUpdate(reading)
            #expect(bytes.count == 27)
            let outputs = decoder.feed(bytes)
            guard case .frame(let frame, _)? = outputs.first, outputs.count == 1 else {
                Issue.record("no single frame for \(reading)")
                continue
            }
            let grams = YaohuaA23PEmulator.displayedGrams(reading.weight)
            #expect(frame.weight == Milligrams(grams * 1000))
            #expect((frame.weight.value - reading.weight.value).magnitude <= 500)
            #expect(frame.unitPriceFenPerKg == Fen(1250))
            #expect(frame.total == emulator.amount(grams: grams))
            // No motion flag on the wire: stable means "same weight as the last frame".
            #expect(frame.stable == (previous == frame.weight))
            previous = frame.weight
        }
        #expect(decoder.finish().isEmpty)
    }

    @Test func theEmulatorIgnoresEveryHostByteIncludingTheProbes() {
        var emulator = YaohuaA23PEmulator()
        let reading = WeighingScript.Reading(weight: Milligrams(1_000_000), motion: false)
        // The prober's requests (StallDevices ProbeRequest.standard) and a command-mode request.
        let requests: [[UInt8]] = [
            Array("W".utf8), Array("\r\nSI\r\n".utf8), Array("Q\r\n".utf8), Array("?WT\r\n".utf8),
            [0x05], [0x11], [0x02, 0x41, 0x42, 0x30, 0x33, 0x03],
        ]
        for request in requests {
            #expect(emulator.hostSent(request, showing: reading).isEmpty)
        }
        #expect(emulator.displayUpdate(reading) == Array("=0001.000kg;0012.50;0012.50".utf8))
    }

    @Test func twoDisplayUpdatesInARowIdentifyTheProtocolWhenSniffed() {
        var emulator = YaohuaA23PEmulator()
        let reading = WeighingScript.Reading(weight: Milligrams(500_000), motion: false)
        let outputs = Decoder.decodeAll(emulator.displayUpdate(reading) + emulator.displayUpdate(reading))
        #expect(Self.frames(outputs).count == 2)
        #expect(Self.errorOffsets(outputs).isEmpty)
    }
}
