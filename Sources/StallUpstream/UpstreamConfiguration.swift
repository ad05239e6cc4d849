import Logging
import NIOSSL

/// How the reference receiver listens and behaves. Defaults are those of the contract
/// (25 s hold, SPEC.md section 8) and of a test run (loopback, any free port).
public struct UpstreamConfiguration: Sendable {
    /// Address to bind; "127.0.0.1", "0.0.0.0", "::1", a host name.
    public var host: String
    /// Port to bind; 0 lets the kernel choose (learn it from `onServerRunning`).
    public var port: Int
    /// Server certificate and key. nil serves plain HTTP, which only in-process tests
    /// should use: boxes refuse `http://` (SPEC.md section 6).
    public var tls: UpstreamTLSFiles?
    /// How long a long-poll is held open when nothing is queued.
    public var hold: Duration
    /// Largest request body accepted; a larger one is answered 413.
    public var maxBodyBytes: Int
    public var logger: Logger
    /// Injected misbehaviour for fault tests; nil (the default) for a real receiver.
    public var faults: UpstreamFaults?

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        tls: UpstreamTLSFiles? = nil,
        hold: Duration = .seconds(25),
        maxBodyBytes: Int = 8 * 1024 * 1024,
        logger: Logger = Logger(label: "stallbox-upstream"),
        faults: UpstreamFaults? = nil
    ) {
        self.faults = faults
        self.host = host
        self.port = port
        self.tls = tls
        self.hold = hold
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }
}

/// PEM files of the server's certificate chain (leaf first) and private key.
public struct UpstreamTLSFiles: Hashable, Sendable {
    public var certificateChainPath: String
    public var privateKeyPath: String
    /// When set, every client must present a certificate this CA signed (mutual TLS).
    public var clientCAPath: String?

    public init(certificateChainPath: String, privateKeyPath: String, clientCAPath: String? = nil) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.clientCAPath = clientCAPath
    }

    /// A TLS 1.2+ server configuration from the files; errors name the file that failed.
    public func serverConfiguration() throws(UpstreamTLSError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateChainPath)
        } catch {
            throw UpstreamTLSError(path: certificateChainPath, what: "certificate chain", underlying: error)
        }
        guard !chain.isEmpty else {
            throw UpstreamTLSError(path: certificateChainPath, what: "certificate chain", underlying: EmptyPEM())
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        } catch {
            throw UpstreamTLSError(path: privateKeyPath, what: "private key", underlying: error)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let clientCAPath {
            // Require a client certificate from this CA; boxes have no host name to check.
            configuration.trustRoots = .file(clientCAPath)
            configuration.certificateVerification = .noHostnameVerification
        }
        // How long a closing connection waits for the peer's close_notify. Many clients
        // (curl, pooled AsyncHTTPClient connections) just drop the socket, and the 5 s
        // default then holds every graceful shutdown that had a connection open. Every
        // reply is complete before a close, so nothing is lost by waiting less.
        configuration.shutdownTimeout = .milliseconds(500)
        return configuration
    }

    struct EmptyPEM: Error, CustomStringConvertible {
        var description: String { "no certificate in the file" }
    }
}

/// A certificate or key file could not be loaded.
public struct UpstreamTLSError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var what: String
    public var underlying: any Error

    public var description: String { "cannot load the TLS \(what) from \(path): \(underlying)" }
}
