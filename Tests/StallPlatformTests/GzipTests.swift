import StallPlatform
import Testing

@Suite struct GzipTests {
    @Test func aBatchRoundTripsAndShrinks() throws {
        let text = Array(String(repeating: #"{"device_id":"56475aa75463474c0285df5dbf2bcab7","kind":"weighing","weight_mg":1234000},"#, count: 200).utf8)
        let compressed = try Gzip.compress(text)
        #expect(compressed.prefix(2) == [0x1F, 0x8B], "a gzip header")
        #expect(compressed.count * 10 < text.count)
        #expect(try Gzip.decompress(compressed, limit: 1 << 20) == text)
    }

    @Test func gzipFromAnotherToolInflates() throws {
        // `printf 'stallbox\n' | gzip -n | xxd -i`
        let fromGzip: [UInt8] = [
            0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x2B, 0x2E, 0x49, 0xCC, 0xC9, 0x49, 0xCA, 0xAF, 0xE0,
            0x02, 0x00, 0x9D, 0xCF, 0x9F, 0xDC, 0x09, 0x00, 0x00, 0x00,
        ]
        #expect(try Gzip.decompress(fromGzip, limit: 100) == Array("stallbox\n".utf8))
    }

    @Test func aBombIsStoppedAtTheLimit() throws {
        let bomb = try Gzip.compress([UInt8](repeating: 0, count: 10 << 20))
        #expect(bomb.count < 20_000)
        #expect(throws: Gzip.Error.tooLarge(limit: 1 << 20)) { try Gzip.decompress(bomb, limit: 1 << 20) }
    }

    @Test func truncatedAndGarbageStreamsAreErrors() throws {
        let good = try Gzip.compress(Array("hello hello hello".utf8))
        #expect(throws: Gzip.Error.self) { try Gzip.decompress(Array(good.prefix(good.count - 6)), limit: 100) }
        #expect(throws: Gzip.Error.self) { try Gzip.decompress(Array("not gzip at all".utf8), limit: 100) }
        #expect(throws: Gzip.Error.self) { try Gzip.decompress([], limit: 100) }
    }
}
