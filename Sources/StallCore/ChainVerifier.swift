import Crypto

/// What is wrong with one record, as a receiver or an auditor reports it. Each case has a
/// stable `code` (the `error` of a 422 reply, firmware-protocols/upstream/SPEC.md).
public enum RecordProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// A required member is missing or has the wrong type.
    case badRecord(String)
    /// `device_id` is not the one derived from the key the records are checked against.
    case badDeviceID(found: String)
    /// The Ed25519 signature does not verify over the canonical bytes without `sig`.
    case badSignature(seq: Int64)
    /// `seq` is beyond the next expected one: records are missing.
    case gap(expected: Int64, found: Int64)
    /// `seq` was already used by an earlier record.
    case reusedSeq(Int64)
    /// `prev` is not the SHA-256 of the previous record's canonical bytes.
    case brokenChain(seq: Int64)

    public var code: String {
        switch self {
        case .badRecord: "bad_record"
        case .badDeviceID: "bad_device_id"
        case .badSignature: "bad_signature"
        case .gap: "gap"
        case .reusedSeq: "seq_conflict"
        case .brokenChain: "broken_chain"
        }
    }

    public var description: String {
        switch self {
        case .badRecord(let why): "malformed record: \(why)"
        case .badDeviceID(let found): "device_id \(found) does not belong to this public key"
        case .badSignature(let seq): "seq \(seq): signature does not verify"
        case .gap(let expected, let found): "gap: expected seq \(expected), found \(found)"
        case .reusedSeq(let seq): "seq \(seq) is used twice"
        case .brokenChain(let seq): "seq \(seq): prev does not match the previous record's hash"
        }
    }
}

/// Checks a device's records one after another: shape, `device_id`, signature, dense `seq`
/// and the `prev` chain. Used by the reference receiver for each batch (starting from what
/// it already holds) and by `stallbox-upstream verify` for a whole export.
public struct ChainVerifier: Sendable {
    public let identity: DeviceIdentity
    /// Seq of the last record accepted into the chain (0 before the first).
    public private(set) var lastSeq: Int64
    /// Hash of the last record accepted (`Record.genesisPrev` before the first).
    public private(set) var lastHash: String

    public init(identity: DeviceIdentity, lastSeq: Int64 = 0, lastHash: String = Record.genesisPrev) throws {
        self.identity = identity
        _ = try Curve25519.Signing.PublicKey(rawRepresentation: identity.publicKey)
        self.lastSeq = lastSeq
        self.lastHash = lastHash
    }

    /// Checks the shape of a record without any chain context.
    public static func shapeProblem(_ record: Record) -> RecordProblem? {
        let members = record.members
        guard members["v"]?.intValue == Record.version else { return .badRecord("v must be 1") }
        guard let deviceID = members["device_id"]?.stringValue, deviceID.utf8.count == 32,
            Hex.decode(deviceID) != nil, deviceID == deviceID.lowercased()
        else { return .badRecord("device_id must be 32 lowercase hex digits") }
        guard let seq = members["seq"]?.intValue, seq >= 1 else { return .badRecord("seq must be an integer >= 1") }
        guard let prev = members["prev"]?.stringValue, prev.utf8.count == 64, Hex.decode(prev) != nil,
            prev == prev.lowercased()
        else { return .badRecord("seq \(seq): prev must be 64 lowercase hex digits") }
        guard members["ts_ms"]?.intValue != nil else { return .badRecord("seq \(seq): ts_ms must be an integer") }
        guard members["clock_synced"]?.boolValue != nil else { return .badRecord("seq \(seq): clock_synced must be true or false") }
        guard let kind = members["kind"]?.stringValue, !kind.isEmpty else { return .badRecord("seq \(seq): kind must be a string") }
        guard let sig = members["sig"]?.stringValue, let raw = Base64.decode(sig), raw.count == 64 else {
            return .badRecord("seq \(seq): sig must be base64 of 64 bytes")
        }
        return nil
    }

    /// Checks the record against the chain so far and advances past it. Every problem
    /// found is returned (an auditor lists them all); the chain then continues from this
    /// record, except for a reused seq, which is not taken into the chain.
    public mutating func check(_ record: Record) -> [RecordProblem] {
        if let problem = Self.shapeProblem(record) { return [problem] }
        let seq = record.seq!
        var problems: [RecordProblem] = []
        if record.deviceID != identity.deviceID { problems.append(.badDeviceID(found: record.deviceID!)) }
        let signature = Base64.decode(record.signature!)!
        let key = try? Curve25519.Signing.PublicKey(rawRepresentation: identity.publicKey)
        if key?.isValidSignature(signature, for: record.signedBytes) != true { problems.append(.badSignature(seq: seq)) }
        if seq <= lastSeq {
            problems.append(.reusedSeq(seq))
            return problems
        }
        if seq != lastSeq + 1 {
            problems.append(.gap(expected: lastSeq + 1, found: seq))
        } else if record.prev != lastHash {
            problems.append(.brokenChain(seq: seq))
        }
        lastSeq = seq
        lastHash = record.hashHex
        return problems
    }
}
