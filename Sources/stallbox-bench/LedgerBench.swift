import ArgumentParser
import Crypto
import Foundation
import StallCore
import StallLedger

/// The ledger's limits, measured in one run (issue 6):
/// - the bare Ed25519 signing rate of this machine (one core), the ceiling of any chain;
/// - durable signed appends per second with group commit, many callers at once, as a
///   ratio of that signing rate (goal: at least 50 %);
/// - event → durable latency, p50 and p99, under that load and for a lone record;
/// - bytes written to disk per record (`/proc/self/io` write_bytes), under sustained load
///   and for records written one commit each (a quiet stall, one record a minute).
struct LedgerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ledger", abstract: "Group-commit appends vs the bare signing rate; latency; bytes per record.")

    @Option(name: .long, help: "Records appended under load.")
    var records: Int = 50_000

    @Option(name: .long, help: "Concurrent appenders (the scale, payment and announcement paths of many events).")
    var callers: Int = 64

    @Option(name: .long, help: "Records written one commit each (the quiet-stall figure).")
    var quiet: Int = 300

    @Option(name: .long, help: "Directory for the ledger (a real disk: /tmp may be tmpfs).")
    var directory: String = FileManager.default.currentDirectoryPath + "/.build"

    func run() async throws {
        let signing = try signingRate()
        print(String(format: "bare Ed25519 signing (1 core)      %9.0f signatures/s", signing))

        let folder = directory + "/stallbox-bench-ledger-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let key = try DeviceKey.loadOrCreate(path: folder + "/device.key").key
        let ledger = try Ledger(path: folder + "/ledger.sqlite", key: key)

        // Warm up (schema, page cache), then measure.
        for index in 0..<100 { try await ledger.append(kind: .weighing, body: Self.weighing(index), timestampMs: 1) }
        let writtenBefore = Self.bytesWritten()
        let before = ledger.writerCounters
        let started = ContinuousClock.now
        let perCaller = records / callers
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var mine: [Duration] = []
                    mine.reserveCapacity(perCaller)
                    for index in 0..<perCaller {
                        let sent = ContinuousClock.now
                        try await ledger.append(kind: .weighing, body: Self.weighing(caller * perCaller + index), timestampMs: 1_764_043_200_000)
                        mine.append(.now - sent)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Duration]()) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - started
        let loadBytes = Self.bytesWritten() - writtenBefore
        let after = ledger.writerCounters
        let appended = latencies.count
        let rate = Double(appended) / (milliseconds(elapsed) / 1000)
        print(String(format: "durable appends, group commit      %9.0f records/s  (%d callers, %d records, %lld commits)", rate, callers, appended, after.groups - before.groups))
        print(String(format: "  ratio to the signing limit       %9.1f %%  (goal >= 50 %%)", 100 * rate / signing))
        let sorted = latencies.map(milliseconds).sorted()
        print(String(format: "event -> durable under load        p50 %7.2f ms  p99 %7.2f ms", percentile(sorted, 50), percentile(sorted, 99)))
        print(String(format: "bytes written per record, load     %9.0f B  (goal < 1024 B)", Double(loadBytes) / Double(appended)))

        // A quiet stall: each record alone in its commit.
        var alone: [Duration] = []
        let quietBefore = Self.bytesWritten()
        for index in 0..<quiet {
            let sent = ContinuousClock.now
            try await ledger.append(kind: .weighing, body: Self.weighing(index), timestampMs: 1_764_043_200_000)
            alone.append(.now - sent)
        }
        let quietBytes = Self.bytesWritten() - quietBefore
        let aloneMs = alone.map(milliseconds).sorted()
        print(String(format: "event -> durable, lone record      p50 %7.2f ms  p99 %7.2f ms", percentile(aloneMs, 50), percentile(aloneMs, 99)))
        print(String(format: "bytes written per record, quiet    %9.0f B  (one commit per record)", Double(quietBytes) / Double(quiet)))
        try ledger.close()
    }

    static func weighing(_ index: Int) -> [String: JSONValue] {
        ["scale": "scale0", "protocol": "toledo-continuous", "weight_mg": .int(Int64(1000 + index % 50_000)), "net": false, "tare_mg": 0]
    }

    /// Signatures per second over record-sized messages (the canonical bytes of a weighing).
    func signingRate() throws -> Double {
        let key = Curve25519.Signing.PrivateKey()
        let message = Array(repeating: UInt8(ascii: "x"), count: 300)
        let count = 20_000
        let started = ContinuousClock.now
        var sink = 0
        for _ in 0..<count { sink &+= Int(try key.signature(for: message).first ?? 0) }
        let elapsed = ContinuousClock.now - started
        if sink == -1 { print("") }
        return Double(count) / (milliseconds(elapsed) / 1000)
    }

    /// Bytes this process caused to be sent to the storage layer.
    static func bytesWritten() -> Int64 {
        guard let text = try? String(contentsOfFile: "/proc/self/io", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("write_bytes:") {
            return Int64(line.split(separator: " ").last ?? "0") ?? 0
        }
        return 0
    }
}
