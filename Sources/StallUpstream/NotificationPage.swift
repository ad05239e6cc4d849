import StallCore

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
