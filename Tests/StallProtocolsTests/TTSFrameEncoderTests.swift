import StallProtocols
import Testing

/// Host-to-chip frames byte for byte (firmware-protocols/uart-tts/SPEC.md sections 4 and 6):
/// the worked example on every chip, the manuals' own vectors, every fixed frame, and the
/// encoder's refusals.
@Suite struct TTSFrameEncoderTests {
    typealias Encoder = TTSFrameEncoder
    static let hex = TTSTestPhrases.hex

    // MARK: Worked example: 支付宝到账十二点五元

    @Test func theWorkedExamplesGB2312BytesAreTheReferenceTable() {
        #expect(TTSTestPhrases.encode("支付宝到账十二点五元") == TTSTestPhrases.workedExample)
        #expect(TTSTestPhrases.workedExample.count == 20)
    }

    @Test func theWorkedExampleIsTwentySixBytesWithChecksumBAOnTheSYN6288() throws {
        let frame = try Encoder.synthesize(TTSTestPhrases.workedExample, for: .syn6288)
        #expect(frame == Self.hex("FD 00 17 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA BA"))
        #expect(frame.count == 26)
        #expect(Encoder.xor(frame.dropLast()) == 0xBA)
    }

    @Test(arguments: [TTSChip.syn6658, .xfs5152ce])
    func theWorkedExampleIsTwentyFiveBytesWithoutChecksumOnTheOtherChips(chip: TTSChip) throws {
        let frame = try Encoder.synthesize(TTSTestPhrases.workedExample, for: chip)
        #expect(frame == Self.hex("FD 00 16 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA"))
    }

    // MARK: The manuals' vectors

    @Test func theSYN6288DatasheetsSynthesisExamplesAreReproduced() throws {
        let yuyin = TTSTestPhrases.encode("宇音天下")
        #expect(try Encoder.synthesize(yuyin, for: .syn6288) == Self.hex("FD 00 0B 01 00 D3 EE D2 F4 CC EC CF C2 C1"))
        #expect(try Encoder.synthesize(yuyin, encoding: .gbk, for: .syn6288) == Self.hex("FD 00 0B 01 01 D3 EE D2 F4 CC EC CF C2 C0"))
        #expect(try Encoder.encode(.synthesize(text: yuyin, encoding: .gbk, music: 1), for: .syn6288)
            == Self.hex("FD 00 0B 01 09 D3 EE D2 F4 CC EC CF C2 C8"))
        #expect(try Encoder.encode(.synthesize(text: yuyin, encoding: .gbk, music: 15), for: .syn6288)
            == Self.hex("FD 00 0B 01 79 D3 EE D2 F4 CC EC CF C2 B8"))
        #expect(try Encoder.synthesize(Array("[v11]".utf8), encoding: .gbk, for: .syn6288) == Self.hex("FD 00 08 01 01 5B 76 31 31 5D 85"))
    }

    @Test func backgroundMusicIsInTheHighFiveBitsNotTheHighFour() throws {
        // Drivers that shift by 4 would send 0x11 and 0xF1 (SPEC.md 12).
        let frame = try Encoder.encode(.synthesize(text: [0x61], encoding: .gbk, music: 15), for: .syn6288)
        #expect(frame[4] == 0x79)
    }

    @Test func theSYN6658ManualsExamplesAreReproduced() throws {
        let yuyin = TTSTestPhrases.encode("宇音天下")
        #expect(try Encoder.synthesize(yuyin, for: .syn6658) == Self.hex("FD 00 0A 01 00 D3 EE D2 F4 CC EC CF C2"))
        #expect(try Encoder.synthesize(Self.hex("5B 87 97 F3 59 29 4E 0B"), encoding: .unicodeBigEndian, for: .syn6658)
            == Self.hex("FD 00 0A 01 04 5B 87 97 F3 59 29 4E 0B"))
        #expect(try Encoder.synthesize(Array("[v8]".utf8), encoding: .gbk, for: .syn6658) == Self.hex("FD 00 06 01 01 5B 76 38 5D"))
        #expect(try Encoder.encode(.cacheText(segment: 1, text: Self.hex("B4 F2 C2 D2 CB B3 D0 F2 B5 C4 D2 BB B6 CE CE C4")), for: .syn6658)
            == Self.hex("FD 00 12 31 01 B4 F2 C2 D2 CB B3 D0 F2 B5 C4 D2 BB B6 CE CE C4"))
        #expect(try Encoder.encode(.playCache(repeat: 3, encoding: .gbk), for: .syn6658) == Self.hex("FD 00 02 32 31"))
    }

    @Test func theXFS5152CEGuidesExampleIsReproduced() throws {
        #expect(try Encoder.synthesize(TTSTestPhrases.encode("科大讯飞"), for: .xfs5152ce) == Self.hex("FD 00 0A 01 00 BF C6 B4 F3 D1 B6 B7 C9"))
        #expect(try Encoder.synthesize(Self.hex("D1 79 27 59 AF 8B DE 98"), encoding: .unicode, for: .xfs5152ce)
            == Self.hex("FD 00 0A 01 03 D1 79 27 59 AF 8B DE 98"))
    }

    // MARK: Fixed frames (SPEC.md 4.2)

    static let syn6288Fixed: [(TTSCommand, String)] = [
        (.stop, "FD 00 02 02 FD"), (.pause, "FD 00 02 03 FC"), (.resume, "FD 00 02 04 FB"),
        (.queryStatus, "FD 00 02 21 DE"), (.powerDown, "FD 00 02 88 77"),
        (.setBaud(bitsPerSecond: 9600), "FD 00 03 31 00 CF"), (.setBaud(bitsPerSecond: 19200), "FD 00 03 31 01 CE"),
        (.setBaud(bitsPerSecond: 38400), "FD 00 03 31 02 CD"),
    ]

    static let syn6658Fixed: [(TTSCommand, String)] = [
        (.stop, "FD 00 01 02"), (.pause, "FD 00 01 03"), (.resume, "FD 00 01 04"), (.queryStatus, "FD 00 01 21"),
        (.powerDown, "FD 00 01 88"), (.standby, "FD 00 01 22"), (.wake, "FD 00 01 FF"),
    ]

    @Test func everySYN6288FixedFrameMatchesTheDatasheet() throws {
        for (command, printed) in Self.syn6288Fixed {
            #expect(try Encoder.encode(command, for: .syn6288) == Self.hex(printed), "\(command.name)")
        }
    }

    @Test func everySYN6658FixedFrameMatchesTheManual() throws {
        for (command, printed) in Self.syn6658Fixed {
            #expect(try Encoder.encode(command, for: .syn6658) == Self.hex(printed), "\(command.name)")
        }
    }

    @Test func theXFS5152CESharesTheSYN6658FixedFramesExceptStandby() throws {
        for (command, printed) in Self.syn6658Fixed where command != .standby {
            #expect(try Encoder.encode(command, for: .xfs5152ce) == Self.hex(printed), "\(command.name)")
        }
    }

    // MARK: Refusals

    /// The code of the error `body` throws; nil when it builds a frame.
    static func code(_ body: () throws -> [UInt8]) -> TTSFrameError.Code? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? TTSFrameError)?.code
        }
    }

    @Test func twoHundredBytesOfTextAreTheSYN6288sLimitAndOneMoreIsRefused() {
        #expect(Self.code { try Encoder.synthesize([UInt8](repeating: 0x61, count: 200), for: .syn6288) } == nil)
        #expect(Self.code { try Encoder.synthesize([UInt8](repeating: 0x61, count: 201), for: .syn6288) } == .textTooLong)
    }

    @Test(arguments: [TTSChip.syn6658, .xfs5152ce])
    func fourKilobytesOfTextAreTheLimitOfTheOtherChips(chip: TTSChip) throws {
        let frame = try Encoder.synthesize([UInt8](repeating: 0x61, count: 4096), for: chip)
        #expect(frame.count == 4101 && frame[1] == 0x10 && frame[2] == 0x02)
        #expect(Self.code { try Encoder.synthesize([UInt8](repeating: 0x61, count: 4097), for: chip) } == .textTooLong)
    }

    @Test func emptyTextIsRefused() {
        #expect(Self.code { try Encoder.synthesize([], for: .syn6288) } == .emptyText)
        #expect(Self.code { try Encoder.encode(.cacheText(segment: 0, text: []), for: .syn6658) } == .emptyText)
    }

    @Test func commandsAChipDoesNotHaveAreRefused() {
        #expect(Self.code { try Encoder.encode(.wake, for: .syn6288) } == .unsupportedCommand)
        #expect(Self.code { try Encoder.encode(.standby, for: .syn6288) } == .unsupportedCommand)
        #expect(Self.code { try Encoder.encode(.standby, for: .xfs5152ce) } == .unsupportedCommand)
        #expect(Self.code { try Encoder.encode(.setBaud(bitsPerSecond: 9600), for: .syn6658) } == .unsupportedCommand)
        #expect(Self.code { try Encoder.encode(.cacheText(segment: 0, text: [0x61]), for: .syn6288) } == .unsupportedCommand)
    }

    @Test func parametersOutOfRangeAreRefused() {
        #expect(Self.code { try Encoder.encode(.synthesize(text: [0x61], music: 16), for: .syn6288) } == .parameterOutOfRange)
        #expect(Self.code { try Encoder.encode(.synthesize(text: [0x61], music: 1), for: .syn6658) } == .parameterOutOfRange)
        #expect(Self.code { try Encoder.synthesize([0x61], encoding: .unicodeBigEndian, for: .syn6288) } == .parameterOutOfRange)
        #expect(Self.code { try Encoder.synthesize([0x61], encoding: .unicodeBigEndian, for: .xfs5152ce) } == .parameterOutOfRange)
        #expect(Self.code { try Encoder.encode(.setBaud(bitsPerSecond: 115_200), for: .syn6288) } == .parameterOutOfRange)
        #expect(Self.code { try Encoder.encode(.cacheText(segment: 16, text: [0x61]), for: .syn6658) } == .parameterOutOfRange)
        #expect(Self.code { try Encoder.encode(.playCache(repeat: 0), for: .syn6658) } == .parameterOutOfRange)
    }

    @Test func theCacheHoldsSixteenMinusTheSegmentTimes256Bytes() {
        #expect(Self.code { try Encoder.encode(.cacheText(segment: 15, text: [UInt8](repeating: 0x61, count: 256)), for: .syn6658) } == nil)
        #expect(Self.code { try Encoder.encode(.cacheText(segment: 15, text: [UInt8](repeating: 0x61, count: 257)), for: .syn6658) } == .textTooLong)
    }

    @Test func anErrorNamesItsCodeChipAndCommand() {
        do {
            _ = try Encoder.synthesize([UInt8](repeating: 0x61, count: 201), for: .syn6288)
            Issue.record("201 bytes were accepted")
        } catch {
            #expect(error.description == "text_too_long: syn6288 synthesize: 201 bytes of text, at most 200")
        }
    }
}
