import StallCore
import StallDevices
import StallPlatform
import StallProtocols
import Testing

/// Auto-detection over a real pseudo-terminal, for every emulated scale (continuous ones,
/// and ones that speak only when asked) at every line setting the issue names. The
/// simulated scale garbles what it sends and hears exactly as a real line at mismatched
/// settings would, so a wrong setting is rejected for the reason it is on a real line.
/// Serialized: the prober's answer windows are real time.
@Suite(.serialized) struct AutoDetectionTests {
    static let emulators = ScaleEmulators.all.map { $0.emulatorName }
    static let lines = ScaleProbe.candidateSettings.map(\.description)

    @Test(arguments: emulators, lines)
    func detectsTheProtocolAndLineSettingsWithinFiveSeconds(emulator name: String, line: String) async throws {
        let emulator = try #require(ScaleEmulators.emulator(named: name))
        let settings = try #require(SerialSettings(parsing: line))
        let scale = try SimulatedScale(emulator: emulator, line: settings, readings: ScaleRig.steady)
        defer { scale.close() }
        let memory = ScaleMemory(path: nil)
        let supervisor = try ScaleRig.supervisor(path: scale.path, memory: memory)
        let result = try await ScaleRig.run(supervisor, scales: [scale], until: ScaleRig.streaming)

        #expect(result.met, "not streaming: \(result.snapshot)")
        #expect(result.snapshot.protocolName == emulator.protocolName)
        #expect(result.snapshot.settings == line)
        #expect(result.snapshot.source == .detected)
        #expect(result.snapshot.lastWeight == Milligrams(1_234_000))
        #expect(result.elapsed < .seconds(5), "took \(result.elapsed)")
        let remembered = memory.identification(for: supervisor.configuration.memoryKey)
        #expect(remembered?.protocolName == emulator.protocolName)
        #expect(remembered?.settings == settings)
    }

    /// A replug: the remembered identification is confirmed without a search.
    @Test(arguments: ["ad-st-command", "yaohua-a23p", "cas-dc1"])
    func aRememberedScaleReadsAgainWithinASecond(emulator name: String) async throws {
        let emulator = try #require(ScaleEmulators.emulator(named: name))
        let settings = SerialSettings(baud: 19200, dataBits: 8, parity: .none)
        let memory = ScaleMemory(path: nil)
        let first = try SimulatedScale(emulator: emulator, line: settings, readings: ScaleRig.steady)
        defer { first.close() }
        let detecting = try ScaleRig.supervisor(path: first.path, memory: memory)
        let detected = try await ScaleRig.run(detecting, scales: [first], until: ScaleRig.streaming)
        #expect(detected.met)
        let remembered = try #require(memory.identification(for: detecting.configuration.memoryKey))

        // The same device again (same memory key), e.g. after a replug.
        let second = try SimulatedScale(emulator: emulator, line: settings, readings: ScaleRig.steady)
        defer { second.close() }
        let replug = try ScaleSupervisor(
            configuration: ScaleConfiguration(name: "test", path: second.path, memoryKey: detecting.configuration.memoryKey),
            memory: memory, liveness: Liveness(), logger: .init(label: "test"), onTrade: { _, _ in })
        let again = try await ScaleRig.run(replug, scales: [second], until: ScaleRig.streaming)
        #expect(again.met)
        #expect(again.snapshot.source == .remembered)
        #expect(memory.identification(for: detecting.configuration.memoryKey) == remembered)
        #expect(again.elapsed < .seconds(1), "took \(again.elapsed); detection took \(detected.elapsed)")
    }

    /// Pinned by configuration: no probing, and the pinned settings are used even when
    /// nothing answers.
    @Test func aPinnedProtocolIsNotProbed() async throws {
        let settings = SerialSettings(baud: 9600, dataBits: 7, parity: .even)
        let scale = try SimulatedScale(emulator: Toledo8217Emulator.self, line: settings, readings: ScaleRig.steady)
        defer { scale.close() }
        let pinned = ScaleIdentification(protocolName: "toledo-8217", settings: settings, talk: ScaleConfiguration.pinnedTalk(for: "toledo-8217"))
        let supervisor = try ScaleRig.supervisor(path: scale.path, pinned: pinned)
        let result = try await ScaleRig.run(supervisor, scales: [scale], until: ScaleRig.streaming)
        #expect(result.met)
        #expect(result.snapshot.source == .pinned)
        #expect(result.snapshot.detections == 0)
        #expect(result.snapshot.settings == "9600 7E1")
    }

    /// A scale that never answers leaves the port in `backoff` with a reason, and no
    /// identification.
    @Test func aSilentPortEndsInBackoffWithAReason() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let supervisor = try ScaleRig.supervisor(path: pty.slavePath)
        let result = try await ScaleRig.run(supervisor, scales: [], timeout: .seconds(10)) { $0.state == .backoff }
        #expect(result.met)
        #expect(result.snapshot.protocolName == nil)
        #expect(result.snapshot.lastError?.contains("no scale protocol answered") == true)
        #expect(result.snapshot.detections == 1)
    }
}
