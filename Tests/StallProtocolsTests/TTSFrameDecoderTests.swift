import StallProtocols
import StallTestSupport
import Testing

/// Named cases for the host-to-chip frame decoder and the reply decoder
/// (firmware-protocols/uart-tts/SPEC.md sections 5, 7 and 8), one row per behaviour.
@Suite struct TTSFrameDecoderTests {
    static let hex = TTSTestPhrases.hex
    static let workedSYN6288 = hex("FD 00 17 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA BA")
    static let workedSYN6658 = hex("FD 00 16 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA")
    static let query6288 = hex("FD 00 02 21 DE")
    static let query6658 = hex("FD 00 01 21")

    struct Case: CustomTestStringConvertible, Sendable {
        var legend: String
        var chip: TTSChip
        var bytes: [UInt8]
        /// Golden-style lines (SPEC.md 9).
        var lines: [String]
        var testDescription: String { legend }
    }

    static func query(_ chip: TTSChip, at offset: Int) -> String {
        "{\"chip\":\"\(chip.rawValue)\",\"command\":\"query_status\",\"offset\":\(offset)}"
    }

    static func error(_ reason: String, at offset: Int) -> String {
        "{\"error\":\"\(reason)\",\"offset\":\(offset)}"
    }

    static let workedLine6288 =
        "{\"chip\":\"syn6288\",\"command\":\"synthesize\",\"encoding\":\"gb2312\",\"music\":0,\"offset\":0,\"text_hex\":\"d6a7b8b6b1a6b5bdd5cbcaaeb6feb5e3cee5d4aa\"}"

    static let cases: [Case] = [
        Case(legend: "the SYN6288 worked example decodes to its GB2312 text", chip: .syn6288, bytes: workedSYN6288, lines: [workedLine6288]),
        Case(
            legend: "the SYN6658 worked example decodes without music", chip: .syn6658, bytes: workedSYN6658,
            lines: ["{\"chip\":\"syn6658\",\"command\":\"synthesize\",\"encoding\":\"gb2312\",\"offset\":0,\"text_hex\":\"d6a7b8b6b1a6b5bdd5cbcaaeb6feb5e3cee5d4aa\"}"]),
        Case(legend: "an empty input gives nothing", chip: .syn6288, bytes: [], lines: []),
        Case(legend: "a lone FD at the end is truncated", chip: .syn6288, bytes: [0xFD], lines: [error("truncated", at: 0)]),
        Case(
            legend: "leading garbage is one line before the frame", chip: .syn6288, bytes: Array("xy".utf8) + query6288,
            lines: [error("garbage", at: 0), query(.syn6288, at: 2)]),
        Case(legend: "a wrong checksum is bad_checksum", chip: .syn6288, bytes: hex("FD 00 02 21 DF"), lines: [error("bad_checksum", at: 0)]),
        Case(
            legend: "one flipped text bit fails the checksum and the retry decodes", chip: .syn6288,
            bytes: workedSYN6288.enumerated().map { $0.offset == 9 ? $0.element ^ 1 : $0.element } + workedSYN6288,
            lines: [error("bad_checksum", at: 0), workedLine6288.replacingOffset(26)]),
        Case(
            legend: "SYN6288 length 1 is too short", chip: .syn6288, bytes: hex("FD 00 01 21") + query6288,
            lines: [error("bad_length", at: 0), query(.syn6288, at: 4)]),
        Case(legend: "SYN6288 length 208 is beyond 203", chip: .syn6288, bytes: hex("FD 00 D0 01 00"), lines: [error("bad_length", at: 0)]),
        Case(legend: "an unknown command is bad_command", chip: .syn6288, bytes: hex("FD 00 02 05 FA"), lines: [error("bad_command", at: 0)]),
        Case(legend: "a stop with a parameter is a bad length", chip: .syn6288, bytes: hex("FD 00 03 02 00 FC"), lines: [error("bad_length", at: 0)]),
        Case(legend: "music 16 is a bad parameter", chip: .syn6288, bytes: hex("FD 00 05 01 80 61 F8"), lines: [error("bad_parameter", at: 0)]),
        Case(
            legend: "a frame cut short and sent again: one error, then the frame", chip: .syn6288,
            bytes: Array(workedSYN6288.prefix(11)) + workedSYN6288,
            lines: [error("bad_checksum", at: 0), workedLine6288.replacingOffset(11)]),
        Case(
            legend: "a flood of FD is one error line and the frame after it decodes", chip: .syn6288,
            bytes: [UInt8](repeating: 0xFD, count: 300) + query6288, lines: [error("bad_length", at: 0), query(.syn6288, at: 300)]),
        Case(
            legend: "two faults split by a frame are two lines", chip: .syn6288, bytes: [0x00] + query6288 + [0x01] + query6288,
            lines: [error("garbage", at: 0), query(.syn6288, at: 1), error("garbage", at: 6), query(.syn6288, at: 7)]),
        Case(
            legend: "set-baud names its rate", chip: .syn6288, bytes: hex("FD 00 03 31 02 CD"),
            lines: ["{\"baud\":38400,\"chip\":\"syn6288\",\"command\":\"set_baud\",\"offset\":0}"]),
        Case(legend: "SYN6658 length 0 is a bad length", chip: .syn6658, bytes: hex("FD 00 00"), lines: [error("bad_length", at: 0)]),
        Case(legend: "SYN6658 length 4099 is a bad length", chip: .syn6658, bytes: hex("FD 10 03 01 00"), lines: [error("bad_length", at: 0)]),
        Case(legend: "the XFS5152CE has no standby 22", chip: .xfs5152ce, bytes: hex("FD 00 01 22"), lines: [error("bad_command", at: 0)]),
        Case(legend: "the XFS5152CE has no encoding 4", chip: .xfs5152ce, bytes: hex("FD 00 04 01 04 5B 87"), lines: [error("bad_parameter", at: 0)]),
        Case(
            legend: "cache segment 15 refuses 257 bytes", chip: .syn6658,
            bytes: hex("FD 01 03 31 0F") + [UInt8](repeating: 0x61, count: 257), lines: [error("bad_length", at: 0)]),
        Case(
            legend: "play-cache 0x31 is three times in GBK", chip: .syn6658, bytes: hex("FD 00 02 32 31"),
            lines: ["{\"chip\":\"syn6658\",\"command\":\"play_cache\",\"encoding\":\"gbk\",\"offset\":0,\"repeat\":3}"]),
        Case(
            legend: "without a checksum a short frame swallows the start of the next", chip: .syn6658,
            bytes: hex("FD 00 06 01 00 CA D5") + query6658,
            lines: [
                "{\"chip\":\"syn6658\",\"command\":\"synthesize\",\"encoding\":\"gb2312\",\"offset\":0,\"text_hex\":\"cad5fd00\"}",
                error("garbage", at: 9),
            ]),
        Case(legend: "a SYN6288 query read as SYN6658 is a bad length", chip: .syn6658, bytes: query6288, lines: [error("bad_length", at: 0)]),
        Case(legend: "the SYN6658 worked example read as SYN6288 fails its checksum", chip: .syn6288, bytes: workedSYN6658, lines: [error("bad_checksum", at: 0)]),
    ]

    static func lines(_ outputs: [TTSFrameDecoderOutput]) -> [String] { outputs.map(\.jsonLine) }

    @Test(arguments: cases)
    func decodesLikeTheSpecSays(_ testCase: Case) {
        let whole = Self.lines(TTSFrameDecoder.decodeAll(testCase.bytes, chip: testCase.chip))
        #expect(whole == testCase.lines)
        var decoder = TTSFrameDecoder(chip: testCase.chip)
        var split: [TTSFrameDecoderOutput] = []
        for byte in testCase.bytes { split += decoder.feed([byte]) }
        #expect(Self.lines(split + decoder.finish()) == testCase.lines, "byte by byte")
    }

    static let everyCommand: [(TTSChip, TTSCommand)] = [
        (.syn6288, .synthesize(text: TTSTestPhrases.workedExample)),
        (.syn6288, .synthesize(text: [0x61], encoding: .big5, music: 7)),
        (.syn6288, .stop), (.syn6288, .pause), (.syn6288, .resume), (.syn6288, .queryStatus), (.syn6288, .powerDown),
        (.syn6288, .setBaud(bitsPerSecond: 19200)),
        (.syn6658, .synthesize(text: [0x87, 0x5B], encoding: .unicode)), (.syn6658, .standby), (.syn6658, .wake),
        (.syn6658, .cacheText(segment: 3, text: [0xB6, 0xCE])), (.syn6658, .playCache(repeat: 15, encoding: .unicodeBigEndian)),
        (.xfs5152ce, .synthesize(text: [0xBF, 0xC6], encoding: .gb2312)), (.xfs5152ce, .powerDown), (.xfs5152ce, .wake),
    ]

    @Test func everyEncodedCommandDecodesBackToItself() throws {
        for (chip, command) in Self.everyCommand {
            let frame = try TTSFrameEncoder.encode(command, for: chip)
            #expect(TTSFrameDecoder.decodeAll(frame, chip: chip) == [.frame(TTSFrame(chip: chip, command: command), offset: 0)], "\(chip) \(command.name)")
        }
    }

    @Test(arguments: TTSChip.allCases)
    func theBufferNeverHoldsMoreThanTheLongestFrame(chip: TTSChip) {
        var decoder = TTSFrameDecoder(chip: chip)
        var generator = SeededGenerator(seed: 7)
        var largest = 0
        // FD-heavy noise keeps candidates open as long as possible.
        for _ in 0..<20_000 {
            let byte: UInt8 = Bool.random(using: &generator) ? 0xFD : UInt8.random(in: 0...255, using: &generator)
            _ = decoder.feed([byte])
            largest = max(largest, decoder.bufferedByteCount)
        }
        // A frame announcing the longest data area, fed without its end.
        _ = decoder.feed([0xFD, UInt8(chip.dataAreaLengths.upperBound >> 8), UInt8(chip.dataAreaLengths.upperBound & 0xFF), 0x01, 0x00])
        _ = decoder.feed([UInt8](repeating: 0x61, count: chip.longestFrame))
        largest = max(largest, decoder.bufferedByteCount)
        #expect(largest < chip.longestFrame)
    }

    // MARK: Replies (chip to host)

    @Test func everyReplyByteHasItsName() {
        let lines = TTSReplyDecoder.decodeAll([0x4A, 0x41, 0x45, 0x4E, 0x4F]).map(\.jsonLine)
        #expect(
            lines == [
                "{\"offset\":0,\"reply\":\"init\"}", "{\"offset\":1,\"reply\":\"accepted\"}", "{\"offset\":2,\"reply\":\"rejected\"}",
                "{\"offset\":3,\"reply\":\"busy\"}", "{\"offset\":4,\"reply\":\"idle\"}",
            ])
    }

    @Test func aRunOfUnknownBytesIsOneGarbageLineWithItsLength() {
        #expect(
            TTSReplyDecoder.decodeAll([0x00, 0xFF, 0x80, 0x41, 0x12]) == [
                .garbage(offset: 0, length: 3), .reply(.accepted, offset: 3), .garbage(offset: 4, length: 1),
            ])
    }

    @Test func unknownBytesSplitAcrossReadsStillMakeOneRun() {
        var decoder = TTSReplyDecoder()
        var out = decoder.feed([0x4A, 0x00])
        out += decoder.feed([0x01])
        out += decoder.feed([0x02, 0x4F])
        out += decoder.finish()
        #expect(out == [.reply(.initialised, offset: 0), .garbage(offset: 1, length: 3), .reply(.idle, offset: 4)])
    }
}

extension String {
    /// The same golden line with another `"offset"` (test helper).
    fileprivate func replacingOffset(_ offset: Int) -> String {
        replacing("\"offset\":0,", with: "\"offset\":\(offset),", maxReplacements: 1)
    }
}
