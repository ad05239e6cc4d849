import ArgumentParser
import Crypto
import Foundation
import StallCore
import StallLedger
import StallPlatform

/// Draining an outage's backlog (issue 6): a ledger of `--records` records is delivered by
/// `stallboxd` itself to `stallbox-upstream` over TLS on loopback, the
/// receiver verifying every signature and committing before it acknowledges. Reported in
/// one run: records per second against the bare single-core Ed25519 verify rate (goal: at
/// least 40 % of it), and the daemon's peak RSS during the drain (goal: under 40 MB). The
/// backlog is written by this process; `stallboxd` (release, beside this binary) then
/// starts on it and drains it, exactly as after an outage.
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
        print(String(format: "backlog written                    %9d records in %.1f s", records, milliseconds(.now - building) / 1000))

        try ledger.close()

        let server = try startUpstream(folder: folder)
        defer { server.terminate() }
        let port = try await waitForPort(folder + "/upstream.port")

        // The daemon itself drains the backlog: its RSS is the figure that matters.
        try """
            [ledger]
            path = "\(folder)/ledger.sqlite"
            key = "\(folder)/device.key"

            [hotplug]
            watch_udev = false
            memory = "\(folder)/scales.json"

            [speaker]
            voice_pack = "\(voicePack)"

            [uplink]
            url = "https://127.0.0.1:\(port)"
            ca_file = "\(folder)/tls/ca.pem"
            batch_size = \(batchSize)
            batch_max_kb = 4096
            notifications = false
            request_timeout_s = 120

            [diag]
            socket = "\(folder)/diag.sock"
            """.write(toFile: folder + "/stallbox.toml", atomically: true, encoding: .utf8)
        let started = ContinuousClock.now
        let daemon = try launch(executable: "stallboxd", ["--config", folder + "/stallbox.toml"], log: folder + "/daemon.log")
        defer { daemon.terminate() }
        var peakSampled = 0
        var peakAnonymous = 0
        var pending = Int64(records)
        while pending > 0 {
            try await Task.sleep(for: .milliseconds(100))
            guard daemon.isRunning else { throw ValidationError("stallboxd stopped; see its log") }
            peakSampled = max(peakSampled, Self.statusKilobytes("VmRSS", pid: daemon.processIdentifier))
            peakAnonymous = max(peakAnonymous, Self.statusKilobytes("RssAnon", pid: daemon.processIdentifier))
            if let status = try? Self.status(socket: folder + "/diag.sock"), let left = status["uplink"]?["pending"]?.intValue {
                pending = left
            }
        }
        let elapsed = ContinuousClock.now - started
        let peak = max(Self.statusKilobytes("VmHWM", pid: daemon.processIdentifier), peakSampled)

        let rate = Double(records) / (milliseconds(elapsed) / 1000)
        print(String(format: "drain over TLS to stallbox-upstream %8.0f records/s  (%d records in %.1f s from daemon start, %d per batch, gzip)", rate, records, (milliseconds(elapsed) / 1000), batchSize))
        print(String(format: "  ratio to the verify limit        %9.1f %%  (goal >= 40 %%)", 100 * rate / verifyRate))
        print(String(format: "stallboxd RSS during the drain     %9.1f MB peak  (goal < 40 MB)", Double(peak) / 1024))
        print(String(format: "  of which anonymous (heap, stacks) %8.1f MB peak; the rest is mapped code and libraries", Double(peakAnonymous) / 1024))
    }

    @Option(name: .long, help: "The voice pack the daemon loads.")
    var voicePack: String = FileManager.default.currentDirectoryPath + "/voice-packs/default"

    /// The daemon's `status` over its diagnostic socket.
    static func status(socket: String) throws -> JSONValue {
        let client = try UnixLineClient(path: socket)
        try client.send(line: Array(#"{"id":1,"cmd":"status"}"#.utf8))
        guard let line = try client.readLine(timeoutMs: 2000) else { throw ValidationError("no status") }
        return try JSONParser.parse(line)["result"] ?? .null
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
        return Double(count) / (milliseconds(.now - started) / 1000)
    }

    func startUpstream(folder: String) throws -> Process {
        try launch(
            executable: upstream ?? "stallbox-upstream",
            [
                "serve", "--listen", "127.0.0.1:0", "--cert", folder + "/tls/server.pem", "--key", folder + "/tls/server.key",
                "--db", folder + "/upstream.sqlite", "--port-file", folder + "/upstream.port",
            ], log: "/dev/null")
    }

    /// Starts a program that sits beside this one (same build), its output to `log`.
    func launch(executable: String, _ arguments: [String], log: String) throws -> Process {
        let path = executable.hasPrefix("/") ? executable : URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(executable).path
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
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

    /// A line of /proc/PID/status in kB (VmRSS, VmHWM).
    static func statusKilobytes(_ field: String, pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1]) ?? 0
        }
        return 0
    }

}
