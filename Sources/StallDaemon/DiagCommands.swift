import StallAnnouncer
import StallCore
import StallDevices
import StallDiagnostics
import StallLedger
import StallPlatform
import StallUplink

/// The daemon's answers on the diagnostic socket (firmware-protocols/diag/SPEC.md).
struct DiagCommands: DiagCommandHandler {
    let version: String
    let startedAt: ContinuousClock.Instant
    let ledger: Ledger
    let desk: PaymentDesk
    /// The scales now known (configured, plus ports adopted since start).
    let scales: @Sendable () -> [ScaleStatus]
    let speakers: [any Speaker]
    let announcer: Announcer
    let uplinkStatus: UplinkStatus?
    let alarms: Alarms

    var requiredLevels: [String: DiagAccess.Level] {
        ["status": .read, "identity": .read, "export": .read, "test-payment": .admin, "speaker-test": .admin]
    }

    func handle(_ request: DiagRequest) async -> DiagReply {
        do {
            switch request.command {
            case "status": return DiagReply(id: request.id, result: try await status())
            case "identity":
                return DiagReply(
                    id: request.id,
                    result: ["device_id": .string(ledger.identity.deviceID), "public_key": .string(ledger.identity.publicKeyBase64)])
            case "export": return try await export(request)
            case "test-payment": return try await testPayment(request)
            case "speaker-test":
                // Each speaker on its own (not the fallback chain), after the queue.
                let results = await announcer.testSpeakers(speakers)
                return DiagReply(
                    id: request.id,
                    result: [
                        "speakers": .array(
                            results.map {
                                [
                                    "name": .string($0.speaker), "outcome": .string($0.played ? "played" : "failed"),
                                    "ms": .int($0.milliseconds), "error": $0.error.map(JSONValue.string) ?? .null,
                                ]
                            })
                    ])
            default: return DiagReply(id: request.id, error: .unknownCommand, message: "unknown command '\(request.command)'")
            }
        } catch {
            return DiagReply(id: request.id, error: .internal, message: "\(error)")
        }
    }

    func status() async throws -> JSONValue {
        let outbox = try await ledger.outboxState()
        let uplink = uplinkStatus?.snapshot
        let (seconds, _) = (ContinuousClock.now - startedAt).components
        let now = WallClock.nowMs()
        let writer = ledger.writerCounters
        return [
            "version": .string(version),
            "uptime_s": .int(seconds),
            "device_id": .string(ledger.identity.deviceID),
            "clock_synced": .bool(ClockSync.isSynchronized()),
            "ledger": [
                "last_seq": .int(outbox.lastSeq),
                "write_fault": ledger.writeFault.map(JSONValue.string) ?? .null,
                "commits": .int(writer.groups), "writes": .int(writer.committed), "commit_retries": .int(writer.retries),
                "bytes": .int((try? await ledger.footprintBytes()) ?? 0),
            ],
            "uplink": [
                "configured": .bool(uplinkStatus != nil),
                "pending": .int(outbox.pending),
                "acked_seq": .int(outbox.ackedSeq),
                "oldest_pending_age_s": outbox.oldestPendingMs.map { JSONValue.int(max(0, now - $0) / 1000) } ?? .null,
                "last_ack_ms": outbox.ackedAtMs.map(JSONValue.int) ?? .null,
                "last_error": uplink?.lastError.map(JSONValue.string) ?? .null,
                "batch_size": uplink.map { JSONValue.int(Int64($0.batchSize)) } ?? .null,
                "batches": .int(uplink?.batches ?? 0),
                "notifications_connected": .bool(uplink?.notificationsConnected ?? false),
            ],
            "alarms": .array(
                alarms.current.map { ["name": .string($0.name), "message": .string($0.message), "since_ms": .int($0.sinceMs)] }),
            "scales": .array(
                scales().map(\.snapshot).map { scale in
                    [
                        "name": .string(scale.name), "path": .string(scale.path), "state": .string(scale.state.rawValue),
                        "protocol": scale.protocolName.map(JSONValue.string) ?? .null,
                        "settings": scale.settings.map(JSONValue.string) ?? .null,
                        "source": scale.source.map { JSONValue.string($0.rawValue) } ?? .null,
                        "frames": .int(scale.frames), "bad_frames": .int(scale.badFrames), "resyncs": .int(scale.resyncs),
                        "bytes": .int(scale.bytes), "unanswered_polls": .int(scale.unansweredPolls),
                        "detections": .int(scale.detections), "opens": .int(scale.opens),
                        "last_weight_mg": scale.lastWeight.map { JSONValue.int($0.value) } ?? .null,
                        "last_stable": scale.lastStable.map(JSONValue.bool) ?? .null,
                        "last_frame_ms": scale.lastFrameAtMs.map(JSONValue.int) ?? .null,
                        "last_error": scale.lastError.map(JSONValue.string) ?? .null,
                    ]
                }),
            "speakers": .array(speakers.map { ["name": .string($0.name), "state": .string($0.state)] }),
        ]
    }

    func export(_ request: DiagRequest) async throws -> DiagReply {
        let from = request.arguments["from"]?.intValue ?? 1
        let limit = request.arguments["limit"]?.intValue ?? 500
        guard from >= 1, (1...5000).contains(limit) else {
            return DiagReply(id: request.id, error: .badRequest, message: "from must be >= 1 and limit 1…5000")
        }
        let records = try await ledger.records(from: from, limit: Int(limit))
        let last = try await ledger.lastSeq()
        let next: JSONValue = records.last.flatMap(\.seq).map { $0 < last ? .int($0 + 1) : .null } ?? .null
        return DiagReply(id: request.id, result: ["records": .array(records.map(\.json)), "next": next])
    }

    func testPayment(_ request: DiagRequest) async throws -> DiagReply {
        guard let amount = request.arguments["amount_fen"]?.intValue, AmountReading.validRange.contains(amount) else {
            return DiagReply(id: request.id, error: .badRequest, message: "amount_fen must be an integer from 1 to 9999999999")
        }
        let channelName = request.arguments["channel"]?.stringValue ?? "alipay"
        guard let channel = PaymentChannel(rawValue: channelName) else {
            return DiagReply(id: request.id, error: .badRequest, message: "channel must be alipay, wechat, unionpay or none")
        }
        let now = WallClock.nowMs()
        let paymentID = request.arguments["payment_id"]?.stringValue ?? "test-\(now)-\(UInt32.random(in: 0...UInt32.max))"
        guard !paymentID.isEmpty, paymentID.utf8.count <= 128 else {
            return DiagReply(id: request.id, error: .badRequest, message: "payment_id must be 1 to 128 bytes")
        }
        let results = try await desk.receive(
            [PaymentNotification(cursor: "", paymentID: paymentID, amount: Fen(amount), channel: channel, paidAtMs: now)],
            source: "test")
        let seq: Int64
        switch results.first {
        case .appended(let record): seq = record.seq ?? 0
        case .duplicate(let existing): seq = existing
        case nil: return DiagReply(id: request.id, error: .internal, message: "nothing recorded")
        }
        return DiagReply(id: request.id, result: ["seq": .int(seq), "payment_id": .string(paymentID)])
    }
}
