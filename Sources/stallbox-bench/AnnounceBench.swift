import ArgumentParser
import Foundation
import Logging
import StallAnnouncer
import StallCore
import StallDaemon
import StallLedger
import StallPlatform
import Synchronization

/// From a payment notification accepted to its first PCM frame handed to ALSA (`null`
/// PCM), over many payments, with the ledger on disk; then the same with every ledger
/// commit slowed by `--slow-fsync-ms` (an SD card). Announcements must not wait for the
/// disk, so the two runs must show the same figures.
///
/// The path measured is the daemon's own `PaymentDesk`: `receive` asks the ledger whether
/// the payment id is new, queues the announcement, then commits the payment; the announcer's
/// outcome is committed by `announced` from the announcer's outcome loop.
struct AnnounceBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "announce", abstract: "Notification → first PCM frame latency, p50/p99.")

    @Option(name: .long, help: "Payments per run.")
    var payments: Int = 1000

    @Option(name: .long, help: "Milliseconds between two notifications.")
    var intervalMs: Int = 5

    @Option(name: .long, help: "Commit delay of the second run, milliseconds.")
    var slowFsyncMs: Int = 200

    @Option(name: .long, help: "The voice pack.")
    var voicePack: String = "voice-packs/default"

    @Option(name: .long, help: "The ALSA PCM.")
    var pcm: String = "null"

    func run() async throws {
        let pack = try VoicePack.load(directory: voicePack)
        print("ledger commit        p50 ms   p99 ms   max ms  payments  played")
        for delay in [0, slowFsyncMs] {
            let latencies = try await measure(pack: pack, commitDelay: .milliseconds(delay))
            let sorted = latencies.sorted()
            print(
                "\((delay == 0 ? "on disk" : "+\(delay) ms per commit").padding(toLength: 18, withPad: " ", startingAt: 0)) "
                    + String(format: "%8.2f %8.2f %8.2f %9d %7d", percentile(sorted, 50), percentile(sorted, 99), sorted.last ?? .nan, payments, sorted.count))
        }
    }

    func measure(pack: VoicePack, commitDelay: Duration) async throws -> [Double] {
        let directory = NSTemporaryDirectory() + "stallbox-bench-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = try DeviceKey.loadOrCreate(path: directory + "/device.key").key
        let ledger = try Ledger(path: directory + "/ledger.sqlite", key: key, simulatedCommitDelay: commitDelay)
        defer { try? ledger.close() }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let latencies = Mutex<[Double]>([])
        let deskBox = Mutex<PaymentDesk?>(nil)
        let announcer = Announcer(
            voicePack: pack, speaker: ALSASpeaker(pcm: pcm, sampleRate: pack.sampleRate), gapMs: 40, maxAgeMs: 3_600_000,
            nowMs: { WallClock.nowMs() }, liveness: Liveness(), logger: logger
        ) { outcome in
            // First frame handed to ALSA, from the notification accepted.
            if outcome.kind == .played { latencies.withLock { $0.append(milliseconds(outcome.latency)) } }
            await deskBox.withLock { $0 }?.announced(outcome)
        }
        let desk = PaymentDesk(ledger: ledger, announcer: announcer, uploader: nil, nowMs: { WallClock.nowMs() }, logger: logger)
        deskBox.withLock { $0 = desk }
        // Commits are not waited for: with a slow disk they finish long after the last
        // announcement, which is the point. The run ends when every payment was announced.
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await announcer.run() }
            for index in 0..<payments {
                let notification = PaymentNotification(
                    cursor: "\(index)", paymentID: "bench-\(index)", amount: Fen(Int64(1 + index * 37 % 99_999)), channel: .alipay,
                    paidAtMs: WallClock.nowMs())
                group.addTask { try await desk.receive([notification], source: "bench") }
                try? await Task.sleep(for: .milliseconds(intervalMs))
            }
            while latencies.withLock({ $0.count }) < payments { try? await Task.sleep(for: .milliseconds(20)) }
            group.cancelAll()
        }
        return latencies.withLock { $0 }
    }
}
