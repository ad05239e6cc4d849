import Logging
import ServiceLifecycle
import StallCore
import StallPlatform
import StallProtocols

/// Keeps one scale port read for as long as the daemon runs (NUT's rule for drivers: never
/// exit, keep trying to reconnect).
///
/// Loop: open the port with its line settings → read with a short poll timeout → feed the
/// decoder → hand each frame to the weighing detector → report trades. A read error or a
/// vanished port closes it, waits with capped exponential backoff and opens again. State
/// and counters are published through `ScaleStatus`; staleness is decided here only.
public final class ScaleSupervisor: Service {
    public typealias TradeHandler = @Sendable (ScaleConfiguration, ScaleFrame) async -> Void

    public let configuration: ScaleConfiguration
    public let status: ScaleStatus
    private let decoderType: any ScaleDecoder.Type
    private let onTrade: TradeHandler
    private let liveness: Liveness
    private let logger: Logger

    public init(
        configuration: ScaleConfiguration, liveness: Liveness, logger: Logger, onTrade: @escaping TradeHandler
    ) throws {
        guard let decoderType = ScaleProtocols.decoder(named: configuration.protocolName) else {
            throw UnknownProtocol(name: configuration.protocolName)
        }
        self.configuration = configuration
        self.decoderType = decoderType
        self.status = ScaleStatus(name: configuration.name, path: configuration.path)
        self.onTrade = onTrade
        self.liveness = liveness
        self.logger = logger
    }

    public struct UnknownProtocol: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown scale protocol '\(name)' (known: \(ScaleProtocols.names.joined(separator: ", ")))"
        }
    }

    var loopName: String { "scale:" + configuration.name }

    public func run() async throws {
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            liveness.beat(loopName)
            let port: SerialPort
            do {
                port = try SerialPort.open(path: configuration.path, settings: configuration.settings)
            } catch {
                failures += 1
                status.update { $0.state = .absent; $0.lastError = error.description }
                if failures == 1 { logger.warning("scale absent", metadata: ["scale": "\(configuration.name)", "error": "\(error)"]) }
                await backoff(failures: failures)
                continue
            }
            logger.info("scale port open", metadata: ["scale": "\(configuration.name)", "path": "\(configuration.path)", "settings": "\(configuration.settings)"])
            status.update { $0.state = .probing; $0.lastError = nil }
            do {
                try await stream(port)
                failures = 0
            } catch {
                failures += 1
                status.update { $0.state = .backoff; $0.lastError = "\(error)" }
                logger.warning("scale read failed", metadata: ["scale": "\(configuration.name)", "error": "\(error)"])
            }
            port.close()
            if !Task.isShuttingDownGracefully { await backoff(failures: failures) }
        }
        liveness.finished(loopName)
    }

    func backoff(failures: Int) async {
        // Idle while waiting: a missing scale must not starve the watchdog.
        liveness.idle(loopName)
        let delay = min(5_000, 250 << min(failures, 5))
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(delay)) }
    }

    /// Reads until the port fails or the daemon stops. Returns normally on shutdown.
    func stream(_ port: SerialPort) async throws {
        var decoder = decoderType.init()
        var detector = WeighingDetector(settings: configuration.detector)
        var lastFrameAt = ContinuousClock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            liveness.beat(loopName)
            let bytes = try await port.read(timeoutMs: 200)
            let now = ContinuousClock.now
            for output in decoder.feed(bytes) {
                switch output {
                case .error(let reason, let offset):
                    status.update { $0.badFrames += 1 }
                    logger.debug("bad frame", metadata: ["scale": "\(configuration.name)", "reason": "\(reason.rawValue)", "offset": "\(offset)"])
                case .frame(let frame, _):
                    lastFrameAt = now
                    status.update {
                        $0.state = .streaming
                        $0.frames += 1
                        $0.lastWeight = frame.weight
                    }
                    if case .record(let trade) = detector.observe(frame, at: now) {
                        await onTrade(configuration, trade)
                    }
                }
            }
            if now - lastFrameAt > configuration.staleAfter, status.snapshot.state != .stale {
                status.update { $0.state = .stale }
                logger.warning("scale stale", metadata: ["scale": "\(configuration.name)"])
            }
        }
    }
}
