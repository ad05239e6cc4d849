import Crypto
import StallCore

/// One thing wrong in an export, at a 1-based line number. `code` is a 422 code of
/// SPEC.md section 7 where one applies (`broken_chain`, `bad_signature`, `seq_conflict`,
/// ...), else `gap` or `malformed_line`.
public struct VerificationProblem: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var code: String
    public var message: String

    public init(line: Int, code: String, message: String) {
        self.line = line
        self.code = code
        self.message = message
    }

    /// `line N: <code>: <message>`, as `stallbox-upstream verify` prints it.
    public var description: String { "line \(line): \(code): \(message)" }
}

/// The outcome of checking a whole export.
public struct VerificationReport: Hashable, Sendable {
    /// Lines that held a record (or tried to).
    public var lineCount: Int
    public var problems: [VerificationProblem]
    /// Things an auditor should know that are not errors: a `reset` (the box's ledger was
    /// damaged and it started a new chain from upstream's acknowledgement).
    public var notices: [VerificationProblem] = []

    public var isValid: Bool { problems.isEmpty }

    public var summary: String {
        guard let first = problems.first else { return "OK: \(lineCount) records verify" }
        return "FAILED: \(problems.count) problem(s) in \(lineCount) records; first bad line \(first.line)"
    }
}

/// Checks an export (`stallctl export`, `GET /v1/devices/{id}/records`: one canonical record
/// per line) against a device's public key, offline, and lists EVERY problem with its line
/// number instead of stopping at the first, so an auditor sees the whole damage at once.
///
/// After a problem the chain continues from the bad record (as `ChainVerifier` does), so
/// one edited record shows up once rather than breaking every line after it. A line with a
/// float cannot be canonicalised, so its raw bytes (canonical text in an export) stand in
/// for its hash when the next line's `prev` is checked.
public enum OfflineVerifier {
    public static func verify(
        jsonLines text: [UInt8], publicKeyBase64: String
    ) throws(OfflineVerifierError) -> VerificationReport {
        guard let identity = DeviceIdentity(publicKeyBase64: publicKeyBase64) else {
            throw OfflineVerifierError.badPublicKey("not standard base64 of 32 bytes")
        }
        var verifier: ChainVerifier
        do {
            verifier = try ChainVerifier(identity: identity)
        } catch {
            throw OfflineVerifierError.badPublicKey("not a valid Ed25519 key: \(error)")
        }
        var lines = text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The newline after the last record ends it; it does not start an empty line.
        if lines.last?.isEmpty == true { lines.removeLast() }
        var problems: [VerificationProblem] = []
        var notices: [VerificationProblem] = []
        var tally: DayCloseTally?
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let found = check(line, verifier: &verifier, identity: identity)
            for (code, message) in found {
                problems.append(VerificationProblem(line: number, code: code, message: message))
            }
            guard found.isEmpty, let record = try? RecordText.parse(line).get().objectValue.map(StallCore.Record.init) else {
                tally?.markIncomplete()
                continue
            }
            // Totals are checkable from the first record on when the export starts at seq 1,
            // otherwise from the first day_close on.
            if tally == nil { tally = DayCloseTally(complete: record.seq == 1) }
            if record.kind == .dayClose {
                if let mismatch = tally?.mismatch(record) {
                    problems.append(VerificationProblem(line: number, code: "day_close_mismatch", message: "seq \(record.seq ?? 0): \(mismatch)"))
                }
                tally = DayCloseTally(complete: true)
            } else {
                tally?.add(record)
            }
            if record.kind == .reset {
                notices.append(
                    VerificationProblem(
                        line: number, code: "reset",
                        message: "seq \(record.seq ?? 0): the box's ledger was damaged and restarted here (\(record.members["reason"]?.stringValue ?? "")); upstream had acknowledged up to seq \(record.members["acked_seq"]?.intValue ?? 0)"))
            }
        }
        return VerificationReport(lineCount: lines.count, problems: problems, notices: notices)
    }

    /// The problems of one line, as (code, message); advances the chain.
    static func check(_ line: ArraySlice<UInt8>, verifier: inout ChainVerifier, identity: DeviceIdentity) -> [(String, String)] {
        if line.isEmpty { return [("malformed_line", "empty line")] }
        switch RecordText.parse(line) {
        case .failure(.syntax(let error)):
            return [("malformed_line", "not JSON: \(error)")]
        case .failure(.invalidValue(let error, let seq)):
            return [(RejectionCode.badRecord.rawValue, "\(seqPrefix(seq))\(error)")]
        case .failure(.float(let offset, let seq)):
            var found = [(
                RejectionCode.floatNotAllowed.rawValue,
                "\(seqPrefix(seq))a number with a fraction or exponent at byte \(offset)"
            )]
            if let seq, seq > verifier.lastSeq + 1 {
                found.append(("gap", RecordProblem.gap(expected: verifier.lastSeq + 1, found: seq).description))
            }
            if let seq, seq > verifier.lastSeq,
                let continued = try? ChainVerifier(
                    identity: identity, lastSeq: seq, lastHash: Hex.encode(SHA256.hash(data: Array(line))))
            {
                verifier = continued
            }
            return found
        case .success(let value):
            guard case .object(let members) = value else {
                return [(RejectionCode.badRecord.rawValue, "the line is not a JSON object")]
            }
            let record = StallCore.Record(members: members)
            var found: [(String, String)] = []
            if ChainVerifier.shapeProblem(record) == nil, let problem = KnownKindShape.problem(record) {
                found.append((RejectionCode.badRecord.rawValue, "malformed record: \(problem)"))
            }
            for problem in verifier.check(record) { found.append((problem.code, message(for: problem))) }
            return found
        }
    }

    static func message(for problem: RecordProblem) -> String {
        switch problem {
        // The code already says "gap"; RecordProblem's text would repeat it.
        case .gap(let expected, let found): "expected seq \(expected), found \(found): records are missing"
        default: problem.description
        }
    }

    static func seqPrefix(_ seq: Int64?) -> String { seq.map { "seq \($0): " } ?? "" }
}

public enum OfflineVerifierError: Error, Hashable, Sendable, CustomStringConvertible {
    case badPublicKey(String)

    public var description: String {
        switch self {
        case .badPublicKey(let why): "the public key is unusable: \(why)"
        }
    }
}
