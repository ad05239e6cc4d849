import ArgumentParser
import Foundation
import Logging
import StallCore
import StallDevices
import StallPlatform
import StallProtocols

/// Time from a udev `add` (delivered to the supervisor's `DevicePresence`, as the fleet
/// does) to the first stable frame, over a real pseudo-terminal: for a replugged scale
/// whose identification is remembered, and for a scale never seen (full detection).
struct HotplugBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hotplug", abstract: "Time from udev add to the first stable frame over a PTY.")

    @Option(name: .long, help: "Plug-ins per protocol and case.")
    var rounds: Int = 10

    @Option(name: .long, help: "Line settings of the simulated scales.")
    var line: String = "9600 7E1"

    func run() async throws {
        guard let settings = SerialSettings(parsing: line) else { throw ValidationError("bad line '\(line)'") }
        print("emulator            case         p50 ms   max ms  rounds")
        for emulator in ScaleEmulators.all {
            for remembered in [true, false] {
                var times: [Double] = []
                for _ in 0..<max(1, rounds) {
                    times.append(try await Self.plugIn(emulator, settings: settings, remembered: remembered))
                }
                times.sort()
                print("\(emulator.emulatorName.padding(toLength: 19, withPad: " ", startingAt: 0)) \((remembered ? "replug" : "first plug").padding(toLength: 11, withPad: " ", startingAt: 0)) \(String(format: "%8.0f %8.0f", percentile(times, 50), times.last ?? .nan)) \(String(format: "%6d", times.count))")
            }
        }
    }

    /// One plug-in: the supervisor waits for its device (udev said `remove`), the scale
    /// appears, udev says `add`; returns milliseconds until a stable frame was read.
    static func plugIn(_ emulator: any ScaleEmulator.Type, settings: SerialSettings, remembered: Bool) async throws -> Double {
        let reading = WeighingScript.Reading(weight: Milligrams(1_500_000), motion: false)
        let scale = try SimulatedScale(emulator: emulator, line: settings, readings: [reading])
        defer { scale.close() }
        let memory = ScaleMemory(path: nil)
        let key = "bench"
        if remembered {
            var probe = emulator.init()
            let speaksUnasked = !probe.displayUpdate(reading).isEmpty
            let request = ProbeRequest.standard.first { $0.protocolName == emulator.protocolName }?.talk
            let talk = speaksUnasked ? .listen : (request ?? .listen)
            try memory.remember(ScaleIdentification(protocolName: emulator.protocolName, settings: settings, talk: talk), for: key)
        }
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let supervisor = try ScaleSupervisor(
            configuration: ScaleConfiguration(name: "bench", path: scale.path, memoryKey: key), memory: memory, liveness: Liveness(),
            logger: logger, onTrade: { _, _ in })
        supervisor.presence.removed()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await scale.run() }
            group.addTask { try await supervisor.run() }
            defer { group.cancelAll() }
            try await Task.sleep(for: .milliseconds(50))
            let added = ContinuousClock.now
            supervisor.presence.added(path: scale.path)
            while ContinuousClock.now - added < .seconds(10) {
                let snapshot = supervisor.status.snapshot
                if snapshot.frames > 0, snapshot.lastStable == true { return milliseconds(ContinuousClock.now - added) }
                try await Task.sleep(for: .milliseconds(1))
            }
            throw ValidationError("\(emulator.emulatorName): no stable frame 10 s after add")
        }
    }
}
