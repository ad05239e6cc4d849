import StallCore

/// The `error` codes of a 422 reply to `POST /v1/batches` (SPEC.md section 7). The raw
/// values are the wire codes; boxes and dashboards match on them, so they never change.
public enum RejectionCode: String, Sendable, CaseIterable {
    case badDeviceID = "bad_device_id"
    case floatNotAllowed = "float_not_allowed"
    case badRecord = "bad_record"
    case badSignature = "bad_signature"
    case seqConflict = "seq_conflict"
    case brokenChain = "broken_chain"
}

/// Why a batch (or one record of it) was refused: the body of a 422 reply.
/// `seq` is the failing record's `seq`, or nil when the batch as a whole failed or the
/// record has no usable integer `seq`.
public struct BatchRejection: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: RejectionCode
    public var message: String
    public var seq: Int64?

    public init(code: RejectionCode, message: String, seq: Int64?) {
        self.code = code
        self.message = message
        self.seq = seq
    }

    public var description: String { "\(code.rawValue) (seq \(seq.map(String.init) ?? "null")): \(message)" }
}

/// The receiver's answer to one batch. Every case except `malformed` is produced only
/// after the records it reports are committed (durable before acknowledged).
public enum BatchReply: Hashable, Sendable, CustomStringConvertible {
    /// 200: every record of the device from 1 to `ackedSeq` is durably held.
    case acknowledged(ackedSeq: Int64)
    /// 409: the batch reached a record beyond `ackedSeq + 1`; the box resends from there.
    case gap(ackedSeq: Int64)
    /// 422: a record (or the batch's key) failed verification.
    case rejected(BatchRejection)
    /// 400: the body is not a JSON object with `device_id`, `public_key` and `records`.
    case malformed(String)

    public var status: Int {
        switch self {
        case .acknowledged: 200
        case .gap: 409
        case .rejected: 422
        case .malformed: 400
        }
    }

    /// The reply body exactly as SPEC.md section 7 gives it.
    public var body: JSONValue {
        switch self {
        case .acknowledged(let acked), .gap(let acked):
            return ["acked_seq": .int(acked)]
        case .rejected(let rejection):
            return [
                "error": .string(rejection.code.rawValue),
                "message": .string(rejection.message),
                "seq": rejection.seq.map(JSONValue.int) ?? .null,
            ]
        case .malformed(let why):
            return ["error": "bad_request", "message": .string(why)]
        }
    }

    public var description: String { "\(status) \(CanonicalJSON.string(body))" }
}
