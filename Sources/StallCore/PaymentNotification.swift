/// One payment as upstream's notification long-poll delivers it (firmware-protocols/upstream/
/// SPEC.md): the box parses it, the reference receiver serves it. `cursor` is the position
/// just after this notification; cursors are opaque strings chosen by upstream.
public struct PaymentNotification: Hashable, Sendable {
    public var cursor: String
    public var paymentID: String
    public var amount: Fen
    public var channel: PaymentChannel
    public var paidAtMs: Int64

    public init(cursor: String, paymentID: String, amount: Fen, channel: PaymentChannel, paidAtMs: Int64) {
        self.cursor = cursor
        self.paymentID = paymentID
        self.amount = amount
        self.channel = channel
        self.paidAtMs = paidAtMs
    }

    public var json: JSONValue {
        [
            "cursor": .string(cursor), "payment_id": .string(paymentID), "amount_fen": .int(amount.value),
            "channel": .string(channel.rawValue), "paid_at_ms": .int(paidAtMs),
        ]
    }

    /// Reads one entry of the `notifications` array; nil names what is wrong.
    public static func parse(_ value: JSONValue) -> Result<PaymentNotification, InvalidNotification> {
        guard let paymentID = value["payment_id"]?.stringValue, !paymentID.isEmpty, paymentID.utf8.count <= 128 else {
            return .failure(InvalidNotification(reason: "payment_id missing or longer than 128 bytes"))
        }
        guard let amount = value["amount_fen"]?.intValue, AmountReading.validRange.contains(amount) else {
            return .failure(InvalidNotification(reason: "payment \(paymentID): amount_fen missing or out of range"))
        }
        guard let channelName = value["channel"]?.stringValue, let channel = PaymentChannel(rawValue: channelName) else {
            return .failure(InvalidNotification(reason: "payment \(paymentID): unknown channel"))
        }
        let cursor = value["cursor"]?.stringValue ?? ""
        let paidAt = value["paid_at_ms"]?.intValue ?? 0
        return .success(PaymentNotification(cursor: cursor, paymentID: paymentID, amount: Fen(amount), channel: channel, paidAtMs: paidAt))
    }

    public struct InvalidNotification: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public init(reason: String) { self.reason = reason }
        public var description: String { reason }
    }
}
