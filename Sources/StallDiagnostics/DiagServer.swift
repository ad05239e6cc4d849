import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import StallCore
import StallPlatform
import Synchronization

/// Answers what a command needs; the daemon implements it. `level` is already checked.
public protocol DiagCommandHandler: Sendable {
    /// The access each command needs; a command not listed is unknown.
    var requiredLevels: [String: DiagAccess.Level] { get }
    func handle(_ request: DiagRequest) async -> DiagReply
}

/// The diagnostic socket: a Unix stream socket, one JSON object per line each way.
///
/// Limits so a client costs nothing lasting: a request line is at most `maxLineBytes`
/// (longer: an error reply and the connection is closed), at most `maxConnections`
/// clients at once (more are closed at once), and a client silent for `idleTimeout` is
/// dropped. Replies on one connection come back in request order.
public final class DiagServer: Service {
    public let socketPath: String
    private let handler: any DiagCommandHandler
    private let access: DiagAccess
    private let logger: Logger
    public let maxLineBytes: Int
    public let maxConnections: Int
    public let idleTimeout: Duration
    /// Opens once the socket is bound and listening.
    public let listening = Latch()

    public init(
        socketPath: String, handler: any DiagCommandHandler, access: DiagAccess = DiagAccess(), logger: Logger,
        maxLineBytes: Int = 64 << 10, maxConnections: Int = 16, idleTimeout: Duration = .seconds(300)
    ) {
        self.socketPath = socketPath
        self.handler = handler
        self.access = access
        self.logger = logger
        self.maxLineBytes = maxLineBytes
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    struct Connection: Sendable {
        var channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        var peer: PeerCredentials?
    }

    /// Binds the socket; separate from `run` so the daemon can report readiness after it.
    func bind() async throws -> NIOAsyncChannel<Connection, Never> {
        let idleTimeout = self.idleTimeout
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true) { channel in
                Self.peerCredentials(of: channel).flatMapThrowing { peer in
                    try channel.pipeline.syncOperations.addHandlers(
                        IdleStateHandler(readTimeout: Self.timeAmount(idleTimeout)), CloseOnIdleHandler())
                    return Connection(channel: try NIOAsyncChannel(wrappingChannelSynchronously: channel), peer: peer)
                }
            }
        // Anyone may connect (firmware-protocols/diag/SPEC.md): rights are decided per request
        // from SO_PEERCRED, so a stranger gets a clear "permission denied", not a silent EACCES.
        try FileSecurity.setMode(path: socketPath, mode: 0o666)
        return server
    }

    /// SO_PEERCRED of a connection; nil (no rights at all) when it cannot be read.
    static func peerCredentials(of channel: any Channel) -> EventLoopFuture<PeerCredentials?> {
        guard let provider = channel as? any SocketOptionProvider else { return channel.eventLoop.makeSucceededFuture(nil) }
        let future: EventLoopFuture<KernelUCred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(KernelUCred.optionLevel), name: SocketOptionName(KernelUCred.optionName))
        return future.map { Optional(PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid)) }.recover { _ in nil }
    }

    public func run() async throws {
        let server = try await bind()
        try await run(server)
    }

    func run(_ server: NIOAsyncChannel<Connection, Never>) async throws {
        logger.info("diagnostic socket listening", metadata: ["path": "\(socketPath)"])
        listening.open()
        let active = ManagedCounter()
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        guard active.increment(limit: maxConnections) else {
                            try? await connection.channel.channel.close()
                            logger.warning("diagnostic connection refused: too many clients")
                            continue
                        }
                        group.addTask {
                            defer { active.decrement() }
                            await self.serve(connection)
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        FileSecurity.removeSocket(path: socketPath)
    }

    func serve(_ connection: Connection) async {
        let level = connection.peer.map { access.level(for: $0) } ?? .none
        do {
            try await connection.channel.executeThenClose { inbound, outbound in
                var buffer: [UInt8] = []
                for try await chunk in inbound {
                    buffer += chunk.readableBytesView
                    while let newline = buffer.firstIndex(of: 0x0A) {
                        let line = Array(buffer[..<newline])
                        buffer.removeFirst(newline + 1)
                        if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
                        let reply = await answer(line, level: level)
                        try await outbound.write(ByteBuffer(bytes: reply.line))
                    }
                    if buffer.count > maxLineBytes {
                        let reply = DiagReply(id: .null, error: .badRequest, message: "request line longer than \(maxLineBytes) bytes")
                        try await outbound.write(ByteBuffer(bytes: reply.line))
                        return
                    }
                }
            }
        } catch {
            logger.debug("diagnostic connection ended", metadata: ["error": "\(error)"])
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    func answer(_ line: [UInt8], level: DiagAccess.Level) async -> DiagReply {
        let request: DiagRequest
        switch DiagRequest.parse(line) {
        case .failure(let reply): return reply
        case .success(let parsed): request = parsed
        }
        guard let needed = handler.requiredLevels[request.command] else {
            return DiagReply(id: request.id, error: .unknownCommand, message: "unknown command '\(request.command)'")
        }
        guard level >= needed else {
            return DiagReply(
                id: request.id, error: .permissionDenied,
                message: "'\(request.command)' needs \(needed == .admin ? "root or group \(access.adminGroup)" : "group \(access.diagnosticGroup)")")
        }
        return await handler.handle(request)
    }
}

/// Counts open connections against a limit.
final class ManagedCounter: Sendable {
    private let value = Mutex(0)

    func increment(limit: Int) -> Bool {
        value.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func decrement() { value.withLock { $0 -= 1 } }
}

/// Closes a connection whose client went silent (IdleStateHandler's read timeout).
final class CloseOnIdleHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
