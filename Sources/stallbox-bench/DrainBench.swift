import ArgumentParser
import Crypto
import Foundation
import Logging
import StallCore
import StallLedger
import StallPlatform
import StallUplink

/// Draining an outage's backlog (issue 6): a ledger of `--records` records is delivered by
/// the daemon's own `BatchUploader` to `stallbox-upstream` over TLS on loopback, the
/// receiver verifying every signature and committing before it acknowledges. Reported in
/// one run: records per second against the bare single-core Ed25519 verify rate (goal: at
/// least 40 % of it), and the uploading process's peak RSS during the drain (goal: under
/// 40 MB).
struct DrainBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drain", abstract: "Backlog drain over TLS vs the bare verify rate; RSS.")

    @Option(name: .long, help: "Records in the backlog.")
    var records: Int = 200_000

    @Option(name: .long, help: "Records per batch.")
    var batchSize: Int = 1000

    @Option(name: .long, help: "Directory for the ledger and the receiver's database (a real disk).")
    var directory: String = FileManager.default.currentDirectoryPath + "/.build"

    @Option(name: .long, help: "The stallbox-upstream executable (default: beside this one).")
    var upstream: String?

    @Option(name: .long, help: "scripts/make-test-certs.sh, for throwaway TLS certificates.")
    var makeCerts: String = "scripts/make-test-certs.sh"

    func run() async throws {
        let verifyRate = try Self.verifyRate()
        print(String(format: "bare Ed25519 verify (1 core)       %9.0f verifications/s", verifyRate))

        let folder = directory + "/stallbox-bench-drain-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder + "/tls", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Self.runTool(makeCerts, [folder + "/tls"])

        // The backlog, written as fast as group commit allows.
        let key = try DeviceKey.loadOrCreate(path: folder + "/device.key").key
        let ledger = try Ledger(path: folder + "/ledger.sqlite", key: key)
        let building = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            let callers = 64
            for caller in 0..<callers {
                group.addTask {
                    for index in stride(from: caller, to: records, by: callers) {
                        try await ledger.append(kind: .weighing, body: LedgerBench.weighing(index), timestampMs: 1_764_043_200_000)
                    }
                }
            }
            try await group.waitForAll()
        }
        print(String(format: "backlog written                    %9d records in %.1f s", records, LedgerBench.seconds(.now - building)))

        let server = try startUpstream(folder: folder)
        defer { server.terminate() }
        let port = try await waitForPort(folder + "/upstream.port")

        // Forget what building the backlog used: measure the drain's own peak.
        Self.trimHeap()
        let baselineRSS = Self.statusKilobytes("VmRSS")
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)

        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let client = try UplinkClient(
            configuration: UplinkConfiguration(
                baseURL: "https://127.0.0.1:\(port)", caFile: folder + "/tls/ca.pem", batchSize: batchSize, batchMaxBytes: 4 << 20,
                requestTimeout: .seconds(120), pollNotifications: false))
        let uploader = BatchUploader(
            ledger: ledger, client: client, status: UplinkStatus(), alarms: Alarms(), liveness: Liveness(), logger: logger,
            nowMs: { Int64(Date().timeIntervalSince1970 * 1000) })
        let started = ContinuousClock.now
        var peakSampled = 0
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await uploader.run() }
            while try await ledger.outboxState().ackedSeq < Int64(records) {
                peakSampled = max(peakSampled, Self.statusKilobytes("VmRSS"))
                try await Task.sleep(for: .milliseconds(100))
            }
            group.cancelAll()
        }
        let elapsed = ContinuousClock.now - started
        await client.shutdown()
        try ledger.close()

        let rate = Double(records) / LedgerBench.seconds(elapsed)
        let peak = max(Self.statusKilobytes("VmHWM"), peakSampled)
        print(String(format: "drain over TLS to stallbox-upstream %8.0f records/s  (%d records in %.1f s, %d per batch, gzip)", rate, records, LedgerBench.seconds(elapsed), batchSize))
        print(String(format: "  ratio to the verify limit        %9.1f %%  (goal >= 40 %%)", 100 * rate / verifyRate))
        print(String(format: "uploader RSS during the drain      %9.1f MB peak  (%.1f MB before; goal < 40 MB)", Double(peak) / 1024, Double(baselineRSS) / 1024))
    }

    static func verifyRate() throws -> Double {
        let key = Curve25519.Signing.PrivateKey()
        let message = Array(repeating: UInt8(ascii: "x"), count: 300)
        let signature = try key.signature(for: message)
        let publicKey = key.publicKey
        let count = 20_000
        let started = ContinuousClock.now
        var valid = 0
        for _ in 0..<count where publicKey.isValidSignature(signature, for: message) { valid += 1 }
        precondition(valid == count)
        return Double(count) / LedgerBench.seconds(.now - started)
    }

    func startUpstream(folder: String) throws -> Process {
        let executable = upstream ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("stallbox-upstream").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "serve", "--listen", "127.0.0.1:0", "--cert", folder + "/tls/server.pem", "--key", folder + "/tls/server.key",
            "--db", folder + "/upstream.sqlite", "--port-file", folder + "/upstream.port",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        return process
    }

    func waitForPort(_ path: String) async throws -> Int {
        for _ in 0..<300 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let port = Int(text.filter(\.isNumber)) { return port }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("stallbox-upstream did not start")
    }

    static func runTool(_ path: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [path] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("\(path) failed") }
    }

    /// A line of /proc/self/status in kB (VmRSS, VmHWM).
    static func statusKilobytes(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1]) ?? 0
        }
        return 0
    }

    static func trimHeap() { Heap.trim() }
}
