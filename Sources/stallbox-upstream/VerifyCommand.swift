import ArgumentParser
import Foundation
import StallUpstream

/// `verify`: checks an export offline. Prints each problem as `line N: <code>: <message>`
/// and a summary line on stdout; exits 0 only when every record verifies, 1 when any does
/// not, 2 when the file or the key cannot be used.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify exported records (JSON lines) against a device's public key.")

    @Argument(help: "The export: one record per line (stallctl export, or GET .../records).")
    var file: String

    @Option(help: "The device's public key, standard base64 of the raw 32 bytes.")
    var publicKey: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("stallbox-upstream verify: cannot read \(file)")
            throw ExitCode(ExitCodes.usage)
        }
        let report: VerificationReport
        do {
            report = try OfflineVerifier.verify(jsonLines: Array(data), publicKeyBase64: publicKey)
        } catch {
            printError("stallbox-upstream verify: --public-key: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        for notice in report.notices { print("notice: \(notice)") }
        for problem in report.problems { print(problem) }
        print(report.summary)
        if !report.isValid { throw ExitCode(ExitCodes.failed) }
    }
}
