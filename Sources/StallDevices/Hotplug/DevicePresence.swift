import StallCore
import Synchronization

/// What udev last said about one supervisor's device, and a doorbell that wakes the
/// supervisor when that changes: an `add` ends its wait at once (replug → readings within
/// 2 s, issue 4), a `remove` ends its stream even where the port itself reports nothing
/// (a removed umockdev device; some USB-serial drivers keep a dead port readable).
public final class DevicePresence: Sendable {
    public enum State: Sendable, Equatable {
        /// No udev word yet (udev not running, or a port udev does not describe, like a
        /// PTY): the supervisor just tries to open the configured path.
        case unknown
        /// Present at this device node.
        case present(path: String)
        /// Removed; the supervisor waits for the next `add`.
        case removed
    }

    private struct Value {
        var state: State = .unknown
        /// Changes on every event, so the supervisor notices a remove followed by an add
        /// that both happened while it was busy reading.
        var generation = 0
    }

    private let value = Mutex(Value())
    let doorbell = Doorbell()

    public init() {}

    public var state: State { value.withLock { $0.state } }
    var generation: Int { value.withLock { $0.generation } }

    public func added(path: String) {
        value.withLock {
            $0.state = .present(path: path)
            $0.generation += 1
        }
        doorbell.ring()
    }

    public func removed() {
        value.withLock {
            $0.state = .removed
            $0.generation += 1
        }
        doorbell.ring()
    }
}
