import Logging
import StallAnnouncer
import StallCore
import StallDevices
import StallLedger
import StallProtocols
import StallUplink

/// Where trades and payments become records, in the order design.md's data flow requires:
/// an announcement starts at once (it does not wait for the disk); the payment record is
/// committed before anything is acknowledged (a cursor stored, a test payment answered);
/// the announcement's outcome is recorded when it is known; every commit wakes the uploader.
public final class PaymentDesk: Sendable {
    let ledger: Ledger
    let announcer: Announcer
    let uploader: BatchUploader?
    let nowMs: @Sendable () -> Int64
    let logger: Logger

    public init(ledger: Ledger, announcer: Announcer, uploader: BatchUploader?, nowMs: @escaping @Sendable () -> Int64, logger: Logger) {
        self.ledger = ledger
        self.announcer = announcer
        self.uploader = uploader
        self.nowMs = nowMs
        self.logger = logger
    }

    /// Announces the new ones among `payments` and records them (with `cursor`, atomically).
    /// Returns when everything is durable. `source` is `upstream` or `test`.
    @discardableResult
    public func receive(
        _ payments: [PaymentNotification], source: String, cursor: (name: String, value: String)? = nil
    ) async throws -> [Ledger.PaymentAppend] {
        let knownAt = ContinuousClock.now
        for payment in payments where try await ledger.paymentSeq(paymentID: payment.paymentID) == nil {
            announcer.enqueue(
                AnnouncementRequest(
                    paymentID: payment.paymentID, amount: payment.amount, channel: payment.channel, paidAtMs: payment.paidAtMs,
                    knownAt: knownAt))
        }
        let results = try await ledger.appendPayments(
            payments.map { payment in
                (
                    paymentID: payment.paymentID,
                    body: [
                        "amount_fen": .int(payment.amount.value),
                        "channel": .string(payment.channel.rawValue),
                        "paid_at_ms": .int(payment.paidAtMs),
                        "source": .string(source),
                    ]
                )
            }, timestampMs: nowMs(), cursor: cursor)
        for result in results {
            switch result {
            case .appended(let record):
                logger.info("payment recorded", metadata: ["seq": "\(record.seq ?? 0)", "payment_id": "\(record.members["payment_id"]?.stringValue ?? "")"])
            case .duplicate(let seq):
                logger.info("payment already recorded", metadata: ["seq": "\(seq)"])
            }
        }
        uploader?.recordsAvailable()
        return results
    }

    /// Records an announcement's outcome.
    public func announced(_ outcome: AnnouncementOutcome) async {
        do {
            try await ledger.append(kind: .announcement, body: outcome.recordBody, timestampMs: nowMs())
            uploader?.recordsAvailable()
        } catch {
            logger.error("recording announcement failed", metadata: ["payment_id": "\(outcome.request.paymentID)", "error": "\(error)"])
        }
    }

    /// Records a trade from a scale.
    public func weighed(_ scale: ScaleConfiguration, _ frame: ScaleFrame) async {
        var body: [String: JSONValue] = [
            "scale": .string(scale.name),
            "protocol": .string(frame.protocolName),
            "weight_mg": .int(frame.weight.value),
            "net": .bool(frame.net),
        ]
        if let tare = frame.tare { body["tare_mg"] = .int(tare.value) }
        if let price = frame.unitPriceFenPerKg { body["unit_price_fen"] = .int(price.value) }
        if let total = frame.total { body["total_fen"] = .int(total.value) }
        do {
            let record = try await ledger.append(kind: .weighing, body: body, timestampMs: nowMs())
            logger.info("weighing recorded", metadata: ["seq": "\(record.seq ?? 0)", "scale": "\(scale.name)", "weight_mg": "\(frame.weight.value)"])
            uploader?.recordsAvailable()
        } catch {
            logger.error("recording weighing failed", metadata: ["scale": "\(scale.name)", "error": "\(error)"])
        }
    }
}
