import StallCore
import StallProtocols

/// Turns a stream of scale frames into trades: the state machine behind `weighing` records.
///
/// A trade is recorded when the load is above the zero band and the scale has reported the
/// same stable weight for `stableFor`. After that the detector holds: the same load is not
/// recorded again however long it stays. It records again only when either
/// - the scale came back to zero (inside the zero band) and a new load settles, or
/// - the load changed by more than the zero band and settled at a weight different from the
///   last recorded trade (goods added to the pan).
/// Frames that carry no weighing (overload, motion) never become a trade. Pure value: the
/// caller passes the time of each frame; no clock, no I/O.
public struct WeighingDetector: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Readings within ±zeroBand of zero count as an empty pan.
        public var zeroBand: Milligrams
        /// How long a weight must be reported stable before it is a trade.
        public var stableFor: Duration

        public init(zeroBand: Milligrams = Milligrams(5_000), stableFor: Duration = .milliseconds(800)) {
            self.zeroBand = zeroBand
            self.stableFor = stableFor
        }
    }

    public enum Action: Sendable, Equatable {
        case none
        case record(ScaleFrame)
    }

    private enum State: Sendable, Equatable {
        /// Empty pan; the next settled load is a trade.
        case armed
        /// A load is settling at `weight` since `since`; `previous` is the trade already
        /// recorded for this load, if any.
        case settling(weight: Milligrams, since: ContinuousClock.Instant, previous: Milligrams?)
        /// The trade `weight` was recorded; waiting for the pan to empty or the load to change.
        case recorded(weight: Milligrams)
    }

    public let settings: Settings
    private var state: State = .armed

    public init(settings: Settings) {
        self.settings = settings
    }

    func isEmptyPan(_ weight: Milligrams) -> Bool { weight.magnitude <= settings.zeroBand }

    public mutating func observe(_ frame: ScaleFrame, at now: ContinuousClock.Instant) -> Action {
        if isEmptyPan(frame.weight) && !frame.overload {
            state = .armed
            return .none
        }
        switch state {
        case .armed:
            state = frame.stable && !frame.overload ? .settling(weight: frame.weight, since: now, previous: nil) : .armed
            return .none
        case .recorded(let weight):
            guard frame.stable, !frame.overload, (frame.weight.value - weight.value).magnitude > settings.zeroBand.value.magnitude else {
                return .none
            }
            state = .settling(weight: frame.weight, since: now, previous: weight)
            return .none
        case .settling(let weight, let since, let previous):
            guard frame.stable, !frame.overload else {
                // Motion: the load is still moving; settle again from the next stable frame.
                state = previous.map { .recorded(weight: $0) } ?? .armed
                return .none
            }
            guard frame.weight == weight else {
                state = .settling(weight: frame.weight, since: now, previous: previous)
                return .none
            }
            guard now - since >= settings.stableFor else { return .none }
            state = .recorded(weight: weight)
            return .record(frame)
        }
    }
}
