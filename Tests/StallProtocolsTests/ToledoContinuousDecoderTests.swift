import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Named cases for the Toledo continuous decoder, one row per behaviour.
@Suite struct ToledoContinuousDecoderTests {
    typealias Decoder = ToledoContinuousDecoder

    /// The worked example of the fact sheet: 1.234 kg gross, stable, count-by 1, tare 0.
    static let workedExample: [UInt8] = [0x02, 0x2D, 0x30, 0x20, 0x30, 0x30, 0x31, 0x32, 0x33, 0x34, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x0D, 0x2A]

    static func frames(_ outputs: [ScaleDecoderOutput]) -> [ScaleFrame] {
        outputs.compactMap { if case .frame(let frame, _) = $0 { frame } else { nil } }
    }

    static func errorOffsets(_ outputs: [ScaleDecoderOutput]) -> [Int] {
        outputs.compactMap { if case .error(_, let offset) = $0 { offset } else { nil } }
    }

    @Test func theWorkedExampleDecodesToOnePointTwoThreeFourKilograms() {
        let frames = Self.frames(Decoder.decodeAll(Self.workedExample))
        #expect(frames == [ScaleFrame(protocolName: "toledo-continuous", weight: Milligrams(1_234_000), stable: true, net: false, overload: false, tare: Milligrams(0))])
    }

    @Test func theShortVariantWithChecksumFourADecodesWithoutTare() {
        let short: [UInt8] = Array(Self.workedExample[0..<10]) + [0x0D, 0x4A]
        let frames = Self.frames(Decoder.decodeAll(short))
        #expect(frames.count == 1)
        #expect(frames.first?.weight == Milligrams(1_234_000))
        #expect(frames.first?.tare == nil)
    }

    @Test func theEncoderProducesTheWorkedExampleBytes() {
        #expect(Decoder.encode(displayDigits: 1234, tareDigits: 0, decimalCode: 5) == Self.workedExample)
    }

    @Test func leadingGarbageIsOneErrorLineAndTheFrameAfterItDecodes() {
        let outputs = Decoder.decodeAll([0x41, 0x42, 0xFF] + Self.workedExample)
        #expect(Self.errorOffsets(outputs) == [0])
        #expect(Self.frames(outputs).count == 1)
    }

    @Test func aBadChecksumRejectsTheFrameAndTheNextFrameStillDecodes() {
        var corrupt = Self.workedExample
        corrupt[17] = 0x2B
        let outputs = Decoder.decodeAll(corrupt + Self.workedExample)
        #expect(Self.errorOffsets(outputs) == [0])
        #expect(Self.frames(outputs).count == 1)
    }

    @Test func aTornFrameFollowedByAGoodFrameLosesOnlyTheTornOne() {
        let torn = Array(Self.workedExample[0..<8])
        let outputs = Decoder.decodeAll(Self.workedExample + torn + Self.workedExample)
        #expect(Self.frames(outputs).count == 2)
        #expect(Self.errorOffsets(outputs) == [18])
    }

    @Test func aDigitFieldWithALetterIsABadField() {
        var bad = Self.workedExample
        bad[6] = UInt8(ascii: "A")
        let outputs = Decoder.decodeAll(bad)
        #expect(Self.frames(outputs).isEmpty)
        #expect(outputs.first == .error(.badField, offset: 0))
    }

    @Test func motionNegativeNetAndOverloadBitsMapToTheirFlags() {
        let bytes = Decoder.encode(displayDigits: 500, tareDigits: 100, decimalCode: 5, negative: true, motion: true, net: true, overload: true)
        let frame = Self.frames(Decoder.decodeAll(bytes)).first
        #expect(frame?.weight == Milligrams(-500_000))
        #expect(frame?.tare == Milligrams(100_000))
        #expect(frame?.stable == false)
        #expect(frame?.net == true)
        #expect(frame?.overload == true)
    }

    @Test func poundsConvertExactlyWithHalvesAwayFromZero() {
        // 0.50 lb = 226 796.185 mg → 226 796; code 4 = XXXX.XX, status B bit 4 clear = lb.
        let bytes = Decoder.encode(displayDigits: 50, decimalCode: 4, kilograms: false)
        #expect(Self.frames(Decoder.decodeAll(bytes)).first?.weight == Milligrams(226_796))
    }

    @Test func aFloodOfGarbageKeepsTheBufferBoundedAndYieldsOneErrorLine() {
        var decoder = Decoder()
        var outputs: [ScaleDecoderOutput] = []
        for _ in 0..<1000 { outputs += decoder.feed([UInt8](repeating: 0x02, count: 64)) }
        outputs += decoder.feed(Self.workedExample)
        outputs += decoder.finish()
        #expect(Self.frames(outputs).count == 1)
        #expect(Self.errorOffsets(outputs) == [0])
    }
}
