import Logging
import ServiceLifecycle
import StallCore
import StallPlatform

/// The daemon's conversation with systemd. Last in the service group, so it runs once every
/// other service has started: it sends `READY=1`, then feeds the watchdog only while no
/// loop is stalled (progress, not a blind timer), and sends `STOPPING=1` first on shutdown
/// (services stop in reverse order).
final class SystemdService: Service {
    let notifier: SystemdNotifier
    let watchdogInterval: Duration?
    let liveness: Liveness
    let logger: Logger
    /// Parts that must be up before READY=1 (the diagnostic socket).
    let readyAfter: [Latch]

    init(notifier: SystemdNotifier, watchdogMicroseconds: UInt64?, liveness: Liveness, readyAfter: [Latch], logger: Logger) {
        self.readyAfter = readyAfter
        self.notifier = notifier
        self.watchdogInterval = watchdogMicroseconds.map { .microseconds(Int64($0)) }
        self.liveness = liveness
        self.logger = logger
    }

    func run() async throws {
        for gate in readyAfter { await cancelWhenGracefulShutdown { await gate.wait() } }
        if Task.isShuttingDownGracefully { return }
        send("READY=1\nSTATUS=Running")
        logger.info("ready")
        // Ping at half the interval; a loop busy without progress for the whole interval is stuck.
        let period = watchdogInterval.map { $0 / 2 } ?? .seconds(3600)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            guard let interval = watchdogInterval, !Task.isShuttingDownGracefully else { continue }
            let stalled = liveness.stalled(limit: interval)
            if stalled.isEmpty {
                send("WATCHDOG=1")
            } else {
                logger.critical("watchdog withheld: loops stalled", metadata: ["loops": "\(stalled.joined(separator: ","))"])
            }
        }
        send("STOPPING=1\nSTATUS=Shutting down")
        logger.info("stopping")
    }

    func send(_ message: String) {
        do {
            try notifier.notify(message)
        } catch {
            logger.warning("sd_notify failed", metadata: ["error": "\(error)"])
        }
    }
}
