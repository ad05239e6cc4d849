import Logging
import ServiceLifecycle
import StallCore
import StallLedger

/// Delivers the ledger upstream: the I/O half of `UploadMachine`. Records wait in the
/// ledger while upstream is down and go out, oldest first, when it returns; the local
/// acknowledgement moves only on upstream's word (200 or 409).
public final class BatchUploader: Service {
    private let ledger: Ledger
    private let client: UplinkClient
    private let status: UplinkStatus
    private let liveness: Liveness
    private let logger: Logger
    private let nowMs: @Sendable () -> Int64
    private let doorbell = Doorbell()

    public init(ledger: Ledger, client: UplinkClient, status: UplinkStatus, liveness: Liveness, logger: Logger, nowMs: @escaping @Sendable () -> Int64) {
        self.ledger = ledger
        self.client = client
        self.status = status
        self.liveness = liveness
        self.logger = logger
        self.nowMs = nowMs
    }

    /// Called after a record was committed: try to send it now rather than at the next poll.
    public func recordsAvailable() {
        doorbell.ring()
    }

    public func run() async throws {
        var machine = UploadMachine(batchSize: client.configuration.batchSize)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            liveness.beat("uplink")
            let state = try await ledger.outboxState()
            switch machine.next(ackedSeq: state.ackedSeq, lastSeq: state.lastSeq) {
            case .send(let from, let limit):
                let records = try await ledger.records(from: from, limit: limit)
                guard !records.isEmpty else { break }
                let reply = await client.post(batch: records, identity: ledger.identity)
                let actions = machine.handle(reply) { Int64.random(in: $0) }
                try await perform(actions, batch: records)
            case .waitForRecords:
                // Nothing to send: wait for a new record, or look again in a while.
                liveness.idle("uplink")
                await cancelWhenGracefulShutdown { [doorbell] in await doorbell.wait(timeout: .seconds(10)) }
            default:
                break
            }
        }
        liveness.finished("uplink")
    }

    private func perform(_ actions: [UploadMachine.Action], batch: [Record]) async throws {
        for action in actions {
            switch action {
            case .markAcknowledged(let seq):
                try await ledger.markAcknowledged(upTo: seq, atMs: nowMs())
                status.update {
                    $0.lastAckAtMs = nowMs()
                    $0.lastError = nil
                    $0.alarm = nil
                }
                logger.info("batch acknowledged", metadata: ["acked_seq": "\(seq)", "records": "\(batch.count)"])
            case .alarm(let text):
                status.update { $0.alarm = text }
                logger.critical("upstream alarm", metadata: ["reason": "\(text)"])
            case .sleep(let milliseconds):
                status.update { $0.lastError = $0.alarm ?? "upstream unreachable" }
                logger.warning("upload backing off", metadata: ["delay_ms": "\(milliseconds)"])
                liveness.idle("uplink")
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(milliseconds)) }
            case .send, .waitForRecords:
                break
            }
        }
    }
}
