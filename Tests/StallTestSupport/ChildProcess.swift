import Foundation

/// One of the project's executables run as a child of the test, with its output in a file
/// so a failing test can show it. Killed (TERM, then KILL) when stopped or released.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: Foundation.Process is used from the test's task only.
    public let name: String
    public let process = Process()
    public let outputPath: String

    /// The directory holding the built executables (next to the test bundle).
    public static let binDirectory: String = {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        // The runner may be inside the .xctest bundle on some platforms; walk up to the products.
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("stallboxd").path) {
            directory.deleteLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: directory.appendingPathComponent("stallboxd").path) { return directory.path }
        return RepositoryFiles.path(".build/debug")
    }()

    public init(_ executable: String, _ arguments: [String], outputDirectory: String, environment: [String: String] = [:]) throws {
        name = executable
        outputPath = outputDirectory + "/\(executable)-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.executableURL = URL(fileURLWithPath: Self.binDirectory + "/" + executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = output
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        try process.run()
    }

    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits; returns the exit status (nil if it had to be killed).
    @discardableResult
    public func stop(timeout: Duration = .seconds(10)) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    public func kill9() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Runs an executable to completion; returns its exit status and standard output.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : binDirectory + "/" + executable)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }
}

/// Polls `condition` until it holds or `timeout` passes.
public func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
