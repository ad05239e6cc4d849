import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the reference receiver as a Hummingbird application: a `Service` to run in a
/// `ServiceGroup` (the `serve` command) or through `withRunningUpstream` (tests).
///
/// - Parameter onServerRunning: called once the socket is bound, with the actual port
///   (the way to learn it when `configuration.port` is 0).
public func makeUpstreamApplication(
    configuration: UpstreamConfiguration,
    store: UpstreamStore,
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) throws(UpstreamTLSError) -> some ApplicationProtocol {
    let router = Router()
    UpstreamRoutes(
        store: store, hold: configuration.hold, maxBodyBytes: configuration.maxBodyBytes, logger: configuration.logger,
        faults: configuration.faults
    ).add(to: router)
    let logger = configuration.logger
    let applicationConfiguration = ApplicationConfiguration(
        address: .hostname(configuration.host, port: configuration.port), serverName: "stallbox-upstream")
    let announce: @Sendable (any Channel) async -> Void = { channel in
        let port = channel.localAddress?.port ?? configuration.port
        logger.info("listening on \(configuration.host):\(port) (\(configuration.tls == nil ? "plain HTTP" : "TLS"))")
        await onServerRunning(port)
    }
    // Two returns rather than one server value: both are the same Application type.
    guard let tls = configuration.tls else {
        return Application(
            router: router, server: .http1(), configuration: applicationConfiguration, onServerRunning: announce,
            logger: logger)
    }
    let tlsConfiguration = try tls.serverConfiguration()
    do {
        return Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tlsConfiguration),
            configuration: applicationConfiguration, onServerRunning: announce, logger: logger)
    } catch {
        throw UpstreamTLSError(path: tls.certificateChainPath, what: "server context", underlying: error)
    }
}

/// Runs the receiver while `body` runs, then stops it gracefully: the in-process way for
/// tests (and end-to-end harnesses) to get a live server on a free port.
///
/// `body` gets the bound port. The server is stopped when `body` returns or throws; a
/// failure to start (for example a bad certificate or a busy port) is thrown instead of
/// calling `body`.
public func withRunningUpstream<Result>(
    configuration: UpstreamConfiguration,
    store: UpstreamStore,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (_ port: Int) async throws -> Result
) async throws -> Result {
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
    let application = try makeUpstreamApplication(configuration: configuration, store: store) { port in
        portContinuation.yield(port)
    }
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: [], logger: configuration.logger))
    return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { tasks in
        tasks.addTask {
            // Ends the port stream however the server stops, so the wait below never hangs.
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await tasks.waitForAll()
            throw UpstreamServerDidNotStart()
        }
        do {
            let result = try await body(port)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// The server stopped before it was listening (without reporting another error).
public struct UpstreamServerDidNotStart: Error, CustomStringConvertible {
    public var description: String { "the upstream server stopped before it was listening" }
}
