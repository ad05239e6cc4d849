/// Reads an amount of fen aloud in Chinese, as a sequence of voice-pack tokens.
///
/// The rules are the project's contract (reference/announcement.md, section 1):
/// - the integer part is read in groups of four digits (个, 万, 亿); zeros at the end of a
///   group are silent, any other run of zeros (inside a group, at the start of a lower
///   group, or across an all-zero group) is one 零, never at the start or the end;
/// - a 1 in the tens place is 十 only when it is the first digit spoken, else 一十;
/// - decimal style: integer (or 零), then 点 and the fen digits one by one with trailing
///   zeros dropped, then 元; 元角分 style: N元, X角, a 零 between 元 and a lone 分, X分;
/// - with `liang`, 2 is 两 in the 百/千 places, for a 万/亿 group whose value is 2, and for
///   a whole count of 2 that opens the amount directly before 元/角/分; 二 elsewhere.
/// Every token returned is one clip of a voice pack; the phrase text is their concatenation.
public struct AmountReading: Sendable {
    public enum Style: String, Sendable, CaseIterable {
        case decimal
        case yuan
    }

    public enum Error: Swift.Error, Equatable, Sendable, CustomStringConvertible {
        case outOfRange(Fen)

        public var description: String {
            switch self {
            case .outOfRange(let fen):
                "amount \(fen) yuan is outside 0.01 … 99999999.99 yuan"
            }
        }
    }

    /// The announceable range: 0.01 to 99,999,999.99 yuan.
    public static let validRange: ClosedRange<Int64> = 1...9_999_999_999

    public var style: Style
    public var liang: Bool

    public init(style: Style = .decimal, liang: Bool = false) {
        self.style = style
        self.liang = liang
    }

    /// The ten digit words, each one clip of a voice pack.
    public static var digitWordsForPack: [String] { digitWords }

    static let digitWords = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
    static let placeWords = ["", "十", "百", "千"]
    static let groupWords = ["", "万", "亿"]

    /// The tokens of the amount alone, without a channel prefix.
    public func tokens(for amount: Fen) throws(Error) -> [String] {
        var out: [String] = []
        try appendTokens(for: amount, to: &out)
        return out
    }

    /// The whole phrase: channel prefix and amount, as tokens.
    public func phraseTokens(for amount: Fen, channel: PaymentChannel) throws(Error) -> [String] {
        var out: [String] = []
        try appendPhraseTokens(for: amount, channel: channel, to: &out)
        return out
    }

    /// Replaces `tokens` with the phrase's tokens, keeping its storage: the announcer reuses
    /// one array for every phrase, and every token is a constant short string, so reading an
    /// amount allocates nothing once the array has grown (a test counts the allocations).
    public func appendPhraseTokens(for amount: Fen, channel: PaymentChannel, to tokens: inout [String]) throws(Error) {
        tokens.removeAll(keepingCapacity: true)
        tokens.append(channel.prefix)
        try appendTokens(for: amount, to: &tokens)
    }

    public func phrase(for amount: Fen, channel: PaymentChannel) throws(Error) -> String {
        try phraseTokens(for: amount, channel: channel).joined()
    }

    func appendTokens(for amount: Fen, to out: inout [String]) throws(Error) {
        guard Self.validRange.contains(amount.value) else { throw .outOfRange(amount) }
        let whole = amount.value / 100
        let jiao = Int((amount.value / 10) % 10)
        let fen = Int(amount.value % 10)
        switch style {
        case .decimal:
            if whole == 0 {
                out.append("零")
            } else if liang && whole == 2 && jiao == 0 && fen == 0 {
                out.append("两")  // rule (c): 2.00 → 两元
            } else {
                appendIntegerTokens(whole, to: &out)
            }
            if jiao != 0 || fen != 0 {
                out.append("点")
                out.append(Self.digitWords[jiao])
                if fen != 0 { out.append(Self.digitWords[fen]) }
            }
            out.append("元")
        case .yuan:
            if whole != 0 {
                if whole == 2 && liang { out.append("两") } else { appendIntegerTokens(whole, to: &out) }
                out.append("元")
            }
            if jiao != 0 {
                out.append(openingDigit(jiao, opensAmount: whole == 0))
                out.append("角")
            }
            if fen != 0 {
                if whole != 0 && jiao == 0 { out.append("零") }
                out.append(openingDigit(fen, opensAmount: whole == 0 && jiao == 0))
                out.append("分")
            }
        }
    }

    private func openingDigit(_ digit: Int, opensAmount: Bool) -> String {
        liang && opensAmount && digit == 2 ? "两" : Self.digitWords[digit]
    }

    /// Reads a positive integer in groups of four digits, most significant digit first.
    /// Digits come from arithmetic, not from a string, so nothing is allocated.
    func appendIntegerTokens(_ number: Int64, to out: inout [String]) {
        precondition(number > 0)
        var digitCount = 0
        var rest = number
        while rest > 0 { digitCount += 1; rest /= 10 }
        var divisor: Int64 = 1
        for _ in 1..<digitCount { divisor *= 10 }
        var spokeAny = false
        var zeroPending = false
        var groupHasDigit = false
        for position in stride(from: digitCount - 1, through: 0, by: -1) {
            let digit = Int((number / divisor) % 10)
            divisor /= 10
            let place = position % 4
            let group = position / 4
            if digit == 0 {
                if spokeAny { zeroPending = true }
            } else {
                if zeroPending { out.append("零") }
                zeroPending = false
                groupHasDigit = true
                if place == 1 && digit == 1 && !spokeAny {
                    out.append("十")
                } else {
                    out.append(digitWord(digit, place: place, group: group, number: number))
                    if place > 0 { out.append(Self.placeWords[place]) }
                }
                spokeAny = true
            }
            if place == 0 {
                if group > 0 && groupHasDigit {
                    out.append(Self.groupWords[group])
                    // Zeros that end a spoken group are silent; an all-zero group keeps the
                    // pending zero so the run across it is still one 零.
                    zeroPending = false
                }
                groupHasDigit = false
            }
        }
    }

    private func digitWord(_ digit: Int, place: Int, group: Int, number: Int64) -> String {
        guard liang && digit == 2 else { return Self.digitWords[digit] }
        if place >= 2 { return "两" }  // rule (a): 两百, 两千
        if place == 0 && group > 0 {
            // rule (b): a 万 or 亿 group whose whole value is 2 (两万, but 十二万).
            var groupScale: Int64 = 1
            for _ in 0..<group { groupScale *= 10_000 }
            if (number / groupScale) % 10_000 == 2 { return "两" }
        }
        return "二"
    }
}
