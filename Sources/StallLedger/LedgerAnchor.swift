import StallCore
import StallPlatform

/// The last point upstream acknowledged, kept in a small file beside the ledger
/// (`ledger.sqlite.anchor`), written atomically after each acknowledgement.
///
/// Why a second file: if the ledger itself is ever damaged, the box must start a new chain
/// that upstream can take without a human: it continues from the last record upstream holds
/// (seq `ackedSeq` + 1, `prev` = `ackedHash`) and says what was lost in a signed `reset`
/// record. Without the anchor it could only restart at seq 1, which upstream refuses
/// (firmware-protocols/upstream/SPEC.md, "Resets").
public struct LedgerAnchor: Sendable, Equatable {
    public var deviceID: String
    public var ackedSeq: Int64
    public var ackedHash: String
    public var ackedAtMs: Int64

    public init(deviceID: String, ackedSeq: Int64, ackedHash: String, ackedAtMs: Int64) {
        self.deviceID = deviceID
        self.ackedSeq = ackedSeq
        self.ackedHash = ackedHash
        self.ackedAtMs = ackedAtMs
    }

    public static func path(forLedger ledgerPath: String) -> String { ledgerPath + ".anchor" }

    var json: JSONValue {
        ["device_id": .string(deviceID), "acked_seq": .int(ackedSeq), "acked_hash": .string(ackedHash), "acked_at_ms": .int(ackedAtMs)]
    }

    public func save(path: String) throws(PlatformError) {
        try FileSecurity.replaceAtomically(path: path, bytes: CanonicalJSON.bytes(json) + [0x0A], mode: 0o600)
    }

    /// The anchor at `path` if it is present, readable and for this device; nil otherwise.
    public static func load(path: String, deviceID: String) -> LedgerAnchor? {
        guard let bytes = try? FileSecurity.readAll(path: path, limit: 4096), let value = try? JSONParser.parse(bytes),
            value["device_id"]?.stringValue == deviceID, let seq = value["acked_seq"]?.intValue, seq >= 0,
            let hash = value["acked_hash"]?.stringValue, hash.utf8.count == 64, Hex.decode(hash) != nil
        else { return nil }
        return LedgerAnchor(deviceID: deviceID, ackedSeq: seq, ackedHash: hash, ackedAtMs: value["acked_at_ms"]?.intValue ?? 0)
    }
}
