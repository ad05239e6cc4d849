import ArgumentParser
import StallCore
import StallDiagnostics
import StallPlatform
import StallProtocols

/// The technician's tool: offline helpers (`phrase`, `decode`, `devices`, `probe`) and a client of the daemon's
/// diagnostic socket (`status`, `identity`, `export`, `test-payment`).
@main
struct Stallctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stallctl",
        abstract: "Look after a Stallbox: check scales and speakers, inject test payments, export the ledger.",
        subcommands: [Phrase.self, Decode.self, Devices.self, Probe.self, Status.self, Identity.self, Export.self, TestPayment.self, SpeakerTest.self])
}

struct SocketOption: ParsableArguments {
    @Option(name: .long, help: "The diagnostic socket (default: $STALLBOX_DIAG_SOCKET or /run/stallbox/diag.sock).")
    var socket: String?

    var path: String { socket ?? ProcessEnvironment.current["STALLBOX_DIAG_SOCKET"] ?? "/run/stallbox/diag.sock" }
}

func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    var standardError = StandardErrorStream()
    print("stallctl: \(message)", to: &standardError)
    return ExitCode(code)
}

struct Phrase: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the announcement text for an amount in yuan (no daemon needed).")

    @Argument(help: "The amount in yuan, at most two decimals: 12, 12.5, 12.50.")
    var amount: String

    @Option(name: .long, help: "alipay, wechat, unionpay or none.")
    var channel: String = "alipay"

    @Option(name: .long, help: "decimal (十二点五元) or yuan (十二元五角).")
    var style: String = "decimal"

    @Flag(name: .long, help: "Say 两 where Chinese uses it (两百, 两万, 两元).")
    var liang = false

    func run() throws {
        guard let channel = PaymentChannel(rawValue: channel) else { throw fail("unknown channel '\(channel)' (alipay, wechat, unionpay, none)", code: 2) }
        guard let style = AmountReading.Style(rawValue: style) else { throw fail("unknown style '\(style)' (decimal, yuan)", code: 2) }
        do {
            let fen = try Fen(parsingYuan: amount)
            print(try AmountReading(style: style, liang: liang).phrase(for: fen, channel: channel))
        } catch let error as Fen.ParseError {
            throw fail("invalid amount: \(error)")
        } catch let error as AmountReading.Error {
            throw fail("invalid amount: \(error)")
        }
    }
}

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Decode raw bytes captured from a scale's serial line (no daemon needed).")

    @Option(name: .long, help: "A protocol name (\(ScaleProtocols.names.joined(separator: ", "))) or auto.")
    var `protocol`: String

    @Argument(help: "A file of raw bytes as they came off the serial line.")
    var file: String

    func run() throws {
        let bytes: [UInt8]
        do {
            bytes = try FileSecurity.readAll(path: file, limit: 256 << 20)
        } catch {
            throw fail("\(error)")
        }
        let outputs: [ScaleDecoderOutput]
        if self.protocol == "auto" {
            outputs = AutoDecode.decode(bytes)
        } else {
            guard let decoder = ScaleProtocols.decoder(named: self.protocol) else {
                throw fail("unknown protocol '\(self.protocol)' (\(ScaleProtocols.names.joined(separator: ", ")), auto)", code: 2)
            }
            outputs = decoder.decodeAll(bytes)
        }
        for output in outputs { print(CanonicalJSON.string(output.json)) }
    }
}

/// Sends one request and returns its result, or exits with the daemon's error.
func request(_ socket: SocketOption, _ command: String, _ arguments: [String: JSONValue] = [:], timeoutMs: Int32 = 30_000) throws -> JSONValue {
    do {
        let client = try UnixLineClient(path: socket.path)
        try client.send(line: CanonicalJSON.bytes(DiagRequest(id: 1, command: command, arguments: arguments).json))
        guard let line = try client.readLine(timeoutMs: timeoutMs) else { throw fail("the daemon closed the connection without a reply", code: 3) }
        let reply = try JSONParser.parse(line)
        guard reply["ok"]?.boolValue == true, let result = reply["result"] else {
            let code = reply["error"]?["code"]?.stringValue ?? "error"
            let message = reply["error"]?["message"]?.stringValue ?? "no message"
            throw fail("\(code): \(message)", code: code == "permission_denied" ? 4 : 1)
        }
        return result
    } catch let error as PlatformError {
        throw fail("cannot reach the daemon at \(socket.path): \(error)", code: 3)
    } catch let error as JSONParseError {
        throw fail("unreadable reply from the daemon: \(error)", code: 3)
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's state as JSON.")
    @OptionGroup var socket: SocketOption
    func run() throws { print(CanonicalJSON.string(try request(socket, "status"))) }
}

struct Identity: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the box's device_id and public key.")
    @OptionGroup var socket: SocketOption
    func run() throws { print(CanonicalJSON.string(try request(socket, "identity"))) }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print ledger records as JSON lines, from a seq on.")
    @OptionGroup var socket: SocketOption
    @Option(name: .long, help: "The first seq to print.")
    var from: Int64 = 1

    func run() throws {
        var next: Int64? = from
        while let from = next {
            let result = try request(socket, "export", ["from": .int(from), "limit": 1000])
            for record in result["records"]?.arrayValue ?? [] { print(CanonicalJSON.string(record)) }
            next = result["next"]?.intValue
        }
    }
}

struct TestPayment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-payment", abstract: "Inject a payment; returns once it is recorded, printing its seq and payment_id.")
    @OptionGroup var socket: SocketOption
    @Option(name: .long, help: "The amount in yuan (12.50).")
    var amount: String
    @Option(name: .long, help: "alipay, wechat, unionpay or none.")
    var channel: String = "alipay"
    @Option(name: .long, help: "The payment id (default: a new test id).")
    var id: String?

    func run() throws {
        let fen: Fen
        do {
            fen = try Fen(parsingYuan: amount)
        } catch {
            throw fail("invalid amount: \(error)", code: 2)
        }
        var arguments: [String: JSONValue] = ["amount_fen": .int(fen.value), "channel": .string(channel)]
        if let id { arguments["payment_id"] = .string(id) }
        print(CanonicalJSON.string(try request(socket, "test-payment", arguments)))
    }
}

struct SpeakerTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speaker-test", abstract: "Play a test phrase (收款一元) on each speaker, after any queued announcement, and report each outcome.")
    @OptionGroup var socket: SocketOption
    func run() throws {
        let result = try request(socket, "speaker-test", timeoutMs: 120_000)
        print(CanonicalJSON.string(result))
        let speakers = result["speakers"]?.arrayValue ?? []
        if speakers.isEmpty { throw fail("no speaker is configured") }
        if speakers.contains(where: { $0["outcome"]?.stringValue != "played" }) { throw ExitCode(1) }
    }
}
