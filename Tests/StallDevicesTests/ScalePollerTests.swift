import StallDevices
import Testing

@Suite struct ScalePollerTests {
    let start = ContinuousClock.now

    @Test func pollsAtTheIntervalAndCountsUnansweredRequests() {
        var poller = ScalePoller(talk: .poll(request: [0x57]), start: start)
        #expect(poller.tick(at: start) == [0x57])
        #expect(poller.tick(at: start + .milliseconds(100)) == nil)
        // Answered after 30 ms: the next request is due one interval after the last one.
        #expect(poller.received([1, 2], frames: 1, at: start + .milliseconds(30)) == nil)
        #expect(poller.tick(at: start + .milliseconds(150)) == nil)
        #expect(poller.tick(at: start + .milliseconds(200)) == [0x57])
        // No answer within 400 ms: counted and asked again.
        #expect(poller.tick(at: start + .milliseconds(599)) == nil)
        #expect(poller.tick(at: start + .milliseconds(600)) == [0x57])
        #expect(poller.unanswered == 1)
        // Bytes that make no frame do not count as an answer.
        #expect(poller.received([0x3F], frames: 0, at: start + .milliseconds(610)) == nil)
        #expect(poller.tick(at: start + .milliseconds(1000)) == [0x57])
        #expect(poller.unanswered == 2)
    }

    @Test func theCASExchangeSendsTheRequestOnlyAfterACK() {
        let talk = ScaleTalk.enquire(enquiry: [0x05], acknowledge: 0x06, notReady: 0x15, request: [0x11])
        var poller = ScalePoller(talk: talk, start: start)
        #expect(poller.tick(at: start) == [0x05])
        #expect(poller.received([0x15], frames: 0, at: start + .milliseconds(10)) == nil)
        // NAK: enquire again shortly.
        #expect(poller.tick(at: start + .milliseconds(59)) == nil)
        #expect(poller.tick(at: start + .milliseconds(60)) == [0x05])
        #expect(poller.received([0x06], frames: 0, at: start + .milliseconds(70)) == [0x11])
        #expect(poller.received([0x01, 0x02], frames: 1, at: start + .milliseconds(90)) == nil)
        #expect(poller.tick(at: start + .milliseconds(260)) == [0x05])
        #expect(poller.unanswered == 0)
    }

    @Test func aListeningScaleIsNeverSentAnything() {
        var poller = ScalePoller(talk: .listen, start: start)
        for step in 0..<50 {
            #expect(poller.tick(at: start + .milliseconds(step * 100)) == nil)
        }
    }
}
