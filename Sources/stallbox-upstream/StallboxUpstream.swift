import ArgumentParser
import Foundation

/// `stallbox-upstream`: the reference receiver (`serve`) and its tools (`pay`, `export`,
/// `verify`). Exit codes: 0 success; 1 the thing checked or asked for failed (a record
/// does not verify, a payment was refused); 2 usage or I/O errors.
@main
struct StallboxUpstream: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stallbox-upstream",
        abstract: "Reference receiver for Stallbox boxes: verify, store and acknowledge records; queue payments.",
        subcommands: [ServeCommand.self, PayCommand.self, ExportCommand.self, VerifyCommand.self]
    )

    /// ArgumentParser's own `main` exits 64 on usage errors; this tool promises 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { printError(message) }
            Foundation.exit(code == .validationFailure ? ExitCodes.usage : code.rawValue)
        }
    }
}

enum ExitCodes {
    static let failed: Int32 = 1
    static let usage: Int32 = 2
}

/// Writes one line to stderr (stdout carries results only).
func printError(_ message: String) {
    var line = message
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardError.write(Data(line.utf8))
}
