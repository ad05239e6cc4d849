import StallCore

/// Recounts what a `day_close` claims (SPEC.md, "day_close") from the records it covers:
/// every record after the previous `day_close` up to the one before it. An auditor with
/// the whole export can so check that no record is missing from the totals, and a
/// receiver can check a day cheaply.
struct DayCloseTally {
    private var counts: [String: Int64] = [:]
    private var payments: [String: (count: Int64, fen: Int64)] = [:]
    private var outcomes: [String: Int64] = [:]
    private var weight: Int64 = 0
    private var first: Int64?
    private var last: Int64?
    /// False when records since the previous close are unknown (the export starts in the
    /// middle of a day, or a line could not be read): then a close cannot be checked.
    private var complete: Bool

    init(complete: Bool) { self.complete = complete }

    mutating func add(_ record: Record) {
        guard let kind = record.kind, let seq = record.seq else {
            complete = false
            return
        }
        first = first ?? seq
        last = seq
        counts[kind.rawValue, default: 0] += 1
        switch kind {
        case .payment:
            let channel = record.members["channel"]?.stringValue ?? "?"
            let sum = payments[channel] ?? (0, 0)
            payments[channel] = (sum.count + 1, sum.fen + (record.members["amount_fen"]?.intValue ?? 0))
        case .announcement:
            outcomes[record.members["outcome"]?.stringValue ?? "?", default: 0] += 1
        case .weighing:
            weight += record.members["weight_mg"]?.intValue ?? 0
        default:
            break
        }
    }

    mutating func markIncomplete() { complete = false }

    /// What is wrong with `close`'s totals, or nil when they match (or cannot be checked).
    func mismatch(_ close: Record) -> String? {
        guard complete else { return nil }
        let members = close.members
        var expected: [String: JSONValue] = [
            "records": .int(Int64(counts.values.reduce(0, +))),
            "first_seq": first.map(JSONValue.int) ?? .null,
            "last_seq": last.map(JSONValue.int) ?? .null,
            "counts": .object(counts.mapValues(JSONValue.int)),
            "payments": .object(payments.mapValues { ["count": .int($0.count), "amount_fen": .int($0.fen)] }),
            "announcements": .object(outcomes.mapValues(JSONValue.int)),
            "weight_mg": .int(weight),
        ]
        for name in expected.keys.sorted() where members[name] != expected[name] {
            let claimed = members[name].map(CanonicalJSON.string) ?? "nothing"
            return "\(name) is \(claimed) but the records say \(CanonicalJSON.string(expected.removeValue(forKey: name)!))"
        }
        return nil
    }
}
