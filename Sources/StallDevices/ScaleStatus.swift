import StallCore
import Synchronization

/// The published state of one scale, read by the diagnostic socket. One door: only its
/// supervisor writes it, through `update`.
///
/// States (issue 4): `absent → probing → streaming ⇄ stale → backoff`.
public final class ScaleStatus: Sendable {
    public enum State: String, Sendable {
        /// The port cannot be opened (unplugged, wrong path) or udev said it was removed.
        case absent
        /// Open; finding the protocol and line settings, or waiting for the first frame.
        case probing
        /// Frames are arriving.
        case streaming
        /// Open, but no frame for `staleAfter`.
        case stale
        /// Waiting before the next attempt after a failure (nothing identified, read error).
        case backoff
    }

    /// How the protocol in use was chosen.
    public enum Source: String, Sendable {
        /// Configuration named the protocol and settings: no probing.
        case pinned
        /// Found by auto-detection.
        case detected
        /// Remembered from an earlier detection on this device, and confirmed.
        case remembered
    }

    public struct Snapshot: Sendable, Equatable {
        public var name: String
        public var path: String
        public var state: State = .absent
        public var protocolName: String?
        /// E.g. "9600 7E1".
        public var settings: String?
        public var source: Source?
        /// Accepted frames since the daemon started.
        public var frames: Int64 = 0
        /// Candidate frames rejected (bad checksum, bad field, torn, unsupported unit).
        public var badFrames: Int64 = 0
        /// Runs of bytes skipped to find the next frame start (garbage, a wrong baud rate).
        public var resyncs: Int64 = 0
        public var bytes: Int64 = 0
        /// Requests a polled scale did not answer in time.
        public var unansweredPolls: Int64 = 0
        /// Searches run (each a pass over the settings and requests until one answers).
        public var detections: Int64 = 0
        /// Times the port was opened; more than one means it was lost and came back.
        public var opens: Int64 = 0
        public var lastWeight: Milligrams?
        /// Whether the last accepted frame said the weight was stable.
        public var lastStable: Bool?
        /// Wall-clock Unix milliseconds of the last accepted frame.
        public var lastFrameAtMs: Int64?
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
