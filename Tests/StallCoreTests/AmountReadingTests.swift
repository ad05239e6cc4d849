@testable import StallCore
import Testing

/// The reading rules of reference/announcement.md section 1, one row per example or trap.
/// Every expected string is written from the reference, never copied from the code's output.
///
/// Amounts are integer fen written as Chinese reads them: groups of four digits of yuan, then
/// the two fen digits (`100_0300_00` is 1,000,300.00 yuan, `2_50` is 2.50 yuan, `5` is 0.05).
@Suite struct AmountReadingTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var fen: Int64
        var style: AmountReading.Style
        var liang: Bool
        var expected: String

        init(_ fen: Int64, _ style: AmountReading.Style, liang: Bool, _ expected: String) {
            self.fen = fen
            self.style = style
            self.liang = liang
            self.expected = expected
        }

        init(_ fen: Int64, _ expected: String) { self.init(fen, .decimal, liang: false, expected) }
        init(_ fen: Int64, _ style: AmountReading.Style, _ expected: String) { self.init(fen, style, liang: false, expected) }
        init(_ fen: Int64, liang: Bool, _ expected: String) { self.init(fen, .decimal, liang: liang, expected) }

        var testDescription: String { "\(Fen(fen)) yuan \(style)\(liang ? " liang" : "") → \(expected)" }
    }

    /// The 24 clips of a voice pack (reference/announcement.md section 2).
    static let voicePackTokens: Set<String> = [
        "零", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九",
        "十", "百", "千", "万", "亿", "点", "元", "角", "分",
        "支付宝到账", "微信收款", "云闪付收款", "收款",
    ]

    static let rows: [Row] = [
        // Section 1, zeros: a run of zeros is one 零, also across the 万 boundary; zeros at
        // the end of a group are silent.
        Row(10_0005_00, "十万零五元"),
        Row(100_0300_00, "一百万零三百元"),
        Row(1_0030_00, "一万零三十元"),
        Row(100_3000_00, "一百万三千元"),
        // Section 1, 十 or 一十.
        Row(15_00, "十五元"),
        Row(15_0000_00, "十五万元"),
        Row(110_00, "一百一十元"),
        Row(10_0010_00, "十万零一十元"),
        // Section 1, decimal style.
        Row(12_50, "十二点五元"),
        Row(5, "零点零五元"),
        Row(10_00, "十元"),
        Row(100_01, "一百点零一元"),
        // Section 1, 元角分 style.
        Row(12_50, .yuan, "十二元五角"),
        Row(10_05, .yuan, "十元零五分"),
        Row(5, .yuan, "五分"),
        Row(12_00, .yuan, "十二元"),
        // Section 1, 两: (a) 百 and 千 places.
        Row(200_00, liang: true, "两百元"),
        Row(1200_00, liang: true, "一千两百元"),
        Row(2200_0000_00, liang: true, "两千两百万元"),
        // (b) a 万 group whose whole value is 2; not 十二万 or 一百零二万.
        Row(2_0000_00, liang: true, "两万元"),
        Row(12_0000_00, liang: true, "十二万元"),
        Row(102_0000_00, liang: true, "一百零二万元"),
        // (c) a whole 2 opening the amount directly before 元, 角 or 分.
        Row(2_00, liang: true, "两元"),
        Row(2_50, .yuan, liang: true, "两元五角"),
        Row(20, .yuan, liang: true, "两角"),
        Row(22, .yuan, liang: true, "两角二分"),
        Row(2, .yuan, liang: true, "两分"),
        Row(1_20, .yuan, liang: true, "一元二角"),
        Row(1_02, .yuan, liang: true, "一元零二分"),
        // Never in the tens place, never the last digit of a larger count, never after 点.
        Row(20_00, liang: true, "二十元"),
        Row(12_00, liang: true, "十二元"),
        Row(102_00, liang: true, "一百零二元"),
        Row(2_50, liang: true, "二点五元"),
        // "How these rules sit with common usage".
        Row(3_05, .yuan, "三元零五分"),
        Row(20_06, .yuan, "二十元零六分"),
        Row(29, .yuan, liang: true, "两角九分"),
        Row(222_00, "二百二十二元"),
        Row(222_00, liang: true, "两百二十二元"),
        Row(2202_00, liang: true, "两千两百零二元"),
        Row(2_2200_00, "二万二千二百元"),
        Row(2_2200_00, liang: true, "两万两千两百元"),
        Row(3_2000_00, liang: true, "三万两千元"),
        // Section 3's chip reading of 62986600, as section 1 reads it instead.
        Row(6298_6600_00, "六千二百九十八万六千六百元"),
        Row(6298_6600_00, liang: true, "六千两百九十八万六千六百元"),

        // The ends of the range.
        Row(1, "零点零一元"),
        Row(1, .yuan, "一分"),
        Row(1, .yuan, liang: true, "一分"),
        Row(9999_9999_99, "九千九百九十九万九千九百九十九点九九元"),
        Row(9999_9999_99, liang: true, "九千九百九十九万九千九百九十九点九九元"),
        Row(9999_9999_99, .yuan, "九千九百九十九万九千九百九十九元九角九分"),

        // Decimals: digit by digit, trailing zeros dropped, 零 for a zero integer part.
        Row(10, "零点一元"),
        Row(50, "零点五元"),
        Row(99, "零点九九元"),
        Row(1_00, "一元"),
        Row(10_05, "十点零五元"),
        Row(19_90, "十九点九元"),
        Row(100_10, "一百点一元"),
        Row(1000_01, "一千点零一元"),
        Row(5000_0000_50, "五千万点五元"),
        Row(1234_5678_90, "一千二百三十四万五千六百七十八点九元"),
        Row(1010_1010_10, "一千零一十万一千零一十点一元"),

        // 元角分: 零 only between 元 and a lone 分; no 整.
        Row(10, .yuan, "一角"),
        Row(11, .yuan, "一角一分"),
        Row(1_00, .yuan, "一元"),
        Row(1_10, .yuan, "一元一角"),
        Row(1234_5678_90, .yuan, "一千二百三十四万五千六百七十八元九角"),
        Row(10_0000_05, .yuan, "十万元零五分"),
        Row(10_0005_00, .yuan, "十万零五元"),
        Row(100_0000_01, .yuan, "一百万元零一分"),

        // Zeros inside a group.
        Row(101_00, "一百零一元"),
        Row(1001_00, "一千零一元"),
        Row(1010_00, "一千零一十元"),
        Row(1011_00, "一千零一十一元"),
        Row(1100_00, "一千一百元"),
        // Zeros across the 万 boundary, and silent zeros at the end of the 万 group.
        Row(1_0000_00, "一万元"),
        Row(1_0001_00, "一万零一元"),
        Row(1_0100_00, "一万零一百元"),
        Row(1_1000_00, "一万一千元"),
        Row(10_0000_00, "十万元"),
        Row(10_0100_00, "十万零一百元"),
        Row(10_1000_00, "十万一千元"),
        Row(10_1010_00, "十万一千零一十元"),
        Row(100_0000_00, "一百万元"),
        Row(100_0001_00, "一百万零一元"),
        Row(101_0000_00, "一百零一万元"),
        Row(1000_0000_00, "一千万元"),
        Row(1000_0001_00, "一千万零一元"),
        Row(1000_0010_00, "一千万零一十元"),
        Row(1000_1000_00, "一千万一千元"),
        Row(1001_0000_00, "一千零一万元"),
        Row(1010_0101_00, "一千零一十万零一百零一元"),
        // 十 only as the very first digit spoken, 一十 anywhere else.
        Row(11_0000_00, "十一万元"),
        Row(110_0000_00, "一百一十万元"),
        Row(1111_1111_00, "一千一百一十一万一千一百一十一元"),

        // 二 by default, everywhere.
        Row(2_00, "二元"),
        Row(2_00, .yuan, "二元"),
        Row(20, .yuan, "二角"),
        Row(2, .yuan, "二分"),
        Row(22, .yuan, "二角二分"),
        Row(200_00, "二百元"),
        Row(2000_00, "二千元"),
        Row(2_0000_00, "二万元"),
        Row(200_0000_00, "二百万元"),
        // 两 traps.
        Row(2_00, .yuan, liang: true, "两元"),
        Row(20, liang: true, "零点二元"),
        Row(2, liang: true, "零点零二元"),
        Row(22, liang: true, "零点二二元"),
        Row(2_02, liang: true, "二点零二元"),
        Row(2_02, .yuan, liang: true, "两元零二分"),
        Row(2_20, .yuan, liang: true, "两元二角"),
        Row(2_22, .yuan, liang: true, "两元二角二分"),
        Row(22_00, liang: true, "二十二元"),
        Row(22_00, .yuan, liang: true, "二十二元"),
        Row(12_00, .yuan, liang: true, "十二元"),
        Row(20_06, .yuan, liang: true, "二十元零六分"),
        Row(200_00, .yuan, liang: true, "两百元"),
        Row(2000_00, liang: true, "两千元"),
        Row(1002_00, liang: true, "一千零二元"),
        Row(1222_22, liang: true, "一千两百二十二点二二元"),
        Row(222_22, .yuan, liang: true, "两百二十二元二角二分"),
        Row(1_2000_00, liang: true, "一万两千元"),
        Row(2_2000_00, liang: true, "两万两千元"),
        Row(2_0002_00, liang: true, "两万零二元"),
        Row(2_0020_00, liang: true, "两万零二十元"),
        Row(2_0200_00, liang: true, "两万零两百元"),
        Row(2_0000_20, liang: true, "两万点二元"),
        Row(2_0000_02, .yuan, liang: true, "两万元零二分"),
        Row(12_0002_00, liang: true, "十二万零二元"),
        Row(20_0000_00, liang: true, "二十万元"),
        Row(200_0000_00, liang: true, "两百万元"),
        Row(2000_0000_00, liang: true, "两千万元"),
        Row(2222_2222_22, liang: true, "两千两百二十二万两千两百二十二点二二元"),
        Row(2222_2222_22, .yuan, liang: true, "两千两百二十二万两千两百二十二元二角二分"),
    ]

    @Test func theTableHasAtLeastEightyDistinctRows() {
        #expect(Set(Self.rows.map(\.testDescription)).count == Self.rows.count)
        #expect(Self.rows.count >= 80)
    }

    @Test(arguments: rows)
    func readsTheAmountAsTheReferenceSays(row: Row) throws {
        let tokens = try AmountReading(style: row.style, liang: row.liang).tokens(for: Fen(row.fen))
        #expect(tokens.joined() == row.expected)
        #expect(tokens.allSatisfy(Self.voicePackTokens.contains), "\(tokens)")
    }

    /// The 亿 group never occurs in the valid range, but section 1 states its rules "for
    /// generality": the integer reading follows them too.
    @Test(arguments: [
        (Int64(2_0000_0000), false, "二亿"),
        (2_0000_0000, true, "两亿"),
        (2_2000_0000, true, "两亿两千万"),
        (12_0000_0000, true, "十二亿"),
        (2_3434_3545, false, "二亿三千四百三十四万三千五百四十五"),
        (2_3434_3545, true, "两亿三千四百三十四万三千五百四十五"),
        (5_5000_5000, false, "五亿五千万五千"),
        (5_5000_0005, false, "五亿五千万零五"),
        (5_0005_5000, false, "五亿零五万五千"),
        (1_0000_0001, false, "一亿零一"),
        (1_0000_1000, false, "一亿零一千"),
        (10_0000_0000, false, "十亿"),
        (10_0010_0000, false, "十亿零一十万"),
    ])
    func theYiGroupFollowsTheSameRules(number: Int64, liang: Bool, expected: String) {
        var tokens: [String] = []
        AmountReading(liang: liang).appendIntegerTokens(number, to: &tokens)
        #expect(tokens.joined() == expected)
    }

    @Test(arguments: [
        (PaymentChannel.alipay, "支付宝到账"),
        (.wechat, "微信收款"),
        (.unionpay, "云闪付收款"),
        (PaymentChannel.none, "收款"),
    ])
    func thePhraseIsTheChannelPrefixThenTheAmount(channel: PaymentChannel, prefix: String) throws {
        #expect(channel.prefix == prefix)
        #expect(try AmountReading().phrase(for: Fen(12_50), channel: channel) == prefix + "十二点五元")
        #expect(try AmountReading(style: .yuan, liang: true).phrase(for: Fen(2_50), channel: channel) == prefix + "两元五角")
        let tokens = try AmountReading().phraseTokens(for: Fen(100_01), channel: channel)
        #expect(tokens == [prefix, "一", "百", "点", "零", "一", "元"])
    }

    @Test func theChannelNamesAreTheCommandLineNames() {
        #expect(PaymentChannel.allCases.map(\.rawValue) == ["alipay", "wechat", "unionpay", "none"])
        #expect(AmountReading.Style.allCases.map(\.rawValue) == ["decimal", "yuan"])
    }

    @Test func everyTokenOfALongPhraseIsOneClipOfTheVoicePack() throws {
        let tokens = try AmountReading(style: .yuan, liang: true).phraseTokens(for: Fen(2212_3456_02), channel: .unionpay)
        #expect(tokens == ["云闪付收款", "两", "千", "两", "百", "一", "十", "二", "万", "三", "千", "四", "百",
                           "五", "十", "六", "元", "零", "二", "分"])
        #expect(AmountReading.digitWordsForPack == ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"])
    }

    @Test(arguments: [Int64(0), -1, -1_00, 1_0000_0000_00, 2_0000_0000_00, .max, .min], AmountReading.Style.allCases)
    func amountsOutsideTheRangeAreErrorsNotGuesses(fen: Int64, style: AmountReading.Style) {
        for liang in [false, true] {
            #expect(throws: AmountReading.Error.outOfRange(Fen(fen))) {
                try AmountReading(style: style, liang: liang).tokens(for: Fen(fen))
            }
            #expect(throws: AmountReading.Error.outOfRange(Fen(fen))) {
                try AmountReading(style: style, liang: liang).phrase(for: Fen(fen), channel: .alipay)
            }
        }
    }

    @Test func theRangeErrorNamesTheAmountAndTheRange() {
        #expect(AmountReading.Error.outOfRange(Fen(0)).description == "amount 0.00 yuan is outside 0.01 … 99999999.99 yuan")
        #expect(AmountReading.Error.outOfRange(Fen(1_0000_0000_00)).description
                == "amount 100000000.00 yuan is outside 0.01 … 99999999.99 yuan")
    }
}

@Suite struct FenParsingTests {
    @Test(arguments: [
        ("12", Int64(12_00)), ("12.5", 12_50), ("12.50", 12_50), ("0.01", 1), ("0.29", 29), (".5", 50),
        ("99999999.99", 9999_9999_99), ("100000000", 1_0000_0000_00), ("0", 0),
    ])
    func yuanStringsParseExactlyIntoFen(text: String, fen: Int64) throws {
        #expect(try Fen(parsingYuan: text).value == fen)
    }

    @Test(arguments: ["", "-1", "1.234", "1e3", "1,5", " 1", "1.", "abc", "1..2", "+3", "1234567890123456", "12元"])
    func malformedAmountsAreRefused(text: String) {
        #expect(throws: Fen.ParseError.self) { try Fen(parsingYuan: text) }
    }

    @Test func aLongDigitStringIsTooLargeNotANumber() {
        #expect(throws: Fen.ParseError.tooManyDigits("1234567890123456")) { try Fen(parsingYuan: "1234567890123456") }
        #expect(throws: Fen.ParseError.notANumber("1234567890123456x")) { try Fen(parsingYuan: "1234567890123456x") }
    }
}
