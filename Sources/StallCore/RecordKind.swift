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

    public var description: String { rawValue }
}
