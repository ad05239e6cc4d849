import Foundation

/// A throwaway CA and a server certificate it signed (SAN IP:127.0.0.1 and DNS:localhost),
/// made by scripts/make-test-certs.sh in a temporary directory, so the HTTPS tests trust
/// exactly one CA the way a box does.
struct TestCertificates {
    let directory: URL
    var caPath: String { directory.appendingPathComponent("ca.pem").path }
    var serverCertificatePath: String { directory.appendingPathComponent("server.pem").path }
    var serverKeyPath: String { directory.appendingPathComponent("server.key").path }

    /// Made by the same script the demo and the end-to-end rig use.
    static func make() throws -> TestCertificates {
        let directory = try Fixtures.temporaryDirectory()
        let script = Fixtures.repositoryRoot.appendingPathComponent("scripts/make-test-certs.sh")
        let process = Process()
        process.executableURL = script
        process.arguments = [directory.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("make-test-certs.sh failed: \(String(decoding: message, as: UTF8.self))")
        }
        return TestCertificates(directory: directory)
    }
}
