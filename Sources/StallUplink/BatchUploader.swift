import Logging
import ServiceLifecycle
import StallCore
import StallLedger

/// Delivers the ledger upstream: the I/O half of `UploadMachine`. Records wait in the
/// ledger while upstream is down and go out, oldest first, when it returns; the local
/// acknowledgement moves only on upstream's word (200 or 409).
///
/// Batches are cut by record count and by canonical bytes (`batchMaxBytes`), and gzip-
/// compressed. A backoff sleep ends early when the link looks back (`linkIsBack`, rung by
/// the notification poller when a poll gets through), so an outage drains as soon as it
/// ends, not when the longest backoff runs out.
public final class BatchUploader: Service {
    private let ledger: Ledger
    private let client: UplinkClient
    private let status: UplinkStatus
    private let alarms: Alarms
    private let liveness: Liveness
    private let logger: Logger
    private let nowMs: @Sendable () -> Int64
    private let doorbell = Doorbell()
    private let linkBack = Doorbell()

    public init(
        ledger: Ledger, client: UplinkClient, status: UplinkStatus, alarms: Alarms, liveness: Liveness, logger: Logger,
        nowMs: @escaping @Sendable () -> Int64
    ) {
        self.ledger = ledger
        self.client = client
        self.status = status
        self.alarms = alarms
        self.liveness = liveness
        self.logger = logger
        self.nowMs = nowMs
    }

    /// Called after a record was committed: try to send it now rather than at the next poll.
    public func recordsAvailable() {
        doorbell.ring()
    }

    /// Called when upstream answered something else (a notification poll): end a backoff.
    public func linkIsBack() {
        linkBack.ring()
    }

    /// The alarms this loop raises and clears (housekeeping owns `uplink_stale`).
    static let alarmNames = ["uplink_rejected", "uplink_tls", "uplink_conflict"]

    public func run() async throws {
        let configuration = client.configuration
        var machine = UploadMachine(
            batchSize: configuration.batchSize, baseDelayMs: configuration.baseBackoff.wholeMilliseconds,
            maxDelayMs: configuration.maxBackoff.wholeMilliseconds, rejectedDelayMs: configuration.rejectedBackoff.wholeMilliseconds)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            liveness.beat("uplink")
            do {
                try await step(&machine, configuration: configuration)
            } catch {
                // A ledger that cannot be read or written right now (a full disk): the
                // records stay where they are; try again in a while. Never stop the daemon.
                logger.error("upload step failed", metadata: ["error": "\(error)"])
                status.update { $0.lastError = "ledger: \(error)" }
                await pause(milliseconds: 1000, machine: &machine)
            }
        }
        liveness.finished("uplink")
    }

    private func step(_ machine: inout UploadMachine, configuration: UplinkConfiguration) async throws {
        let state = try await ledger.outboxState()
        switch machine.next(ackedSeq: state.ackedSeq, lastSeq: state.lastSeq) {
        case .send(let from, let limit):
            let records = Self.cut(try await ledger.canonicalRecords(from: from, limit: limit).map(\.bytes), maxBytes: configuration.batchMaxBytes)
            guard !records.isEmpty else {
                // Upstream asked for a seq this ledger no longer holds (409 below what
                // retention kept, or a reset): nothing can be resent; say so and wait.
                let text = "upstream asks for seq \(from), which this ledger no longer holds"
                if alarms.raise("uplink_conflict", text, atMs: nowMs()) { logger.critical("upstream alarm", metadata: ["reason": "\(text)"]) }
                await pause(milliseconds: configuration.rejectedBackoff.wholeMilliseconds, machine: &machine)
                return
            }
            let reply = await client.post(batch: records, identity: ledger.identity)
            let actions = machine.handle(reply, lastSeq: state.lastSeq) { Int64.random(in: $0) }
            status.update { [machine] in
                $0.lastError = machine.lastError
                $0.batchSize = machine.currentBatchSize
            }
            try await perform(actions, batch: records, machine: &machine)
        case .waitForRecords:
            // Nothing to send: wait for a new record, or look again in a while.
            liveness.idle("uplink")
            await cancelWhenGracefulShutdown { [doorbell] in await doorbell.wait(timeout: .seconds(10)) }
        default:
            break
        }
    }

    /// The longest prefix of `records` within `maxBytes` of canonical JSON, at least one.
    static func cut(_ records: [[UInt8]], maxBytes: Int) -> [[UInt8]] {
        var total = 0
        var count = 0
        for record in records {
            total += record.count + 1
            if count > 0 && total > maxBytes { break }
            count += 1
        }
        return Array(records.prefix(count))
    }

    private func perform(_ actions: [UploadMachine.Action], batch: [[UInt8]], machine: inout UploadMachine) async throws {
        for action in actions {
            switch action {
            case .markAcknowledged(let seq):
                try await ledger.markAcknowledged(upTo: seq, atMs: nowMs())
                status.update {
                    $0.lastAckAtMs = nowMs()
                    $0.lastError = nil
                    $0.batches += 1
                    $0.recordsSent += Int64(batch.count)
                }
                logger.info("batch acknowledged", metadata: ["acked_seq": "\(seq)", "records": "\(batch.count)"])
            case .clearAlarms:
                for name in Self.alarmNames where alarms.clear(name) { logger.notice("alarm cleared", metadata: ["alarm": "\(name)"]) }
            case .alarm(let name, let message):
                if alarms.raise(name, message, atMs: nowMs()) { logger.critical("upstream alarm", metadata: ["alarm": "\(name)", "reason": "\(message)"]) }
            case .sleep(let milliseconds):
                logger.warning("upload backing off", metadata: ["delay_ms": "\(milliseconds)", "error": "\(machine.lastError ?? "")"])
                await pause(milliseconds: milliseconds, machine: &machine)
            case .send, .waitForRecords:
                break
            }
        }
    }

    /// Sleeps, but wakes early when the link looks back (and then forgets the backoff).
    private func pause(milliseconds: Int64, machine: inout UploadMachine) async {
        liveness.idle("uplink")
        let woken = await cancelWhenGracefulShutdown { [linkBack] in await linkBack.wait(timeout: .milliseconds(milliseconds)) }
        if woken == true {
            machine.linkIsBack()
            logger.info("link is back: retrying now")
        }
    }
}
