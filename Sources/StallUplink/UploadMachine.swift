import StallCore

/// The upload loop's decisions as a value: what to send next and how to react to a reply.
/// No I/O, no clock, no randomness of its own (the jitter source is passed in), so every
/// path is tested without a network (Tests/StallUplinkTests/UploadMachineTests.swift).
///
/// Rules (firmware-protocols/upstream/SPEC.md, "Sync"):
/// - send the oldest records upstream does not hold, in ascending seq, `batchSize` at most;
/// - 200: upstream holds everything up to `acked_seq`: record that, send on;
/// - 409: upstream holds less than we thought: resend from its `acked_seq` + 1;
/// - 422: a record failed verification: alarm, long backoff, resend the same records later;
///   never skip or delete them;
/// - transport failure: exponential backoff with full jitter, capped; a certificate
///   failure is reported as such (same backoff: no retry storm, no fallback).
public struct UploadMachine: Sendable {
    public enum Reply: Sendable, Equatable {
        case accepted(ackedSeq: Int64)
        case conflict(ackedSeq: Int64)
        case rejected(code: String, message: String, seq: Int64?)
        case failed(reason: String, certificate: Bool)
    }

    public enum Action: Sendable, Equatable {
        case send(fromSeq: Int64, limit: Int)
        case markAcknowledged(upTo: Int64)
        case waitForRecords
        case sleep(milliseconds: Int64)
        case alarm(String)
    }

    public var batchSize: Int
    public var baseDelayMs: Int64
    public var maxDelayMs: Int64
    public var rejectedDelayMs: Int64

    /// Where upstream asked us to resume (409), until a later ack moves past it.
    private var resumeFrom: Int64?
    public private(set) var consecutiveFailures = 0
    public private(set) var lastError: String?

    public init(batchSize: Int = 200, baseDelayMs: Int64 = 500, maxDelayMs: Int64 = 60_000, rejectedDelayMs: Int64 = 600_000) {
        self.batchSize = batchSize
        self.baseDelayMs = baseDelayMs
        self.maxDelayMs = maxDelayMs
        self.rejectedDelayMs = rejectedDelayMs
    }

    /// What to do given the durable acknowledgement and the ledger's last seq.
    public mutating func next(ackedSeq: Int64, lastSeq: Int64) -> Action {
        let from = resumeFrom ?? (ackedSeq + 1)
        return from > lastSeq ? .waitForRecords : .send(fromSeq: from, limit: batchSize)
    }

    /// Reacts to upstream's reply. `random` returns a number in the given range (jitter).
    public mutating func handle(_ reply: Reply, random: (ClosedRange<Int64>) -> Int64) -> [Action] {
        switch reply {
        case .accepted(let acked):
            consecutiveFailures = 0
            lastError = nil
            resumeFrom = nil
            return [.markAcknowledged(upTo: acked)]
        case .conflict(let acked):
            consecutiveFailures = 0
            resumeFrom = acked + 1
            return acked > 0 ? [.markAcknowledged(upTo: acked)] : []
        case .rejected(let code, let message, let seq):
            consecutiveFailures += 1
            let text = "upstream rejected seq \(seq.map(String.init) ?? "?"): \(code): \(message)"
            lastError = text
            return [.alarm(text), .sleep(milliseconds: rejectedDelayMs)]
        case .failed(let reason, let certificate):
            consecutiveFailures += 1
            lastError = certificate ? "TLS certificate rejected: \(reason)" : reason
            return [.sleep(milliseconds: random(0...backoffCeiling()))]
        }
    }

    /// Full-jitter ceiling: base × 2^(failures-1), capped.
    func backoffCeiling() -> Int64 {
        let exponent = min(max(consecutiveFailures - 1, 0), 20)
        return min(maxDelayMs, baseDelayMs << exponent)
    }
}
