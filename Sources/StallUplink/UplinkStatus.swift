import Synchronization

/// The uplink's published state for `status`: last acknowledgement and last error.
public final class UplinkStatus: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var lastAckAtMs: Int64?
        public var lastError: String?
        public var notificationsConnected = false
        /// Records per batch now (halved after a 413).
        public var batchSize = 0
        public var batches: Int64 = 0
        public var recordsSent: Int64 = 0
    }

    private let value = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { value.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) {
        value.withLock { change(&$0) }
    }
}
