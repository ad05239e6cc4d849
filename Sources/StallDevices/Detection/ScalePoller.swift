/// Asks a polled scale for a reading at a steady rate (5 a second by default), so a
/// polled scale feeds the weighing detector like a continuous one. A state machine: the
/// supervisor tells it the time and what arrived; it says what to send.
///
/// An unanswered request is repeated after `answerTimeout`; a CAS scale's NAK ("not
/// ready") gets the enquiry again a little later.
public struct ScalePoller: Sendable {
    public var interval: Duration
    public var answerTimeout: Duration

    enum State: Sendable, Equatable {
        case due(at: ContinuousClock.Instant)
        case awaitingAcknowledge(deadline: ContinuousClock.Instant, sentAt: ContinuousClock.Instant)
        case awaitingReply(deadline: ContinuousClock.Instant, sentAt: ContinuousClock.Instant)
    }

    public let talk: ScaleTalk
    private(set) var state: State
    /// Requests that got no reading before their timeout; a count for the diagnostics.
    public private(set) var unanswered = 0

    public init(
        talk: ScaleTalk, start: ContinuousClock.Instant, interval: Duration = .milliseconds(200),
        answerTimeout: Duration = .milliseconds(400)
    ) {
        self.talk = talk
        self.interval = interval
        self.answerTimeout = answerTimeout
        self.state = .due(at: start)
    }

    /// When the supervisor must call `tick` next, at the latest.
    public var nextDeadline: ContinuousClock.Instant {
        switch state {
        case .due(let at): at
        case .awaitingAcknowledge(let deadline, _), .awaitingReply(let deadline, _): deadline
        }
    }

    /// Time passed; returns bytes to send now, if any.
    public mutating func tick(at now: ContinuousClock.Instant) -> [UInt8]? {
        switch state {
        case .due(let at) where now >= at:
            switch talk {
            case .listen:
                state = .due(at: now + .seconds(3600))
                return nil
            case .poll(let request):
                state = .awaitingReply(deadline: now + answerTimeout, sentAt: now)
                return request
            case .enquire(let enquiry, _, _, _):
                state = .awaitingAcknowledge(deadline: now + answerTimeout, sentAt: now)
                return enquiry
            }
        case .awaitingAcknowledge(let deadline, _) where now >= deadline,
            .awaitingReply(let deadline, _) where now >= deadline:
            unanswered += 1
            state = .due(at: now)
            return tick(at: now)
        default:
            return nil
        }
    }

    /// Bytes arrived; `frames` is how many frames the decoder made of them.
    public mutating func received(_ bytes: [UInt8], frames: Int, at now: ContinuousClock.Instant) -> [UInt8]? {
        switch state {
        case .awaitingAcknowledge(_, let sentAt):
            guard case .enquire(_, let acknowledge, let notReady, let request) = talk else { return nil }
            if bytes.contains(acknowledge) {
                state = .awaitingReply(deadline: now + answerTimeout, sentAt: sentAt)
                return request
            }
            if bytes.contains(notReady) { state = .due(at: now + .milliseconds(50)) }
            return nil
        case .awaitingReply(_, let sentAt) where frames > 0:
            state = .due(at: max(sentAt + interval, now))
            return nil
        default:
            return nil
        }
    }
}
