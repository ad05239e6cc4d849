import StallCore
import Synchronization

/// The published state of one scale, read by the diagnostic socket. One door: only its
/// supervisor writes it, through `update`.
public final class ScaleStatus: Sendable {
    public enum State: String, Sendable {
        /// The port cannot be opened (unplugged, wrong path).
        case absent
        /// Open, waiting for the first frame.
        case probing
        /// Frames are arriving.
        case streaming
        /// Open, but no frame for `staleAfter`.
        case stale
        /// Waiting before the next open after a failure.
        case backoff
    }

    public struct Snapshot: Sendable, Equatable {
        public var name: String
        public var path: String
        public var state: State = .absent
        public var frames: Int64 = 0
        public var badFrames: Int64 = 0
        public var lastWeight: Milligrams?
        public var lastError: String?
    }

    private let value: Mutex<Snapshot>

    public init(name: String, path: String) {
        value = Mutex(Snapshot(name: name, path: path))
    }

    public var snapshot: Snapshot { value.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) {
        value.withLock { change(&$0) }
    }
}
