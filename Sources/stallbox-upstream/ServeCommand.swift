import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StallUpstream

/// `serve`: runs the receiver until SIGTERM or SIGINT, then stops gracefully (pending
/// long-polls answer at once, in-flight batches finish committing).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTPS receiver.")

    @Option(help: "Address to listen on, HOST:PORT (port 0 picks a free one; IPv6 as [::1]:8443).")
    var listen: String

    @Option(help: "Server certificate chain, PEM.")
    var cert: String

    @Option(help: "Server private key, PEM.")
    var key: String

    @Option(help: "Require client certificates signed by this CA (PEM): mutual TLS.")
    var clientCa: String?

    @Option(help: "SQLite database file (created if missing).")
    var db: String

    @Option(help: "Seconds a notification long-poll is held open when nothing is queued.")
    var holdSeconds: Int = 25

    @Option(help: "Write the bound port to this file once listening (useful with port 0).")
    var portFile: String?

    @Option(help: "FAULT TESTS ONLY: share of batch uploads (0...1) answered with an injected fault.")
    var faultRate: Double = 0

    @Option(help: "FAULT TESTS ONLY: comma-separated faults to draw from: 500,503,429,hang,slow,lost-reply.")
    var faults: String = "500,503,429,hang,slow,lost-reply"

    @Option(help: "FAULT TESTS ONLY: seconds a 'hang' fault holds the request.")
    var hangSeconds: Int = 60

    func validate() throws {
        guard holdSeconds >= 0 else { throw ValidationError("--hold-seconds must be >= 0") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        for name in faults.split(separator: ",") where UpstreamFaults.Kind(rawValue: String(name)) == nil {
            throw ValidationError("--faults: '\(name)' is not one of \(UpstreamFaults.Kind.allCases.map(\.rawValue).joined(separator: ","))")
        }
        guard ListenAddress(listen) != nil else {
            throw ValidationError("--listen must be HOST:PORT with a port 0...65535, got '\(listen)'")
        }
    }

    func run() async throws {
        guard let address = ListenAddress(listen) else { throw ExitCode(ExitCodes.usage) }
        let logger = Logger(label: "stallbox-upstream")
        let tls = UpstreamTLSFiles(certificateChainPath: cert, privateKeyPath: key, clientCAPath: clientCa)
        do {
            // Before the database is created: a typo in a PEM path leaves nothing behind.
            _ = try tls.serverConfiguration()
        } catch {
            printError("stallbox-upstream serve: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        let store: UpstreamStore
        do {
            store = try UpstreamStore(path: db)
        } catch {
            printError("stallbox-upstream serve: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        let configuration = UpstreamConfiguration(
            host: address.host, port: address.port,
            tls: tls,
            hold: .seconds(holdSeconds), logger: logger,
            faults: faultRate > 0
                ? UpstreamFaults(
                    rate: faultRate, kinds: faults.split(separator: ",").compactMap { UpstreamFaults.Kind(rawValue: String($0)) },
                    hangFor: .seconds(hangSeconds))
                : nil)
        let portFile = self.portFile
        let application: any Service
        do {
            application = try makeUpstreamApplication(configuration: configuration, store: store) { port in
                guard let portFile else { return }
                do {
                    // Atomic, so a script polling for the file never reads half a number.
                    try "\(port)\n".write(toFile: portFile, atomically: true, encoding: .utf8)
                } catch {
                    logger.error("cannot write the port file \(portFile): \(error)")
                }
            }
        } catch {
            printError("stallbox-upstream serve: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info("serving \(db) on \(listen), hold \(holdSeconds) s")
        do {
            try await group.run()
        } catch {
            logger.error("stopped with an error: \(error)")
            throw ExitCode(ExitCodes.failed)
        }
        logger.info("stopped")
    }
}

/// `HOST:PORT`, with `[v6]:PORT` for IPv6 literals.
struct ListenAddress {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return nil
        }
        self.host = host
        self.port = port
    }
}
