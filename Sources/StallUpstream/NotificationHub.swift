/// Wakes the long-polls waiting on a device when a payment is queued for it, so a poll
/// answers at once instead of re-reading the database on a timer.
///
/// A waiter subscribes BEFORE it reads the database and unsubscribes after it has woken:
/// a payment committed between the read and the wait still finds the subscription, and the
/// stream's one-element buffer keeps the wake-up until the waiter gets to it.
actor NotificationHub {
    struct Subscription: Sendable {
        let id: Int
        let deviceID: String
        let wakeUps: AsyncStream<Void>
        /// Also used to wake the waiter for a graceful shutdown.
        let continuation: AsyncStream<Void>.Continuation
    }

    private var waiters: [String: [Int: AsyncStream<Void>.Continuation]] = [:]
    private var nextID = 0

    func subscribe(deviceID: String) -> Subscription {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        nextID += 1
        waiters[deviceID, default: [:]][nextID] = continuation
        return Subscription(id: nextID, deviceID: deviceID, wakeUps: stream, continuation: continuation)
    }

    func unsubscribe(_ subscription: Subscription) {
        waiters[subscription.deviceID]?[subscription.id] = nil
        if waiters[subscription.deviceID]?.isEmpty == true { waiters[subscription.deviceID] = nil }
        subscription.continuation.finish()
    }

    func notify(deviceID: String) {
        guard let deviceWaiters = waiters[deviceID] else { return }
        for continuation in deviceWaiters.values { continuation.yield() }
    }

    /// Number of waiting long-polls (for tests and logs).
    var waiterCount: Int { waiters.values.reduce(0) { $0 + $1.count } }
}
