import ArgumentParser
import Foundation
import StallCore
import StallPlatform
import StallProtocols

/// A simulated serial scale on a pseudo-terminal: prints the slave's path (the port the
/// daemon opens), then plays scripted weighings as Toledo continuous frames at the scale's
/// real rate (about 7 frames a second), or replays a captured stream.
@main
struct StallboxSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stallbox-sim", abstract: "Simulate a serial scale on a pseudo-terminal.")

    @Option(name: .long, help: "Comma-separated weights in kg to place on the pan, one after another (e.g. 1.234,0.856).")
    var weights: String = "1.234,0.856,2.500"

    @Option(name: .long, help: "Replay this capture file (raw bytes) instead of scripted weighings.")
    var replay: String?

    @Option(name: .long, help: "Frames per second.")
    var rate: Int = 7

    @Option(name: .long, help: "Also make this path a symbolic link to the slave (replaced if it exists).")
    var link: String?

    @Option(name: .long, help: "Seconds to wait before the first weighing (for the daemon to open the port).")
    var startDelay: Int = 0

    @Flag(name: .long, help: "Exit after the script instead of sending empty-pan frames until stopped.")
    var exitAfterScript = false

    func run() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        if let link {
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: pty.slavePath)
        }
        FileHandle.standardOutput.write(Data((pty.slavePath + "\n").utf8))
        let period = Duration.milliseconds(1000 / max(1, rate))
        if startDelay > 0 { try await Task.sleep(for: .seconds(startDelay)) }

        if let replay {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: replay)))
            // About one frame's worth of bytes per period.
            for chunk in stride(from: 0, to: bytes.count, by: 18) {
                try pty.write(Array(bytes[chunk..<min(bytes.count, chunk + 18)]))
                try await Task.sleep(for: period)
            }
        } else {
            var items: [Milligrams] = []
            for text in weights.split(separator: ",") {
                guard let weight = Milligrams(parsingKilograms: String(text).trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("'\(text)' is not a weight in kg (e.g. 1.234)")
                }
                items.append(weight)
            }
            for reading in WeighingScript(items: items).readings {
                try pty.write(WeighingScript.toledoFrame(reading))
                try await Task.sleep(for: period)
            }
        }
        guard !exitAfterScript else { return }
        let empty = WeighingScript.toledoFrame(.init(weight: Milligrams(0), motion: false))
        while !Task.isCancelled {
            try pty.write(empty)
            try await Task.sleep(for: period)
        }
    }
}
