@testable import StallCore
import Testing

@Suite struct CanonicalJSONTests {
    @Test func membersAreSortedWithoutWhitespaceAndUnicodeStaysRaw() {
        let value: JSONValue = ["b": 1, "a": ["x": true, "c": nil], "t": "支付宝\n\"q\"\u{01}"]
        #expect(CanonicalJSON.string(value) == #"{"a":{"c":null,"x":true},"b":1,"t":"支付宝\n\"q\"\u0001"}"#)
    }

    @Test func parsingThenSerializingIsTheIdentityOnCanonicalText() throws {
        let text = #"{"amount_fen":1250,"arr":[1,-2,"三"],"kind":"payment","ok":false,"z":null}"#
        #expect(CanonicalJSON.string(try JSONParser.parse(text)) == text)
    }

    @Test func aFloatingPointNumberIsRefusedWithItsOffset() {
        #expect(throws: JSONParseError(code: .floatNotAllowed, offset: 14)) { try JSONParser.parse(#"{"amount_fen":12.5}"#) }
        #expect(throws: JSONParseError(code: .floatNotAllowed, offset: 5)) { try JSONParser.parse(#"{"a":1e3}"#) }
    }

    @Test func integersBeyondTwoToTheFiftyThirdAreRefused() {
        #expect(throws: JSONParseError(code: .integerOutOfRange, offset: 5)) { try JSONParser.parse(#"{"a":9007199254740992}"#) }
        #expect((try? JSONParser.parse(#"{"a":9007199254740991}"#)) != nil)
    }

    @Test func duplicateMembersAndTrailingDataAreRefused() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"a":1,"a":2}"#) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#"{"a":1} x"#) }
    }

    @Test func surrogatePairEscapesDecodeToOneScalar() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func deeplyNestedInputIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func base64RoundTripsAndRefusesNonCanonicalPadding() {
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8($0 * 37 & 0xFF) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.decode("QR==") == nil)
        #expect(Base64.decode("QQ==") == [0x41])
    }
}

@Suite struct CanonicalSigningSpliceTests {
    /// `UnsignedRecord.signed(by:)` writes the members once and splices `sig` in; the
    /// result must be byte for byte the full encoding of the signed record, wherever `sig`
    /// falls among the keys (first, middle, last).
    @Test(arguments: [
        ["a": JSONValue.int(1)],
        ["zz": JSONValue.int(1), "aa": "x"],
        ["seq": 3, "sih": true, "sif": .null],
        ["text": "支付宝到账\"十二\"\n点五元", "amount_fen": -1250, "nested": ["k": [1, 2, "\u{1}"]]],
    ] as [[String: JSONValue]])
    func theSplicedCanonicalEqualsTheFullEncoding(members: [String: JSONValue]) throws {
        var unsigned = UnsignedRecord(
            deviceID: "56475aa75463474c0285df5dbf2bcab7", seq: 1, prev: Record.genesisPrev, timestampMs: 1, clockSynced: true,
            kind: .start, body: [:])
        for (key, value) in members { unsigned.members[key] = value }
        var signedOver: [UInt8] = []
        let (record, canonical) = unsigned.signed { bytes in
            signedOver = bytes
            return Array(bytes.prefix(64)) + [UInt8](repeating: 7, count: max(0, 64 - bytes.count))
        }
        #expect(signedOver == unsigned.signedBytes)
        #expect(canonical == record.canonicalBytes)
        #expect(canonical == CanonicalJSON.bytes(record.json))
    }

    @Test func keysOrderByUTF16CodeUnitsEvenBeyondTheBasicPlane() {
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FF5E; UTF-8 order says after.
        #expect(CanonicalJSON.precedes("\u{1F600}", "\u{FF5E}"))
        #expect(!CanonicalJSON.precedes("\u{FF5E}", "\u{1F600}"))
        #expect(CanonicalJSON.precedes("a", "b") && CanonicalJSON.precedes("ab", "b") && !CanonicalJSON.precedes("b", "b"))
        #expect(CanonicalJSON.string(["\u{FF5E}": 1, "\u{1F600}": 2]) == "{\"\u{1F600}\":2,\"\u{FF5E}\":1}")
    }

    @Test(arguments: [Int64(0), 7, -7, 1250, -9_007_199_254_740_991, 9_007_199_254_740_991, Int64.min, Int64.max])
    func integersAreWrittenAsDecimalText(number: Int64) {
        #expect(CanonicalJSON.string(.int(number)) == String(number))
    }
}
