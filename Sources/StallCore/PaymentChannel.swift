/// How a customer paid, which decides the spoken prefix of the announcement
/// (reference/announcement.md, "Channel prefixes").
public enum PaymentChannel: String, CaseIterable, Hashable, Sendable {
    case alipay
    case wechat
    case unionpay
    case none

    /// The words said before the amount; each is one clip of the voice pack.
    public var prefix: String {
        switch self {
        case .alipay: "支付宝到账"
        case .wechat: "微信收款"
        case .unionpay: "云闪付收款"
        case .none: "收款"
        }
    }
}
