import StallCore
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
