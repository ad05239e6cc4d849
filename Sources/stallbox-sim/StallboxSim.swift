import ArgumentParser
import Foundation
import StallCore
import StallDevices
import StallPlatform
import StallProtocols

/// A simulated serial scale on a pseudo-terminal: prints the slave's path (the port the
/// daemon opens), then plays scripted weighings in any emulated protocol at its own line
/// settings (a reader at other settings gets what a real wrong setting gives), or replays
/// a captured stream; or a UART TTS module (`--tts`) answering like the chip.
@main
struct StallboxSim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stallbox-sim", abstract: "Simulate a serial scale on a pseudo-terminal.")

    @Option(name: .long, help: "Comma-separated weights in kg to place on the pan, one after another (e.g. 1.234,0.856).")
    var weights: String = "1.234,0.856,2.500"

    @Option(name: .long, help: "The scale's protocol: \(ScaleEmulators.all.map { $0.emulatorName }.joined(separator: ", ")).")
    var `protocol`: String = ToledoContinuousEmulator.emulatorName

    @Option(name: .long, help: "The scale's line settings, e.g. \"9600 7E1\".")
    var line: String = "9600 8N1"

    @Option(name: .long, help: "Simulate a UART TTS module instead of a scale: syn6288, syn6658 or xfs5152ce.")
    var tts: String?

    @Option(name: .long, help: "Replay this capture file (raw bytes) instead of scripted weighings.")
    var replay: String?

    @Option(name: .long, help: "Display updates per second.")
    var rate: Int = 7

    @Option(name: .long, help: "Also make this path a symbolic link to the slave (replaced if it exists).")
    var link: String?

    @Option(name: .long, help: "Seconds to wait before the first weighing (for the daemon to open the port).")
    var startDelay: Int = 0

    @Flag(name: .long, help: "Exit after the script instead of showing an empty pan until stopped.")
    var exitAfterScript = false

    func run() async throws {
        if let tts {
            guard let chip = TTSChip(rawValue: tts) else {
                throw ValidationError("unknown TTS chip '\(tts)' (known: \(TTSChip.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let module = try SimulatedTTSChip(configuration: .init(chip: chip))
            defer { module.close() }
            try publish(module.path)
            try await module.run()
            return
        }
        guard let emulator = ScaleEmulators.emulator(named: self.protocol) else {
            throw ValidationError("unknown protocol '\(self.protocol)' (known: \(ScaleEmulators.all.map { $0.emulatorName }.joined(separator: ", ")))")
        }
        guard let settings = SerialSettings(parsing: line) else {
            throw ValidationError("'\(line)' is not a line setting like \"9600 8N1\" or \"9600 7E1\"")
        }
        var items: [Milligrams] = []
        for text in weights.split(separator: ",") {
            guard let weight = Milligrams(parsingKilograms: String(text).trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("'\(text)' is not a weight in kg (e.g. 1.234)")
            }
            items.append(weight)
        }
        let empty = WeighingScript.Reading(weight: Milligrams(0), motion: false)
        var readings = Array(repeating: empty, count: max(0, startDelay) * max(1, rate))
        readings += WeighingScript(items: items).readings
        let scale = try SimulatedScale(emulator: emulator, line: settings, readings: readings, framesPerSecond: rate)
        defer { scale.close() }
        try publish(scale.path)

        if let replay {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: replay)))
            if startDelay > 0 { try await Task.sleep(for: .seconds(startDelay)) }
            // About one frame's worth of bytes per period, as the capture came off the line.
            for chunk in stride(from: 0, to: bytes.count, by: 18) {
                try scale.pty.write(Array(bytes[chunk..<min(bytes.count, chunk + 18)]))
                try await Task.sleep(for: scale.period)
            }
            return
        }
        if exitAfterScript {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scale.run() }
                try await Task.sleep(for: scale.period * readings.count)
                group.cancelAll()
            }
            return
        }
        try await scale.run()
    }

    /// Prints the terminal's path (the first line of output) and makes `--link` point at it.
    func publish(_ path: String) throws {
        if let link {
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        }
        FileHandle.standardOutput.write(Data((path + "\n").utf8))
    }
}
