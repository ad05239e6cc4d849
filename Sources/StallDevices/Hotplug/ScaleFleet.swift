import Logging
import ServiceLifecycle
import StallCore
import StallPlatform
import StallProtocols
import Synchronization

/// All scale supervisors, and the udev watcher that tells them when their device comes and
/// goes. One `Service`: the supervisors run as child tasks of its task group, so a scale
/// plugged in while the daemon runs gets a supervisor without a stray task, and shutdown
/// waits for every one of them.
///
/// - Configured scales (`[[scale]]`) get a supervisor at start. A udev `add` or `remove`
///   whose node or stable name (DEVLINKS) is a configured path is passed to it.
/// - With `adoptUSBSerial`, any other tty whose USB id the `DeviceCatalog` lists as a scale
///   port gets a supervisor of its own, named after the port, auto-detecting, remembered by
///   the device's udev identity (serial number, else USB path), so a replug of the same
///   adapter (even as another ttyUSB number) reuses it and its remembered settings.
/// - Without udev (a container, a PTY in tests) configured scales still work: their
///   supervisors retry the path on their own backoff.
public final class ScaleFleet: Service {
    public struct Settings: Sendable, Equatable {
        public var watchUdev: Bool
        public var adoptUSBSerial: Bool
        /// A template for adopted ports' timing and trade detection (name and path are set
        /// per port).
        public var adoptedTemplate: ScaleConfiguration

        public init(watchUdev: Bool = true, adoptUSBSerial: Bool = true, adoptedTemplate: ScaleConfiguration = ScaleConfiguration(name: "", path: "")) {
            self.watchUdev = watchUdev
            self.adoptUSBSerial = adoptUSBSerial
            self.adoptedTemplate = adoptedTemplate
        }
    }

    private let settings: Settings
    private let memory: ScaleMemory
    private let liveness: Liveness
    private let logger: Logger
    private let onTrade: ScaleSupervisor.TradeHandler
    private let configured: [ScaleSupervisor]
    /// Supervisors of adopted ports, by udev identity key.
    private let adopted = Mutex<[(key: String, supervisor: ScaleSupervisor)]>([])

    public init(
        scales: [ScaleConfiguration], settings: Settings, memory: ScaleMemory, liveness: Liveness, logger: Logger,
        onTrade: @escaping ScaleSupervisor.TradeHandler
    ) throws {
        self.settings = settings
        self.memory = memory
        self.liveness = liveness
        self.logger = logger
        self.onTrade = onTrade
        self.configured = try scales.map {
            try ScaleSupervisor(configuration: $0, memory: memory, liveness: liveness, logger: logger, onTrade: onTrade)
        }
    }

    /// Every supervisor's status, configured first, then adopted ports in plug-in order.
    public var statuses: [ScaleStatus] {
        configured.map(\.status) + adopted.withLock { $0.map(\.supervisor.status) }
    }

    var loopName: String { "udev" }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for supervisor in configured {
                group.addTask { try? await supervisor.run() }
            }
            guard settings.watchUdev else {
                // Nothing to watch: stay until shutdown all the same (a service that returns
                // early stops the whole daemon), even with no scale at all.
                try? await gracefulShutdown()
                return
            }
            await watch { supervisor in
                group.addTask { try? await supervisor.run() }
            }
        }
        liveness.finished(loopName)
    }

    /// Enumerates, then follows tty events until shutdown (`UdevFollower`).
    func watch(start: (ScaleSupervisor) -> Void) async {
        await UdevFollower(subsystems: ["tty"]).run(
            stopping: { Task.isCancelled || Task.isShuttingDownGracefully },
            enumerated: { devices in
                for device in devices { handle(device, start: start) }
                logger.info("watching udev for serial ports", metadata: ["adopt_usb_serial": "\(settings.adoptUSBSerial)"])
            },
            event: { device in handle(device, start: start) },
            failed: { error, inARow in
                guard inARow > 0 else {
                    logger.warning("udev monitor failed; enumerating again", metadata: ["error": "\(error)"])
                    return
                }
                if inARow == 1 { logger.warning("udev unavailable; scales are retried by path", metadata: ["error": "\(error)"]) }
                liveness.idle(loopName)
                let delay = Duration.seconds(min(30, 1 << min(inARow, 5)))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            },
            waiting: { liveness.idle(loopName) })
    }

    /// Routes one udev device (enumerated or from an event) to its supervisor, starting one
    /// for a newly seen catalog scale port.
    func handle(_ device: UdevDevice, start: (ScaleSupervisor) -> Void) {
        guard device.subsystem == "tty", let node = device.devNode else { return }
        let removed = device.action == "remove"
        let names = [node] + device.devLinks
        if let supervisor = configured.first(where: { names.contains($0.configuration.path) }) {
            if removed { supervisor.presence.removed() } else { supervisor.presence.added(path: supervisor.configuration.path) }
            logger.info("udev \(device.action ?? "present")", metadata: ["scale": "\(supervisor.configuration.name)", "node": "\(node)"])
            return
        }
        guard settings.adoptUSBSerial, DeviceCatalog.role(subsystem: "tty", properties: device.properties)?.isSerialPort == true,
            let key = DeviceCatalog.identityKey(properties: device.properties)
        else { return }
        let existing = adopted.withLock { list in list.first { $0.key == key }?.supervisor }
        if let existing {
            if removed { existing.presence.removed() } else { existing.presence.added(path: node) }
            logger.info("udev \(device.action ?? "present")", metadata: ["scale": "\(existing.configuration.name)", "node": "\(node)"])
            return
        }
        guard !removed else { return }
        var configuration = settings.adoptedTemplate
        configuration.name = "usb-" + (node.split(separator: "/").last.map(String.init) ?? node)
        configuration.path = node
        configuration.memoryKey = key
        guard let supervisor = try? ScaleSupervisor(configuration: configuration, memory: memory, liveness: liveness, logger: logger, onTrade: onTrade)
        else { return }
        supervisor.presence.added(path: node)
        adopted.withLock { $0.append((key, supervisor)) }
        logger.notice(
            "scale port adopted",
            metadata: ["scale": "\(configuration.name)", "node": "\(node)", "identity": "\(key)", "model": "\(device.properties["ID_MODEL_FROM_DATABASE"] ?? device.properties["ID_MODEL"] ?? "?")"])
        start(supervisor)
    }
}
