import ArgumentParser
import AsyncHTTPClient
import NIOCore
import NIOSSL
import StallCore

/// `pay`: queues a test payment for a box on a running receiver, over HTTPS trusting only
/// the given CA (as a box does), and prints the reply JSON on one line.
struct PayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pay", abstract: "Queue a payment notification for a device on a running receiver.")

    @Option(help: "Receiver base URL, https://HOST:PORT[/prefix].")
    var url: String

    @Option(help: "CA certificate (PEM) that signed the receiver's certificate; the only one trusted.")
    var ca: String

    @Option(help: "The box's device_id (32 lowercase hex digits).")
    var device: String

    @Option(help: "Amount in yuan, at most two decimals (12, 12.5, 12.50).")
    var amount: String

    @Option(help: "alipay, wechat, unionpay or none.")
    var channel: String = "alipay"

    @Option(name: .customLong("id"), help: "payment_id (made up by the receiver when left out).")
    var paymentID: String?

    func validate() throws {
        guard url.hasPrefix("https://") else { throw ValidationError("--url must be https:// (boxes never use plain HTTP)") }
        guard PaymentChannel(rawValue: channel) != nil else {
            throw ValidationError("--channel must be one of \(PaymentChannel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        do {
            let fen = try Fen(parsingYuan: amount)
            guard fen.value >= 1 else { throw ValidationError("--amount must be at least 0.01") }
        } catch let error as Fen.ParseError {
            throw ValidationError("--amount: \(error)")
        }
    }

    func run() async throws {
        let fen: Fen
        do {
            fen = try Fen(parsingYuan: amount)
        } catch {
            printError("--amount: \(error)")
            throw ExitCode(ExitCodes.usage)
        }
        var body: [String: JSONValue] = ["amount_fen": .int(fen.value), "channel": .string(channel)]
        if let paymentID { body["payment_id"] = .string(paymentID) }

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(ca)
        tls.minimumTLSVersion = .tlsv12
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
        let outcome: Result<(UInt, String), any Error>
        do {
            var request = HTTPClientRequest(url: "\(url.trimmingSuffix("/"))/v1/devices/\(device)/payments")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: CanonicalJSON.bytes(.object(body))))
            let response = try await client.execute(request, timeout: .seconds(30))
            let reply = try await response.body.collect(upTo: 1 << 20)
            outcome = .success((response.status.code, String(buffer: reply)))
        } catch {
            outcome = .failure(error)
        }
        // Shut down on every path: an HTTPClient must not be dropped while running.
        try? await client.shutdown()
        switch outcome {
        case .success((200, let reply)):
            print(reply)
        case .success((let status, let reply)):
            printError("stallbox-upstream pay: the receiver answered \(status): \(reply)")
            throw ExitCode(ExitCodes.failed)
        case .failure(let error):
            printError("stallbox-upstream pay: \(url): \(error)")
            throw ExitCode(ExitCodes.usage)
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
