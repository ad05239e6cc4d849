/// The `kind` member of a record. A struct, not an enum: receivers store kinds they do not
/// know, and later versions add kinds without breaking older code.
public struct RecordKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The daemon started (members: `version`).
    public static let start = RecordKind(rawValue: "start")
    /// A stable weighing from a scale.
    public static let weighing = RecordKind(rawValue: "weighing")
    /// A payment notification, from upstream or a technician's test.
    public static let payment = RecordKind(rawValue: "payment")
    /// The outcome of announcing a payment.
    public static let announcement = RecordKind(rawValue: "announcement")

    /// The first record of a new chain after the ledger was found damaged (members:
    /// `reason`, `acked_seq`, `damaged_file`, `anchor`).
    public static let reset = RecordKind(rawValue: "reset")
    /// Counts and sums of the records since the previous `day_close`, once a day.
    public static let dayClose = RecordKind(rawValue: "day_close")

    public var description: String { rawValue }
}
