import Logging
import ServiceLifecycle
import StallCore
import StallPlatform
import StallProtocols

/// Keeps one scale port read for as long as the daemon runs (NUT's rule for drivers: never
/// exit, keep trying to reconnect).
///
/// Loop: open the port → find what it speaks (pinned by configuration, or auto-detected:
/// remembered settings first, then the search) → stream (poll if the scale must be asked,
/// decode, hand frames to the weighing detector, report trades) → on a read error, a udev
/// `remove`, or a detected scale silent too long, close and start again after a capped
/// exponential backoff that a udev `add` cuts short.
///
/// States, published through `ScaleStatus`: `absent → probing → streaming ⇄ stale → backoff`.
public final class ScaleSupervisor: Service {
    public typealias TradeHandler = @Sendable (ScaleConfiguration, ScaleFrame) async -> Void

    public let configuration: ScaleConfiguration
    public let status: ScaleStatus
    /// Where udev says the device is; the device watcher writes it.
    public let presence: DevicePresence
    let memory: ScaleMemory
    let onTrade: TradeHandler
    let liveness: Liveness
    let logger: Logger

    public init(
        configuration: ScaleConfiguration, memory: ScaleMemory, presence: DevicePresence = DevicePresence(),
        liveness: Liveness, logger: Logger, onTrade: @escaping TradeHandler
    ) throws {
        if let pinned = configuration.pinned, ScaleProtocols.decoder(named: pinned.protocolName) == nil {
            throw UnknownProtocol(name: pinned.protocolName)
        }
        self.configuration = configuration
        self.status = ScaleStatus(name: configuration.name, path: configuration.path)
        self.presence = presence
        self.memory = memory
        self.onTrade = onTrade
        self.liveness = liveness
        var logger = logger
        logger[metadataKey: "scale"] = "\(configuration.name)"
        self.logger = logger
    }

    public struct UnknownProtocol: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown scale protocol '\(name)' (known: \(ScaleProtocols.names.joined(separator: ", ")))"
        }
    }

    /// Why a stream ended without an error.
    enum StreamEnd {
        case shutdown
        /// udev removed the device.
        case removed
        /// A detected (not pinned) scale sent nothing for `redetectAfter`: search again.
        case redetect
    }

    /// The port could not be opened, or udev removed the device.
    struct Absent: Error, CustomStringConvertible {
        var description: String
    }

    var loopName: String { "scale:" + configuration.name }
    var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    public func run() async throws {
        var failures = 0
        while !stopping {
            liveness.beat(loopName)
            let path: String
            switch presence.state {
            case .removed:
                status.update { $0.state = .absent; $0.lastError = "removed (udev)" }
                await pause(failures: max(failures, 5))
                continue
            case .present(let node): path = node
            case .unknown: path = configuration.path
            }
            let generation = presence.generation
            let first = configuration.pinned?.settings ?? memory.identification(for: configuration.memoryKey)?.settings
                ?? configuration.candidateSettings.first ?? SerialSettings()
            let port: SerialPort
            do {
                port = try SerialPort.open(path: path, settings: first)
            } catch {
                failures += 1
                status.update { $0.state = .absent; $0.path = path; $0.lastError = error.description }
                if failures == 1 { logger.warning("scale absent", metadata: ["path": "\(path)", "error": "\(error)"]) }
                await pause(failures: failures)
                continue
            }
            status.update {
                $0.path = path
                $0.opens += 1
                $0.lastError = nil
                $0.state = .probing  // until the first frame, pinned or not
            }
            logger.info("scale port open", metadata: ["path": "\(path)"])
            do {
                switch try await session(port, generation: generation) {
                case .shutdown: break
                case .removed:
                    status.update { $0.state = .absent; $0.lastError = "removed (udev)" }
                    logger.warning("scale removed", metadata: ["path": "\(path)"])
                case .redetect:
                    failures = 0
                    status.update { $0.state = .backoff; $0.lastError = "no frame for \(configuration.redetectAfter); detecting again" }
                    logger.warning("scale silent; detecting again")
                }
            } catch let error as Absent {
                failures += 1
                status.update { $0.state = .backoff; $0.lastError = error.description }
                logger.warning("scale not identified", metadata: ["reason": "\(error)"])
            } catch {
                failures += 1
                let gone = (error as? PlatformError)?.meansDeviceGone ?? false
                status.update { $0.state = gone ? .absent : .backoff; $0.lastError = "\(error)" }
                logger.warning("scale read failed", metadata: ["error": "\(error)"])
            }
            port.close()
            if !stopping { await pause(failures: failures) }
        }
        liveness.finished(loopName)
    }

    /// One open port: identify, then stream until it ends.
    func session(_ port: SerialPort, generation: Int) async throws -> StreamEnd {
        let identification: ScaleIdentification
        let source: ScaleStatus.Source
        var heard: [UInt8] = []
        if let pinned = configuration.pinned {
            identification = pinned
            source = .pinned  // the port was opened at the pinned settings
        } else {
            let remembered = memory.identification(for: configuration.memoryKey)
            guard let (found, bytes) = try await detect(port, remembered: remembered, generation: generation) else {
                return presence.generation != generation ? .removed : .shutdown
            }
            identification = found
            heard = bytes
            source = found == remembered ? .remembered : .detected
            do {
                try memory.remember(found, for: configuration.memoryKey)
            } catch {
                // A cache: losing it costs one search after the next replug.
                logger.warning("cannot remember the scale's settings", metadata: ["error": "\(error)"])
            }
        }
        status.update {
            $0.protocolName = identification.protocolName
            $0.settings = identification.settings.description
            $0.source = source
        }
        logger.info("scale identified", metadata: ["identification": "\(identification)", "source": "\(source.rawValue)"])
        return try await stream(port, identification: identification, generation: generation, heard: heard)
    }

    /// Waits before the next attempt: capped exponential backoff, cut short by a udev event
    /// or shutdown. Idle while waiting: a missing scale must not starve the watchdog.
    func pause(failures: Int) async {
        liveness.idle(loopName)
        let delay = min(5_000, 125 << min(failures, 6))
        try? await cancelWhenGracefulShutdown { await self.presence.doorbell.wait(timeout: .milliseconds(delay)) }
    }
}
