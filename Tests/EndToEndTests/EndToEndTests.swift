import Foundation
import StallAnnouncer
import StallCore
import StallTestSupport
import Testing

/// The whole path in one process tree: stallbox-sim on a PTY → stallboxd → ALSA `file`
/// PCM → stallbox-upstream over TLS on loopback. Real processes, real sockets, real files.
@Suite(.serialized) struct EndToEndTests {
    /// Records upstream holds, parsed, after checking them with the verifier.
    func verifiedUpstreamRecords(_ rig: StallboxRig, identity: JSONValue) throws -> [Record] {
        let deviceID = identity["device_id"]!.stringValue!
        let lines = try rig.upstreamRecords(deviceID: deviceID)
        let exportPath = rig.directory + "/upstream-export.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: exportPath, atomically: true, encoding: .utf8)
        let verdict = try rig.upstreamTool(["verify", exportPath, "--public-key", identity["public_key"]!.stringValue!])
        #expect(verdict.status == 0, "stallbox-upstream verify: \(verdict.output)")
        var verifier = try ChainVerifier(identity: DeviceIdentity(publicKeyBase64: identity["public_key"]!.stringValue!)!)
        return try lines.map { line in
            let record = Record(members: try JSONParser.parse(line).objectValue!)
            #expect(verifier.check(record).isEmpty, "seq \(record.seq ?? 0)")
            return record
        }
    }

    func expectedSamples(_ tokens: [String]) throws -> [Int16] {
        let pack = try VoicePack.load(directory: RepositoryFiles.path("voice-packs/default"))
        return try pack.render(tokens: tokens, gapSamples: 16_000 * 40 / 1000).get()
    }

    func wavSamples(_ path: String) throws -> [Int16] {
        try WAVFile.samples(from: Array(try Data(contentsOf: URL(fileURLWithPath: path))), expectedRate: 16_000)
    }

    @Test func weighingsAndAPaymentTravelSignedToUpstreamAndThePaymentIsHeardOnce() async throws {
        let rig = try StallboxRig()
        do {
            try await rig.startUpstream()
            try rig.startSim(weights: "1.234,0.856", startDelay: 2)
            try rig.writeConfiguration()
            try await rig.startDaemon()
            let identity = try rig.ctlJSON(["identity"])
            let deviceID = identity["device_id"]!.stringValue!

            // A payment through upstream's notification long-poll.
            let pay = try rig.upstreamTool(["pay", "--url", rig.upstreamURL, "--ca", rig.caFile, "--device", deviceID, "--amount", "12.50", "--id", "e2e-pay-1"])
            #expect(pay.status == 0, "pay: \(pay.error)")
            let wav = rig.directory + "/wav/e2e-pay-1.wav"
            #expect(await eventually { FileManager.default.fileExists(atPath: wav) })

            // Both weighings, the payment and its announcement reach upstream, acknowledged.
            let delivered = await eventually(timeout: .seconds(45)) {
                let status = try? rig.ctlJSON(["status"])
                let kinds = (try? rig.upstreamRecords(deviceID: deviceID))?.compactMap { try? JSONParser.parse($0)["kind"]?.stringValue } ?? []
                return kinds.filter { $0 == "weighing" }.count == 2 && kinds.contains("announcement") && status?["uplink"]?["pending"]?.intValue == 0
            }
            #expect(delivered, "\(rig.logs())")

            // The same notification delivered again is recorded and announced once.
            let again = try rig.upstreamTool(["pay", "--url", rig.upstreamURL, "--ca", rig.caFile, "--device", deviceID, "--amount", "12.50", "--id", "e2e-pay-1"])
            #expect(again.status == 0)
            try await Task.sleep(for: .seconds(4))
            #expect(await eventually { (try? rig.ctlJSON(["status"]))?["uplink"]?["pending"]?.intValue == 0 })

            let records = try verifiedUpstreamRecords(rig, identity: identity)
            #expect(records.map(\.seq) == records.indices.map { Int64($0 + 1) }, "no gap from seq 1")
            let weighings = records.filter { $0.kind == .weighing }
            #expect(weighings.compactMap { $0.members["weight_mg"]?.intValue } == [1_234_000, 856_000])
            let payments = records.filter { $0.kind == .payment }
            #expect(payments.count == 1)
            #expect(payments.first?.members["amount_fen"] == 1250)
            #expect(payments.first?.members["source"] == "upstream")
            let announcements = records.filter { $0.kind == .announcement }
            #expect(announcements.count == 1)
            #expect(announcements.first?.members["outcome"] == "played")
            #expect(announcements.first?.members["text"] == "支付宝到账十二点五元")

            // The WAV holds exactly the clips of the phrase, in order.
            let tokens = try AmountReading().phraseTokens(for: Fen(1250), channel: .alipay)
            #expect(try wavSamples(wav) == (try expectedSamples(tokens)))
            #expect(try FileManager.default.contentsOfDirectory(atPath: rig.directory + "/wav").count == 1)

            // SIGTERM: STOPPING, the ledger closed, exit 0.
            let status = await rig.daemon?.stop()
            #expect(status == 0, "\(rig.daemon?.output ?? "")")
            #expect(rig.daemon?.output.contains("ledger closed") == true)
        } catch {
            Issue.record("\(error)\n\(rig.logs())")
        }
        await rig.stopAll()
    }

    @Test func anUpstreamOutageDuringTradingLosesNothingAndDuplicatesNothing() async throws {
        let rig = try StallboxRig()
        do {
            // Learn a free port, then take upstream down before the daemon starts.
            try await rig.startUpstream()
            let port = rig.upstreamPort
            await rig.upstream?.stop()
            try rig.startSim(weights: "0.500,0.750", startDelay: 1)
            try rig.writeConfiguration(uplinkPort: port)
            try await rig.startDaemon()
            let identity = try rig.ctlJSON(["identity"])
            let deviceID = identity["device_id"]!.stringValue!

            // Trading while upstream is down: test payments and the scale's weighings.
            for (index, amount) in ["3.05", "100.01", "0.50"].enumerated() {
                let reply = try rig.ctlJSON(["test-payment", "--amount", amount, "--id", "outage-\(index)"])
                #expect(reply["payment_id"]?.stringValue == "outage-\(index)")
            }
            let traded = await eventually(timeout: .seconds(30)) {
                let status = try? rig.ctlJSON(["status"])
                return (status?["ledger"]?["last_seq"]?.intValue ?? 0) >= 9  // start, 2 weighings, 3 payments, 3 announcements
            }
            #expect(traded, "\(rig.logs())")
            let pendingWhileDown = try rig.ctlJSON(["status"])["uplink"]?["pending"]?.intValue ?? 0
            #expect(pendingWhileDown >= 9)

            // Upstream returns on the same port: the backlog drains by itself.
            try await rig.startUpstream(port: port)
            let drained = await eventually(timeout: .seconds(90)) {
                (try? rig.ctlJSON(["status"]))?["uplink"]?["pending"]?.intValue == 0
            }
            #expect(drained, "\(rig.logs())")

            let local = try rig.ctl(["export"]).split(separator: "\n").map(String.init)
            let held = try rig.upstreamRecords(deviceID: deviceID)
            #expect(held == local, "upstream holds exactly the ledger, byte for byte")
            let records = try verifiedUpstreamRecords(rig, identity: identity)
            #expect(Set(records.compactMap(\.seq)).count == records.count, "no seq twice")
            #expect(records.filter { $0.kind == .payment }.count == 3)
            #expect(records.filter { $0.kind == .weighing }.count == 2)
        } catch {
            Issue.record("\(error)\n\(rig.logs())")
        }
        await rig.stopAll()
    }
}
