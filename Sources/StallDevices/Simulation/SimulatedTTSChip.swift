import StallCore
import StallPlatform
import StallProtocols
import Synchronization

/// A UART TTS module on a pseudo-terminal, for `stallbox-sim --tts` and the speaker tests:
/// `TTSChipEmulator` answering in real time what the program on the other end sends.
/// Tests can make it go silent (a module unplugged or unpowered) and read what it received.
public final class SimulatedTTSChip: Sendable {
    public let pty: PseudoTerminal
    private let emulator: Mutex<TTSChipEmulator>

    public init(configuration: TTSChipEmulator.Configuration) throws(PlatformError) {
        pty = try PseudoTerminal()
        emulator = Mutex(TTSChipEmulator(configuration: configuration))
    }

    /// The port a program under test opens.
    public var path: String { pty.slavePath }

    /// Silent: the chip works on but sends nothing (no reply at all).
    public func setSilent(_ silent: Bool) { emulator.withLock { $0.silent = silent } }
    public var lastFrame: TTSFrame? { emulator.withLock { $0.lastFrame } }
    public var acceptedFrames: Int { emulator.withLock { $0.acceptedFrames } }
    public var isSpeaking: Bool { emulator.withLock { $0.isSpeaking } }

    /// Powers the chip up and answers until cancelled.
    public func run() async throws {
        try send(emulator.withLock { $0.powerUp(at: .now) })
        while !Task.isCancelled {
            let next = emulator.withLock { $0.nextEventTime }
            let heard = try await pty.receive(timeoutMs: pollTimeoutMs(until: next, atMost: 100))
            let now = ContinuousClock.now
            let reply = emulator.withLock { chip in
                (heard.isEmpty ? [] : chip.hostSent(heard, at: now)) + chip.advance(to: now)
            }
            try send(reply)
        }
    }

    private func send(_ bytes: [UInt8]) throws(PlatformError) {
        if !bytes.isEmpty { try pty.write(bytes) }
    }

    public func close() {
        pty.close()
    }
}
