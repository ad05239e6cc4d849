import StallCore
import Testing

/// The reading rules of reference/announcement.md, one row per trap.
@Suite struct AmountReadingTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var fen: Int64
        var style: AmountReading.Style = .decimal
        var liang = false
        var expected: String
        var testDescription: String { "\(fen) fen \(style)\(liang ? " liang" : "") → \(expected)" }
    }

    static let rows: [Row] = [
        Row(fen: 1250, expected: "十二点五元"),
        Row(fen: 5, expected: "零点零五元"),
        Row(fen: 1000, expected: "十元"),
        Row(fen: 10001, expected: "一百点零一元"),
        Row(fen: 1, expected: "零点零一元"),
        Row(fen: 10, expected: "零点一元"),
        Row(fen: 1500, expected: "十五元"),
        Row(fen: 11000, expected: "一百一十元"),
        Row(fen: 10_000_500, expected: "十万零五元"),
        Row(fen: 100_030_000, expected: "一百万零三百元"),
        Row(fen: 100_300_000, expected: "一百万三千元"),
        Row(fen: 1_003_000, expected: "一万零三十元"),
        Row(fen: 15_000_000, expected: "十五万元"),
        Row(fen: 10_001_000, expected: "十万零一十元"),
        Row(fen: 9_999_999_999, expected: "九千九百九十九万九千九百九十九点九九元"),
        Row(fen: 100_000_000, expected: "一百万元"),
        Row(fen: 200, expected: "二元"),
        Row(fen: 200, liang: true, expected: "两元"),
        Row(fen: 250, liang: true, expected: "二点五元"),
        Row(fen: 20_000, liang: true, expected: "两百元"),
        Row(fen: 120_000, liang: true, expected: "一千两百元"),
        Row(fen: 2_200_000_000, liang: true, expected: "两千两百万元"),
        Row(fen: 2_000_000, liang: true, expected: "两万元"),
        Row(fen: 12_000_000, liang: true, expected: "十二万元"),
        Row(fen: 102_000_000, liang: true, expected: "一百零二万元"),
        Row(fen: 2_200, liang: true, expected: "二十二元"),
        Row(fen: 10_200, liang: true, expected: "一百零二元"),
        Row(fen: 22_222, liang: true, expected: "两百二十二点二二元"),
        Row(fen: 1250, style: .yuan, expected: "十二元五角"),
        Row(fen: 1005, style: .yuan, expected: "十元零五分"),
        Row(fen: 5, style: .yuan, expected: "五分"),
        Row(fen: 1200, style: .yuan, expected: "十二元"),
        Row(fen: 250, style: .yuan, liang: true, expected: "两元五角"),
        Row(fen: 20, style: .yuan, liang: true, expected: "两角"),
        Row(fen: 22, style: .yuan, liang: true, expected: "两角二分"),
        Row(fen: 2, style: .yuan, liang: true, expected: "两分"),
        Row(fen: 120, style: .yuan, liang: true, expected: "一元二角"),
        Row(fen: 102, style: .yuan, liang: true, expected: "一元零二分"),
        Row(fen: 2, style: .yuan, expected: "二分"),
        Row(fen: 11, style: .yuan, expected: "一角一分"),
    ]

    @Test(arguments: rows)
    func readsTheAmountAsTheReferenceSays(row: Row) throws {
        let reading = AmountReading(style: row.style, liang: row.liang)
        #expect(try reading.tokens(for: Fen(row.fen)).joined() == row.expected)
    }

    @Test func thePhraseForTwelveFiftyByAlipayIsTheDesignExample() throws {
        #expect(try AmountReading().phrase(for: Fen(1250), channel: .alipay) == "支付宝到账十二点五元")
        #expect(try AmountReading().phrase(for: Fen(1250), channel: .wechat) == "微信收款十二点五元")
    }

    @Test func everyTokenIsOneClipOfTheVoicePack() throws {
        let tokens = try AmountReading(style: .yuan, liang: true).phraseTokens(for: Fen(2_212_345_602), channel: .unionpay)
        #expect(tokens.first == "云闪付收款")
        #expect(tokens.dropFirst().allSatisfy { $0.count == 1 })
    }

    @Test(arguments: [Int64(0), -1, 10_000_000_000])
    func amountsOutsideTheRangeAreErrorsNotGuesses(fen: Int64) {
        #expect(throws: AmountReading.Error.outOfRange(Fen(fen))) { try AmountReading().tokens(for: Fen(fen)) }
    }
}

@Suite struct FenParsingTests {
    @Test(arguments: [("12", Int64(1200)), ("12.5", 1250), ("12.50", 1250), ("0.01", 1), ("0.29", 29), (".5", 50)])
    func yuanStringsParseExactlyIntoFen(text: String, fen: Int64) throws {
        #expect(try Fen(parsingYuan: text).value == fen)
    }

    @Test(arguments: ["", "-1", "1.234", "1e3", "1,5", " 1", "1.", "abc", "1..2", "+3"])
    func malformedAmountsAreRefused(text: String) {
        #expect(throws: Fen.ParseError.self) { try Fen(parsingYuan: text) }
    }
}
