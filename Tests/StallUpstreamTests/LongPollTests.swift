import StallCore
import StallUpstream
import Testing

/// Payment notifications by long-poll (SPEC.md section 8), against the store.
@Suite struct LongPollTests {
    let device = Fixtures.deviceID

    @Test func aLongPollReturnsAtOnceWhenANotificationIsAlreadyQueued() async throws {
        let store = try Fixtures.makeStore(nowMs: { 1_764_043_202_000 })
        let queued = try await store.enqueuePayment(deviceID: device, amountFen: 1250, channel: "alipay", paymentID: "p-0001")
        let clock = ContinuousClock()
        var page: NotificationPage?
        let elapsed = try await clock.measure {
            page = try await store.waitForNotifications(deviceID: device, after: nil, hold: .seconds(5))
        }
        #expect(elapsed < .seconds(1))
        #expect(page == NotificationPage(
            notifications: [PaymentNotification(
                cursor: queued.cursor, paymentID: "p-0001", amount: Fen(1250), channel: .alipay, paidAtMs: 1_764_043_202_000)],
            next: queued.cursor))
    }

    @Test func aLongPollWithNothingQueuedAnswersAnEmptyListWithTheGivenCursorAfterTheHold() async throws {
        let store = try Fixtures.makeStore()
        let first = try await store.enqueuePayment(deviceID: device, amountFen: 100)
        let clock = ContinuousClock()
        var page: NotificationPage?
        let elapsed = try await clock.measure {
            page = try await store.waitForNotifications(deviceID: device, after: first.cursor, hold: .seconds(1))
        }
        #expect(page == NotificationPage(notifications: [], next: first.cursor))
        #expect(elapsed >= .milliseconds(950))
        #expect(elapsed < .seconds(3))
    }

    @Test func aWaitingLongPollWakesAsSoonAsAPaymentIsQueued() async throws {
        let store = try Fixtures.makeStore()
        let device = self.device
        let clock = ContinuousClock()
        let started = clock.now
        let page = try await withThrowingTaskGroup(of: NotificationPage?.self) { group in
            group.addTask {
                try await store.waitForNotifications(deviceID: device, after: nil, hold: .seconds(20))
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                _ = try await store.enqueuePayment(deviceID: device, amountFen: 1250, paymentID: "p-late")
                return nil
            }
            var found: NotificationPage?
            for try await result in group { if let result { found = result } }
            return found
        }
        // Far below the 20 s hold; generous because the suite runs in parallel on 2 cores.
        #expect(clock.now - started < .seconds(10))
        #expect(page?.notifications.map(\.paymentID) == ["p-late"])
    }

    @Test func notificationsComeInQueueOrderAndOnlyForTheirDevice() async throws {
        let store = try Fixtures.makeStore()
        let other = "24f6ed6acbfe1009c030d7ca567c33ca"
        let a = try await store.enqueuePayment(deviceID: device, amountFen: 1, paymentID: "p-a")
        _ = try await store.enqueuePayment(deviceID: other, amountFen: 2, paymentID: "p-other")
        let b = try await store.enqueuePayment(deviceID: device, amountFen: 3, paymentID: "p-b")
        // The same payment_id queued twice is delivered twice; the box deduplicates.
        _ = try await store.enqueuePayment(deviceID: device, amountFen: 3, paymentID: "p-b")

        let all = try await store.notifications(deviceID: device, after: nil)
        #expect(all.notifications.map(\.paymentID) == ["p-a", "p-b", "p-b"])
        let afterA = try await store.notifications(deviceID: device, after: a.cursor)
        #expect(afterA.notifications.first?.cursor == b.cursor)
        #expect(afterA.next == afterA.notifications.last?.cursor)
        // An unrecognised cursor reads from the start.
        #expect(try await store.notifications(deviceID: device, after: "c-unknown").notifications.count == 3)
    }

    @Test(arguments: [Int64(0), -5, 10_000_000_000])
    func aPaymentOutsideOneFenToTheLargestAnnounceableAmountIsRefused(amount: Int64) async throws {
        let store = try Fixtures.makeStore()
        await #expect(throws: UpstreamStoreError.self) {
            _ = try await store.enqueuePayment(deviceID: device, amountFen: amount)
        }
    }
}
