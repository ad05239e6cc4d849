import StallCore

/// One queued payment as a box receives it from the long-poll (SPEC.md section 8).
/// `cursor` is the position just after this notification; cursors are opaque strings on
/// the wire (here: the decimal row number, which only grows).
public struct PaymentNotification: Hashable, Sendable {
    public var cursor: String
    public var paymentID: String
    public var amountFen: Int64
    public var channel: String
    public var paidAtMs: Int64

    public init(cursor: String, paymentID: String, amountFen: Int64, channel: String, paidAtMs: Int64) {
        self.cursor = cursor
        self.paymentID = paymentID
        self.amountFen = amountFen
        self.channel = channel
        self.paidAtMs = paidAtMs
    }

    public var json: JSONValue {
        [
            "cursor": .string(cursor), "payment_id": .string(paymentID), "amount_fen": .int(amountFen),
            "channel": .string(channel), "paid_at_ms": .int(paidAtMs),
        ]
    }
}

/// A long-poll reply: the notifications after the asked cursor, and the cursor to ask with
/// next (the last notification's, or the asked one when the list is empty).
public struct NotificationPage: Hashable, Sendable {
    public var notifications: [PaymentNotification]
    public var next: String

    public init(notifications: [PaymentNotification], next: String) {
        self.notifications = notifications
        self.next = next
    }

    public var json: JSONValue { ["notifications": .array(notifications.map(\.json)), "next": .string(next)] }
}

/// What `POST /v1/devices/{id}/payments` answers: the payment is queued at `cursor`.
public struct QueuedPayment: Hashable, Sendable {
    public var paymentID: String
    public var cursor: String

    public init(paymentID: String, cursor: String) {
        self.paymentID = paymentID
        self.cursor = cursor
    }

    public var json: JSONValue { ["payment_id": .string(paymentID), "cursor": .string(cursor)] }
}
