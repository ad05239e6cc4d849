import StallCore

/// The per-kind member checks of SPEC.md section 5, which `ChainVerifier.shapeProblem`
/// (common members only) leaves out. A receiver must refuse a known kind with a missing or
/// mistyped member as `bad_record`, but must store unknown kinds and unknown members
/// unchanged (forward compatibility), and must accept unknown values of the list-valued
/// members (`channel`, `source`, `outcome`): a refused record blocks the box for good.
/// An optional member that is `null` counts as absent.
enum KnownKindShape {
    enum Expected {
        case string, integer, boolean, stringOrNull, object
        case integerAtLeast(Int64)
        case integerOrNull
    }

    struct Member {
        var name: String
        var expected: Expected
        var optional = false
    }

    static let members: [RecordKind: [Member]] = [
        .start: [Member(name: "version", expected: .string)],
        .weighing: [
            Member(name: "scale", expected: .string),
            Member(name: "protocol", expected: .string),
            Member(name: "weight_mg", expected: .integer),
            Member(name: "net", expected: .boolean),
            Member(name: "tare_mg", expected: .integer, optional: true),
            Member(name: "unit_price_fen", expected: .integer, optional: true),
            Member(name: "total_fen", expected: .integer, optional: true),
        ],
        .payment: [
            Member(name: "payment_id", expected: .string),
            Member(name: "amount_fen", expected: .integerAtLeast(1)),
            Member(name: "channel", expected: .string),
            Member(name: "paid_at_ms", expected: .integer),
            Member(name: "source", expected: .string),
        ],
        .announcement: [
            Member(name: "payment_id", expected: .string),
            Member(name: "outcome", expected: .string),
            Member(name: "latency_ms", expected: .integer),
            Member(name: "text", expected: .string),
            Member(name: "speaker", expected: .stringOrNull),
        ],
        .reset: [
            Member(name: "reason", expected: .string),
            Member(name: "acked_seq", expected: .integerAtLeast(0)),
            Member(name: "damaged_file", expected: .string),
            Member(name: "anchor", expected: .boolean),
        ],
        .dayClose: [
            Member(name: "day", expected: .string),
            Member(name: "records", expected: .integerAtLeast(0)),
            Member(name: "first_seq", expected: .integerOrNull),
            Member(name: "last_seq", expected: .integerOrNull),
            Member(name: "counts", expected: .object),
            Member(name: "payments", expected: .object),
            Member(name: "announcements", expected: .object),
            Member(name: "weight_mg", expected: .integer),
        ],
    ]

    /// A description of what is wrong with a known kind's own members, or nil.
    static func problem(_ record: Record) -> String? {
        guard let kind = record.kind, let expectedMembers = members[kind] else { return nil }
        let seq = record.seq.map { "seq \($0): " } ?? ""
        for member in expectedMembers {
            let value = record.members[member.name]
            if member.optional, value == nil || value == .null { continue }
            guard let value else { return "\(seq)a \(kind) record needs \(member.name)" }
            switch member.expected {
            case .string:
                if value.stringValue == nil { return "\(seq)\(member.name) must be a string" }
            case .integer:
                if value.intValue == nil { return "\(seq)\(member.name) must be an integer" }
            case .boolean:
                if value.boolValue == nil { return "\(seq)\(member.name) must be true or false" }
            case .stringOrNull:
                if value.stringValue == nil, value != .null { return "\(seq)\(member.name) must be a string or null" }
            case .object:
                if value.objectValue == nil { return "\(seq)\(member.name) must be an object" }
            case .integerOrNull:
                if value.intValue == nil, value != .null { return "\(seq)\(member.name) must be an integer or null" }
            case .integerAtLeast(let minimum):
                guard let number = value.intValue, number >= minimum else {
                    return "\(seq)\(member.name) must be an integer >= \(minimum)"
                }
            }
        }
        return nil
    }
}
