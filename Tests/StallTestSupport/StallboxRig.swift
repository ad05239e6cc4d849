import Foundation
import StallCore

/// The whole system on one machine for end-to-end tests: TLS certificates, the reference
/// upstream, a simulated scale on a PTY and the daemon with ALSA's `file` plugin, each a
/// real process, all in one temporary directory.
public final class StallboxRig: @unchecked Sendable {
    public let directory: String
    public var upstream: ChildProcess?
    public var sim: ChildProcess?
    public var daemon: ChildProcess?
    public private(set) var upstreamPort: Int = 0

    public init() throws {
        directory = NSTemporaryDirectory() + "stallbox-e2e-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory + "/tls", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/wav", withIntermediateDirectories: true)
        let result = try ChildProcess.run(RepositoryFiles.path("scripts/make-test-certs.sh"), [directory + "/tls"])
        guard result.status == 0 else { throw RigError("make-test-certs.sh failed: \(result.error)") }
    }

    public struct RigError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public var diagSocket: String { directory + "/diag.sock" }
    public var caFile: String { directory + "/tls/ca.pem" }
    public var upstreamURL: String { "https://127.0.0.1:\(upstreamPort)" }

    /// Starts the reference upstream; port 0 picks a free port, a given port reuses one.
    public func startUpstream(port: Int = 0) async throws {
        let portFile = directory + "/upstream.port"
        try? FileManager.default.removeItem(atPath: portFile)
        upstream = try ChildProcess(
            "stallbox-upstream",
            ["serve", "--listen", "127.0.0.1:\(port)", "--cert", directory + "/tls/server.pem", "--key", directory + "/tls/server.key",
             "--db", directory + "/upstream.sqlite", "--hold-seconds", "2", "--port-file", portFile],
            outputDirectory: directory)
        let ready = await eventually(timeout: .seconds(30)) {
            (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } != nil
        }
        guard ready, let text = try? String(contentsOfFile: portFile, encoding: .utf8), let bound = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw RigError("upstream did not start: \(upstream?.output ?? "")")
        }
        upstreamPort = bound
    }

    public func startSim(weights: String, startDelay: Int = 1) throws {
        sim = try ChildProcess(
            "stallbox-sim", ["--weights", weights, "--link", directory + "/scale", "--start-delay", String(startDelay)],
            outputDirectory: directory)
    }

    public func writeConfiguration(uplinkPort: Int? = nil) throws {
        let port = uplinkPort ?? upstreamPort
        try """
            [ledger]
            path = "\(directory)/ledger.sqlite"
            key = "\(directory)/device.key"

            [log]
            level = "debug"

            [[scale]]
            name = "scale0"
            path = "\(directory)/scale"
            protocol = "toledo-continuous"
            stable_ms = 700

            [speaker]
            pcm = "file:FILE=\(directory)/wav/{label}.wav,FORMAT=wav"
            voice_pack = "\(RepositoryFiles.path("voice-packs/default"))"

            [uplink]
            url = "https://127.0.0.1:\(port)"
            ca_file = "\(caFile)"
            batch_size = 50

            [diag]
            socket = "\(diagSocket)"

            """.write(toFile: directory + "/stallbox.toml", atomically: true, encoding: .utf8)
    }

    public func startDaemon(environment: [String: String] = [:]) async throws {
        daemon = try ChildProcess("stallboxd", ["--config", directory + "/stallbox.toml"], outputDirectory: directory, environment: environment)
        let up = await eventually(timeout: .seconds(30)) { (try? self.ctl(["identity"])) != nil }
        guard up else { throw RigError("daemon did not start: \(daemon?.output ?? "")") }
    }

    /// Runs stallctl against the daemon; throws unless it exits 0; returns stdout.
    @discardableResult
    public func ctl(_ arguments: [String]) throws -> String {
        let result = try ChildProcess.run("stallctl", arguments + ["--socket", diagSocket])
        guard result.status == 0 else { throw RigError("stallctl \(arguments.joined(separator: " ")) exited \(result.status): \(result.error)") }
        return result.output
    }

    public func ctlJSON(_ arguments: [String]) throws -> JSONValue {
        try JSONParser.parse(try ctl(arguments).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func upstreamTool(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try ChildProcess.run("stallbox-upstream", arguments)
    }

    /// What the upstream holds for the device, one record per line.
    public func upstreamRecords(deviceID: String) throws -> [String] {
        let result = try upstreamTool(["export", "--db", directory + "/upstream.sqlite", "--device", deviceID])
        guard result.status == 0 else { throw RigError("upstream export failed: \(result.error)") }
        return result.output.split(separator: "\n").map(String.init)
    }

    public func stopAll() async {
        for process in [daemon, sim, upstream].compactMap({ $0 }) { await process.stop() }
    }

    public func logs() -> String {
        [daemon, sim, upstream].compactMap { $0 }.map { "--- \($0.name)\n\($0.output)" }.joined(separator: "\n")
    }

    deinit {
        for process in [daemon, sim, upstream].compactMap({ $0 }) { process.kill9() }
        if ProcessInfo.processInfo.environment["STALLBOX_KEEP_TEST_FILES"] == nil {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
