import StallCore
import StallPlatform
import StallProtocols

/// A scale on a pseudo-terminal, for `stallbox-sim`, the detection tests and the bench: a
/// `ScaleEmulator` speaking at its own line settings. What it sends is delivered at the
/// settings the program on the other end configured (`SerialLineSimulation`), and what
/// that program sends reaches the emulator the same way, so a prober at the wrong baud
/// rate or parity hears the garbage a real line gives it, and a polled scale hears
/// garbled requests as garbage.
public final class SimulatedScale: Sendable {
    public let pty: PseudoTerminal
    public let emulator: any ScaleEmulator.Type
    public let line: SerialSettings
    public let readings: [WeighingScript.Reading]
    public let period: Duration
    /// After the last reading: hold it (true) or start the script again (false).
    public let holdLast: Bool

    public init(
        emulator: any ScaleEmulator.Type, line: SerialSettings, readings: [WeighingScript.Reading],
        framesPerSecond: Int = 7, holdLast: Bool = true
    ) throws(PlatformError) {
        self.pty = try PseudoTerminal()
        self.emulator = emulator
        self.line = line
        self.readings = readings.isEmpty ? [WeighingScript.Reading(weight: .init(0), motion: false)] : readings
        self.period = .milliseconds(1000 / max(1, min(framesPerSecond, 1000)))
        self.holdLast = holdLast
    }

    /// The port a program under test opens.
    public var path: String { pty.slavePath }

    /// Plays the script until cancelled: display updates at `period`, answers to whatever
    /// arrives in between.
    public func run() async throws {
        var scale: any ScaleEmulator = emulator.init()
        var index = 0
        var nextUpdate = ContinuousClock.now
        while !Task.isCancelled {
            let reading = readings[index]
            let now = ContinuousClock.now
            if now >= nextUpdate {
                try send(scale.displayUpdate(reading))
                index = index + 1 < readings.count ? index + 1 : (holdLast ? index : 0)
                nextUpdate += period
                if nextUpdate < now { nextUpdate = now + period }
            }
            let heard = try await pty.receive(timeoutMs: pollTimeoutMs(until: nextUpdate, atMost: 1000))
            guard !heard.isEmpty else { continue }
            let host = try pty.peerLineSettings()
            let request = SerialLineSimulation.deliver(heard, sentWith: host, readWith: line)
            if !request.isEmpty { try send(scale.hostSent(request, showing: reading)) }
        }
    }

    func send(_ bytes: [UInt8]) throws(PlatformError) {
        guard !bytes.isEmpty else { return }
        let host = try pty.peerLineSettings()
        let delivered = SerialLineSimulation.deliver(bytes, sentWith: line, readWith: host)
        if !delivered.isEmpty { try pty.write(delivered) }
    }

    public func close() {
        pty.close()
    }
}
