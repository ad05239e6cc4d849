import StallPlatform
import Testing

@Suite struct GB2312Tests {
    /// The worked example of reference/announcement.md section 3.
    @Test func theWorkedExampleEncodesAsTheReferenceShows() throws {
        #expect(try GB2312.encode("支付宝到账十二点五元") == [
            0xD6, 0xA7, 0xB8, 0xB6, 0xB1, 0xA6, 0xB5, 0xBD, 0xD5, 0xCB,
            0xCA, 0xAE, 0xB6, 0xFE, 0xB5, 0xE3, 0xCE, 0xE5, 0xD4, 0xAA,
        ])
        #expect(try GB2312.encode("[v10]") == Array("[v10]".utf8))
    }

    @Test(arguments: ["😀", "支付宝到账€1"])
    func aCharacterOutsideGB2312IsAnError(text: String) {
        #expect(throws: GB2312.Unencodable.self) { try GB2312.encode(text) }
    }
}
