import GRDB
import ServiceLifecycle
import StallCore

extension UpstreamStore {
    /// The largest amount a box can announce (SPEC.md section 8).
    public static let maxAmountFen: Int64 = 9_999_999_999
    /// How many notifications one long-poll reply carries at most; the box asks again at once.
    public static let notificationsPerReply = 100

    /// Queues a payment notification for a device and wakes its long-polls. Each call
    /// queues one notification, even for a `payment_id` queued before (that is how tests
    /// check the box's deduplication). Returns after the notification is committed.
    public func enqueuePayment(
        deviceID: String, amountFen: Int64, channel: String = "alipay", paymentID: String? = nil
    ) async throws(UpstreamStoreError) -> QueuedPayment {
        guard (1...Self.maxAmountFen).contains(amountFen) else {
            throw UpstreamStoreError(
                operation: "queue a payment for \(deviceID)",
                underlying: InvalidPayment("amount_fen must be 1...\(Self.maxAmountFen), got \(amountFen)"))
        }
        if let paymentID, paymentID.isEmpty {
            throw UpstreamStoreError(
                operation: "queue a payment for \(deviceID)", underlying: InvalidPayment("payment_id must not be empty"))
        }
        let id = paymentID ?? Self.newPaymentID()
        let paidAtMs = nowMs()
        let cursor = try await write("queue payment \(id) for \(deviceID)") { db in
            try db.execute(
                sql: "INSERT INTO notifications (device_id, payment_id, amount_fen, channel, paid_at_ms) VALUES (?, ?, ?, ?, ?)",
                arguments: [deviceID, id, amountFen, channel, paidAtMs])
            return db.lastInsertedRowID
        }
        await hub.notify(deviceID: deviceID)
        return QueuedPayment(paymentID: id, cursor: String(cursor))
    }

    /// The notifications queued for a device after `cursor`, oldest first, without waiting.
    /// A missing, empty or unrecognised cursor means "from the oldest kept" (SPEC.md
    /// section 8); `next` echoes the given cursor when there is nothing new.
    public func notifications(deviceID: String, after cursor: String?) async throws(UpstreamStoreError) -> NotificationPage {
        let after = Self.position(ofCursor: cursor)
        let limit = Self.notificationsPerReply
        let found = try await read("read notifications of \(deviceID) after \(cursor ?? "the start")") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT cursor, payment_id, amount_fen, channel, paid_at_ms FROM notifications
                    WHERE device_id = ? AND cursor > ? ORDER BY cursor LIMIT ?
                    """,
                arguments: [deviceID, after, limit]
            ).map { row in
                // Only valid channels are queued (PaymentOrder checks them); an unknown one
                // in an old database is served as "none" rather than dropped.
                PaymentNotification(
                    cursor: String(row["cursor"] as Int64), paymentID: row["payment_id"], amount: Fen(row["amount_fen"]),
                    channel: PaymentChannel(rawValue: row["channel"]) ?? .none, paidAtMs: row["paid_at_ms"])
            }
        }
        return NotificationPage(notifications: found, next: found.last?.cursor ?? cursor ?? "")
    }

    /// The long-poll: answers as soon as a notification after `cursor` exists, else with an
    /// empty list once `hold` has passed. A graceful shutdown of the surrounding service
    /// group (SIGTERM) answers at once with an empty list, so stopping never waits out a hold.
    public func waitForNotifications(
        deviceID: String, after cursor: String?, hold: Duration
    ) async throws(UpstreamStoreError) -> NotificationPage {
        let deadline = ContinuousClock.now.advanced(by: hold)
        while true {
            let subscription = await hub.subscribe(deviceID: deviceID)
            let page: NotificationPage
            do {
                page = try await notifications(deviceID: deviceID, after: cursor)
            } catch {
                await hub.unsubscribe(subscription)
                throw error
            }
            if !page.notifications.isEmpty || ContinuousClock.now >= deadline || Task.isCancelled
                || Task.isShuttingDownGracefully
            {
                await hub.unsubscribe(subscription)
                return page
            }
            await withGracefulShutdownHandler {
                await Self.firstWakeUp(of: subscription, orAt: deadline)
            } onGracefulShutdown: {
                subscription.continuation.yield()
            }
            await hub.unsubscribe(subscription)
        }
    }

    /// Returns at the subscription's first wake-up or at the deadline, whichever comes first.
    static func firstWakeUp(of subscription: NotificationHub.Subscription, orAt deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in subscription.wakeUps { return }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Where a cursor string points: its row number, or 0 (the start) when unrecognised.
    static func position(ofCursor cursor: String?) -> Int64 {
        guard let cursor, let position = Int64(cursor), position >= 0 else { return 0 }
        return position
    }

    static func newPaymentID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "p-" + Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

/// A payment that cannot be queued (amount out of range, empty id).
public struct InvalidPayment: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
