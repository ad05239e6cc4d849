import Synchronization

/// The conditions a technician must see on `stallctl status`, each under a stable name
/// (`ledger_reset`, `ledger_write`, `disk_budget`, `disk_free`, `uplink_rejected`,
/// `uplink_stale`, `uplink_tls`). Raising an alarm that is already up keeps its `since`.
public final class Alarms: Sendable {
    public struct Alarm: Sendable, Equatable {
        public var name: String
        public var message: String
        public var sinceMs: Int64
    }

    private let alarms = Mutex<[String: Alarm]>([:])

    public init() {}

    /// Raises (or updates the message of) `name`; true when it was not up before.
    @discardableResult
    public func raise(_ name: String, _ message: String, atMs: Int64) -> Bool {
        alarms.withLock { alarms in
            if var existing = alarms[name] {
                existing.message = message
                alarms[name] = existing
                return false
            }
            alarms[name] = Alarm(name: name, message: message, sinceMs: atMs)
            return true
        }
    }

    /// Clears `name`; true when it was up.
    @discardableResult
    public func clear(_ name: String) -> Bool {
        alarms.withLock { $0.removeValue(forKey: name) != nil }
    }

    public func isRaised(_ name: String) -> Bool { alarms.withLock { $0[name] != nil } }

    /// Every alarm now up, by name.
    public var current: [Alarm] { alarms.withLock { $0.values.sorted { $0.name < $1.name } } }
}
