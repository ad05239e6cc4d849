import Logging
import ServiceLifecycle
import StallCore
import StallPlatform
import StallProtocols
import Synchronization

/// A UART text-to-speech module (SYN6288, SYN6658, XFS5152CE) as a speaker: the phrase text
/// in GB2312, one frame at a time, the module's replies driving `TTSModuleMachine`
/// (firmware-protocols/uart-tts/SPEC.md 10).
///
/// A `Service`: its loop keeps the port open (reopening it with backoff when it fails or is
/// unplugged), reads the module's replies and runs the machine's timers, so a module that
/// stops answering shows as `absent` before the next payment needs it. `play` hands the
/// frame over at once and returns when the module reports the phrase spoken, or throws.
public final class TTSModuleSpeaker: Speaker, Service {
    public let path: String
    public let configuration: TTSModuleMachine.Configuration
    private let liveness: Liveness
    private let logger: Logger

    private struct Shared {
        var machine: TTSModuleMachine
        var port: SerialPort?
        var nextPhrase = 0
        var waiting: [Int: (continuation: CheckedContinuation<Played, any Error>, sentAt: ContinuousClock.Instant)] = [:]
        /// A write that failed; the loop ends the port's session on it.
        var writeFailure: PlatformError?
    }

    private let shared: Mutex<Shared>

    public init(path: String, configuration: TTSModuleMachine.Configuration, liveness: Liveness, logger: Logger) {
        self.path = path
        self.configuration = configuration
        self.liveness = liveness
        var logger = logger
        logger[metadataKey: "speaker"] = "tts:\(configuration.chip.rawValue):\(path)"
        self.logger = logger
        self.shared = Mutex(Shared(machine: TTSModuleMachine(configuration: configuration)))
    }

    public var name: String { "tts:\(configuration.chip.rawValue):\(path)" }

    public var state: String {
        shared.withLock { $0.port == nil ? "absent" : ($0.machine.status?.rawValue ?? "probing") }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public func play(_ phrase: SpokenPhrase, label: String) async throws -> Played {
        let text: [UInt8]
        do {
            text = try GB2312.encode(phrase.text)
        } catch {
            throw Failure(description: error.description)
        }
        return try await withCheckedThrowingContinuation { continuation in
            let now = ContinuousClock.now
            let opened = shared.withLock { shared -> Bool in
                guard shared.port != nil else { return false }
                let id = shared.nextPhrase
                shared.nextPhrase += 1
                shared.waiting[id] = (continuation, now)
                let actions = shared.machine.speak(text, phrase: id, now: now)
                perform(actions, in: &shared)
                return true
            }
            if !opened { continuation.resume(throwing: Failure(description: "\(path) is not open (module absent)")) }
        }
    }

    var loopName: String { "tts:" + path }
    var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    public func run() async throws {
        var failures = 0
        while !stopping {
            liveness.beat(loopName)
            let port: SerialPort
            do {
                port = try SerialPort.open(path: path, settings: SerialSettings(baud: configuration.baud))
            } catch {
                failures += 1
                if failures == 1 { logger.warning("TTS module port cannot be opened", metadata: ["error": "\(error)"]) }
                await pause(failures: failures)
                continue
            }
            logger.info("TTS module port open")
            shared.withLock { shared in
                shared.port = port
                shared.machine = TTSModuleMachine(configuration: configuration)
                perform(shared.machine.start(now: .now), in: &shared)
            }
            do {
                try await serve(port)
                failures = 0
            } catch {
                failures += 1
                logger.warning("TTS module port failed", metadata: ["error": "\(error)"])
            }
            close(port, reason: "port closed")
            if !stopping { await pause(failures: failures) }
        }
        liveness.finished(loopName)
    }

    /// Reads replies and runs timers until the port fails or the daemon stops.
    func serve(_ port: SerialPort) async throws {
        while !stopping {
            liveness.idle(loopName)
            let deadline = shared.withLock { $0.machine.nextDeadline }
            let bytes = try await port.read(timeoutMs: pollTimeoutMs(until: deadline, atMost: 200))
            liveness.beat(loopName)
            let arrived = ContinuousClock.now
            try shared.withLock { shared throws(PlatformError) in
                if !bytes.isEmpty { perform(shared.machine.received(bytes, now: arrived), in: &shared) }
                if let due = shared.machine.nextDeadline, due <= arrived {
                    perform(shared.machine.timePassed(now: arrived), in: &shared)
                }
                if let failure = shared.writeFailure { throw failure }
            }
        }
    }

    /// Carries out the machine's actions in order, inside the lock so frames from `play` and
    /// from the loop never interleave. A failed write is kept for the loop to end on.
    private func perform(_ actions: [TTSModuleMachine.Action], in shared: inout Shared) {
        for action in actions {
            switch action {
            case .send(let bytes):
                guard let port = shared.port, shared.writeFailure == nil else { continue }
                do {
                    try port.writeBlocking(bytes)
                } catch {
                    shared.writeFailure = error
                }
            case .report(let status):
                logger.info("TTS module \(status.rawValue)")
            case .finished(let phrase, let outcome):
                guard let waiting = shared.waiting.removeValue(forKey: phrase) else { continue }
                if outcome == .spoken {
                    waiting.continuation.resume(returning: Played(started: waiting.sentAt, speaker: name))
                } else {
                    waiting.continuation.resume(throwing: Failure(description: "TTS module: \(Self.describe(outcome))"))
                }
            case .unexpected(let byte):
                logger.debug("TTS module sent an unexpected byte", metadata: ["byte": "\(byte)"])
            }
        }
    }

    private func close(_ port: SerialPort, reason: String) {
        let waiting = shared.withLock { shared in
            shared.port = nil
            shared.writeFailure = nil
            defer { shared.waiting = [:] }
            return shared.waiting.values.map(\.continuation)
        }
        port.close()
        for continuation in waiting { continuation.resume(throwing: Failure(description: "TTS module: \(reason)")) }
    }

    func pause(failures: Int) async {
        liveness.idle(loopName)
        let delay = min(5_000, 250 << min(failures, 5))
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(delay)) }
    }

    static func describe(_ outcome: TTSPhraseOutcome) -> String {
        switch outcome {
        case .spoken: "spoken"
        case .rejected: "rejected the frame (45) every time"
        case .noReply: "no reply (absent)"
        case .interrupted: "interrupted (reset, stop or overrun)"
        case .refused(let error): "phrase cannot be framed: \(error)"
        }
    }
}
