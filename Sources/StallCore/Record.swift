import Crypto

/// One signed, chained ledger record, as it travels upstream and as `stallctl export`
/// prints it (firmware-protocols/upstream/SPEC.md).
///
/// Invariants: `members` holds `v`, `device_id`, `seq`, `prev`, `ts_ms`, `kind` and `sig`
/// plus the kind's own members; `canonicalBytes` is the RFC 8785 form of `members`; the
/// next record's `prev` is `hashHex`.
public struct Record: Hashable, Sendable {
    public static let version: Int64 = 1
    /// `prev` of the first record of a chain.
    public static let genesisPrev = String(repeating: "0", count: 64)
    /// Members every record has; a kind's body may not use these names.
    public static let commonMembers: Set<String> = ["v", "device_id", "seq", "prev", "ts_ms", "clock_synced", "kind", "sig"]

    public let members: [String: JSONValue]

    public init(members: [String: JSONValue]) { self.members = members }

    public var seq: Int64? { members["seq"]?.intValue }
    public var kind: RecordKind? { members["kind"]?.stringValue.map(RecordKind.init(rawValue:)) }
    public var deviceID: String? { members["device_id"]?.stringValue }
    public var prev: String? { members["prev"]?.stringValue }
    public var timestampMs: Int64? { members["ts_ms"]?.intValue }
    /// Whether `ts_ms` came from a synchronized clock.
    public var clockSynced: Bool? { members["clock_synced"]?.boolValue }
    public var signature: String? { members["sig"]?.stringValue }

    /// The whole record's canonical bytes (`sig` included): what `prev` hashes.
    public var canonicalBytes: [UInt8] { CanonicalJSON.bytes(.object(members)) }

    /// The bytes the signature covers: the canonical form without `sig`.
    public var signedBytes: [UInt8] {
        var unsigned = members
        unsigned["sig"] = nil
        return CanonicalJSON.bytes(.object(unsigned))
    }

    /// Lowercase hex SHA-256 of the canonical bytes: the next record's `prev`.
    public var hashHex: String { Hex.encode(SHA256.hash(data: canonicalBytes)) }

    public var json: JSONValue { .object(members) }
}

/// Builds the unsigned members of a record; signing adds `sig`.
public struct UnsignedRecord: Sendable {
    public var members: [String: JSONValue]

    public init(
        deviceID: String, seq: Int64, prev: String, timestampMs: Int64, clockSynced: Bool, kind: RecordKind, body: [String: JSONValue]
    ) {
        var members = body
        members["v"] = .int(Record.version)
        members["device_id"] = .string(deviceID)
        members["seq"] = .int(seq)
        members["prev"] = .string(prev)
        members["ts_ms"] = .int(timestampMs)
        members["clock_synced"] = .bool(clockSynced)
        members["kind"] = .string(kind.rawValue)
        self.members = members
    }

    public var signedBytes: [UInt8] { CanonicalJSON.bytes(.object(members)) }

    /// Signs the canonical bytes and returns the record with the canonical bytes of the
    /// signed record, encoding the members once: `sig` is spliced in where JCS puts it.
    public func signed(by sign: ([UInt8]) throws -> [UInt8]) rethrows -> (record: Record, canonical: [UInt8]) {
        var unsigned: [UInt8] = []
        unsigned.reserveCapacity(512)
        let mark = CanonicalJSON.writeObject(members, into: &unsigned, marking: "sig")!
        let signature = Base64.encode(try sign(unsigned))
        var part: [UInt8] = []
        CanonicalJSON.writeString("sig", into: &part)
        part.append(UInt8(ascii: ":"))
        CanonicalJSON.writeString(signature, into: &part)
        var canonical: [UInt8] = []
        canonical.reserveCapacity(unsigned.count + part.count + 1)
        if mark == 1 {
            // `sig` first: "{" sig "," rest, or "{" sig "}" for an otherwise empty object.
            canonical.append(UInt8(ascii: "{"))
            canonical += part
            if unsigned.count > 2 { canonical.append(UInt8(ascii: ",")) }
            canonical += unsigned[1...]
        } else {
            canonical += unsigned[..<mark]
            canonical.append(UInt8(ascii: ","))
            canonical += part
            canonical += unsigned[mark...]
        }
        var members = self.members
        members["sig"] = .string(signature)
        return (Record(members: members), canonical)
    }

    public func signed(signature: [UInt8]) -> Record {
        var members = self.members
        members["sig"] = .string(Base64.encode(signature))
        return Record(members: members)
    }
}
