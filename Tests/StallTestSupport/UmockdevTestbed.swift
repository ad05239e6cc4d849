import Foundation

/// A umockdev testbed owned by `Tests/Fixtures/umockdev/testbed.py`, run preloaded so that
/// its uevents reach the processes under test. Commands go one per line on its stdin, each
/// answered by one `OK …` or `ERR …` line (the script's header lists them). Processes
/// started with `environment` see its devices in /sys and /dev and get its uevents.
public final class UmockdevTestbed: @unchecked Sendable {
    // @unchecked: used from one test task at a time.
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer: [UInt8] = []
    public private(set) var root = ""

    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/umockdev-wrapper")
    }

    public init() throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/umockdev-wrapper")
        // The system python: the gi bindings are a Debian package (python3-gi).
        process.arguments = ["/usr/bin/python3", RepositoryFiles.path("Tests/Fixtures/umockdev/testbed.py")]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let first = try readLine(timeout: .seconds(20))
        guard first.hasPrefix("ROOT ") else { throw StallboxRig.RigError("testbed.py did not start: \(first)") }
        root = String(first.dropFirst(5))
    }

    /// What a process needs in its environment to live in this testbed.
    public var environment: [String: String] {
        ["UMOCKDEV_DIR": root, "LD_PRELOAD": "libumockdev-preload.so.0"]
    }

    /// Sends one command; returns the text after `OK`, or throws with the `ERR` text.
    @discardableResult
    public func command(_ line: String) throws -> String {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        let reply = try readLine(timeout: .seconds(20))
        guard reply.hasPrefix("OK") else { throw StallboxRig.RigError("testbed: \(line) → \(reply)") }
        return String(reply.dropFirst(2)).trimmingCharacters(in: .whitespaces)
    }

    private func readLine(timeout: Duration) throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            guard ContinuousClock.now < deadline, process.isRunning else {
                throw StallboxRig.RigError("testbed.py gave no answer (running: \(process.isRunning))")
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.01) }
            buffer += chunk
        }
    }

    public func close() {
        if process.isRunning {
            _ = try? command("quit")
            process.waitUntilExit()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
