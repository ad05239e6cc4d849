import Logging
import ServiceLifecycle
import StallCore

/// Long-polls upstream for payments and hands each batch to the daemon, which announces
/// and records them. The cursor is stored by the handler in the same transaction as the
/// payments, so a crash between receiving and recording only means a redelivery, which
/// the payment id deduplicates.
public final class NotificationPoller: Service {
    /// Records and announces; returns only when the payments and `next` are durable.
    public typealias Handler = @Sendable ([PaymentNotification], _ next: String) async throws -> Void

    private let client: UplinkClient
    private let deviceID: String
    private let loadCursor: @Sendable () async throws -> String?
    private let handler: Handler
    private let status: UplinkStatus
    private let liveness: Liveness
    private let logger: Logger
    /// Told when a poll gets through after failures: the link looks back.
    private let onLinkBack: @Sendable () -> Void

    public init(
        client: UplinkClient, deviceID: String, status: UplinkStatus, liveness: Liveness, logger: Logger,
        onLinkBack: @escaping @Sendable () -> Void = {},
        loadCursor: @escaping @Sendable () async throws -> String?, handler: @escaping Handler
    ) {
        self.onLinkBack = onLinkBack
        self.client = client
        self.deviceID = deviceID
        self.status = status
        self.liveness = liveness
        self.logger = logger
        self.loadCursor = loadCursor
        self.handler = handler
    }

    public func run() async throws {
        var cursor = try await loadCursor()
        var failures = 0
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            // The poll legitimately waits for the hold time: it is idle, not stuck.
            liveness.idle("notifications")
            let result = await cancelWhenGracefulShutdown { [client, deviceID, cursor] in
                await client.pollNotifications(deviceID: deviceID, after: cursor)
            }
            if Task.isShuttingDownGracefully { break }
            liveness.beat("notifications")
            switch result {
            case .notifications(let items, let next):
                if failures > 0 { onLinkBack() }
                failures = 0
                status.update { $0.notificationsConnected = true }
                var valid: [PaymentNotification] = []
                for item in items {
                    switch item {
                    case .success(let notification): valid.append(notification)
                    case .failure(let problem):
                        logger.error("invalid notification skipped", metadata: ["reason": "\(problem)"])
                    }
                }
                do {
                    try await handler(valid, next)
                    cursor = next
                } catch {
                    logger.error("recording notifications failed", metadata: ["error": "\(error)"])
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
                }
            case .failed(let reason):
                failures += 1
                status.update { $0.notificationsConnected = false }
                if failures == 1 { logger.warning("notification poll failed", metadata: ["error": "\(reason)"]) }
                let ceiling = min(30_000, 500 << min(failures, 6))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int.random(in: 250...ceiling))) }
            }
        }
        liveness.finished("notifications")
    }
}
