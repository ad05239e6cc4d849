import StallCore

/// The upload loop's decisions as a value: what to send next and how to react to a reply.
/// No I/O, no clock, no randomness of its own (the jitter source is passed in), so every
/// path is tested without a network (Tests/StallUplinkTests/UploadMachineTests.swift).
///
/// Rules (firmware-protocols/upstream/SPEC.md, "Sync"):
/// - send the oldest records upstream does not hold, in ascending seq, `batchSize` at most;
/// - 200: upstream holds everything up to `acked_seq`: record that, send on;
/// - 409: upstream holds less than we thought: resend from its `acked_seq` + 1; an
///   `acked_seq` beyond our last record means the two sides disagree: alarm, back off;
/// - 422: a record failed verification: alarm, long backoff, resend the same records later;
///   never skip or delete them;
/// - 413: the batch is too large for upstream: halve it (down to one record) and resend;
/// - 429 / 503: upstream asks us to slow down: wait its `Retry-After` (capped), or back off;
/// - transport failure: exponential backoff with full jitter, capped; a TLS or certificate
///   failure is reported as such and raises an alarm (same backoff: no retry storm, no
///   fallback to plain HTTP);
/// - the link looks back (a notification poll got through): forget the backoff.
public struct UploadMachine: Sendable {
    public enum Reply: Sendable, Equatable {
        case accepted(ackedSeq: Int64)
        case conflict(ackedSeq: Int64)
        case rejected(code: String, message: String, seq: Int64?)
        case tooLarge
        case throttled(status: Int, retryAfterMs: Int64?)
        case failed(reason: String, certificate: Bool)
    }

    public enum Action: Sendable, Equatable {
        case send(fromSeq: Int64, limit: Int)
        case markAcknowledged(upTo: Int64)
        case waitForRecords
        case sleep(milliseconds: Int64)
        case alarm(name: String, message: String)
        case clearAlarms
    }

    /// The configured batch size, and the one in use (halved after a 413, grown back by
    /// doubling after each accepted batch).
    public let batchSize: Int
    public private(set) var currentBatchSize: Int
    public var baseDelayMs: Int64
    public var maxDelayMs: Int64
    public var rejectedDelayMs: Int64

    /// Where upstream asked us to resume (409), until a later ack moves past it.
    private var resumeFrom: Int64?
    public private(set) var consecutiveFailures = 0
    public private(set) var lastError: String?

    public init(batchSize: Int = 200, baseDelayMs: Int64 = 500, maxDelayMs: Int64 = 300_000, rejectedDelayMs: Int64 = 1_800_000) {
        self.batchSize = max(1, batchSize)
        self.currentBatchSize = max(1, batchSize)
        self.baseDelayMs = baseDelayMs
        self.maxDelayMs = maxDelayMs
        self.rejectedDelayMs = rejectedDelayMs
    }

    /// What to do given the durable acknowledgement and the ledger's last seq.
    public mutating func next(ackedSeq: Int64, lastSeq: Int64) -> Action {
        let from = max(resumeFrom ?? (ackedSeq + 1), 1)
        return from > lastSeq ? .waitForRecords : .send(fromSeq: from, limit: currentBatchSize)
    }

    /// Reacts to upstream's reply. `lastSeq` is the ledger's newest seq; `random` returns a
    /// number in the given range (jitter).
    public mutating func handle(_ reply: Reply, lastSeq: Int64 = .max, random: (ClosedRange<Int64>) -> Int64) -> [Action] {
        switch reply {
        case .accepted(let acked):
            consecutiveFailures = 0
            lastError = nil
            resumeFrom = nil
            currentBatchSize = min(batchSize, currentBatchSize * 2)
            return [.markAcknowledged(upTo: acked), .clearAlarms]
        case .conflict(let acked):
            if acked > lastSeq {
                consecutiveFailures += 1
                let text = "upstream says it holds seq \(acked), beyond this box's last record \(lastSeq)"
                lastError = text
                return [.alarm(name: "uplink_conflict", message: text), .sleep(milliseconds: rejectedDelayMs)]
            }
            consecutiveFailures = 0
            resumeFrom = acked + 1
            return acked > 0 ? [.markAcknowledged(upTo: acked)] : []
        case .rejected(let code, let message, let seq):
            consecutiveFailures += 1
            let text = "upstream rejected seq \(seq.map(String.init) ?? "?"): \(code): \(message)"
            lastError = text
            return [.alarm(name: "uplink_rejected", message: text), .sleep(milliseconds: rejectedDelayMs)]
        case .tooLarge:
            if currentBatchSize > 1 {
                currentBatchSize = max(1, currentBatchSize / 2)
                lastError = "upstream refused a batch as too large; now \(currentBatchSize) records per batch"
                return []
            }
            consecutiveFailures += 1
            let text = "upstream refuses even a single record as too large"
            lastError = text
            return [.alarm(name: "uplink_rejected", message: text), .sleep(milliseconds: rejectedDelayMs)]
        case .throttled(let status, let retryAfter):
            consecutiveFailures += 1
            lastError = "upstream answered \(status)"
            let delay = retryAfter.map { min(max($0, 0), maxDelayMs) } ?? random(0...backoffCeiling())
            return [.sleep(milliseconds: delay)]
        case .failed(let reason, let certificate):
            consecutiveFailures += 1
            let delay = Action.sleep(milliseconds: random(0...backoffCeiling()))
            if certificate {
                let text = "TLS with upstream failed (certificate or handshake): \(reason)"
                lastError = text
                return [.alarm(name: "uplink_tls", message: text), delay]
            }
            lastError = reason
            return [delay]
        }
    }

    /// The link looks back: the next failure starts the backoff from the beginning.
    public mutating func linkIsBack() {
        consecutiveFailures = 0
    }

    /// Full-jitter ceiling: base × 2^(failures-1), capped.
    func backoffCeiling() -> Int64 {
        let exponent = min(max(consecutiveFailures - 1, 0), 30)
        return min(maxDelayMs, baseDelayMs << exponent)
    }
}
