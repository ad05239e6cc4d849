import ArgumentParser
import Foundation
import StallUpstream

/// `export`: prints a device's stored records as JSON lines (canonical text, one per line),
/// read straight from the receiver's SQLite file; the output feeds `verify`.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print a device's stored records as JSON lines.")

    @Option(help: "The receiver's SQLite database file.")
    var db: String

    @Option(help: "The device_id whose records to print.")
    var device: String

    @Option(help: "First seq to print.")
    var from: Int64 = 1

    func run() async throws {
        // Opening would create an empty database; a typo in the path must be an error.
        guard FileManager.default.fileExists(atPath: db) else {
            printError("stallbox-upstream export: no database at \(db)")
            throw ExitCode(ExitCodes.usage)
        }
        do {
            let store = try UpstreamStore(path: db)
            for line in try await store.records(deviceID: device, from: from) { print(line) }
        } catch {
            printError("stallbox-upstream export: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
    }
}
