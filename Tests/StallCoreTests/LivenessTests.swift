import StallCore
import Testing

/// The watchdog's view: a loop busy without progress is stalled; a waiting loop is not.
@Suite struct LivenessTests {
    @Test func aLoopBusyWithoutProgressPastTheLimitIsStalled() {
        let liveness = Liveness()
        liveness.beat("scale:scale0")
        liveness.idle("announcer")
        let later = ContinuousClock.now + .seconds(31)
        #expect(liveness.stalled(limit: .seconds(30), now: later) == ["scale:scale0"])
        #expect(liveness.stalled(limit: .seconds(30)) == [])
    }

    @Test func aFinishedLoopIsForgotten() {
        let liveness = Liveness()
        liveness.beat("uplink")
        liveness.finished("uplink")
        #expect(liveness.stalled(limit: .zero, now: .now + .seconds(1)) == [])
    }

    @Test func aDoorbellRungBeforeTheWaitIsNotLost() async {
        let doorbell = Doorbell()
        doorbell.ring()
        let started = ContinuousClock.now
        await doorbell.wait(timeout: .seconds(10))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aDoorbellWaitEndsAtItsTimeout() async {
        let started = ContinuousClock.now
        await Doorbell().wait(timeout: .milliseconds(100))
        #expect(ContinuousClock.now - started >= .milliseconds(100))
    }
}
