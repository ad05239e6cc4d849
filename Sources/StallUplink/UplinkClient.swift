import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import StallCore
import StallPlatform

/// The box's HTTPS client for upstream: batches out, notifications in.
///
/// Trusts only the CA file of the configuration (never the system store), fails a
/// connection at once when it cannot be made (AsyncHTTPClient would otherwise retry a
/// rejected certificate until the deadline; our own backoff decides when to try again),
/// and bounds every request with a deadline.
public final class UplinkClient: Sendable {
    public let configuration: UplinkConfiguration
    private let client: HTTPClient

    public init(configuration: UplinkConfiguration) throws {
        self.configuration = configuration
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(configuration.caFile)
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        if let certificate = configuration.clientCertificate, let key = configuration.clientKey {
            // Mutual TLS: upstream may require the box to prove itself at the TLS layer too.
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        // A long-poll cancelled at shutdown leaves upstream holding the request; waiting the
        // default 5 s for its close_notify would only delay the daemon's exit.
        tls.shutdownTimeout = .milliseconds(500)
        var http = HTTPClient.Configuration(tlsConfiguration: tls)
        http.timeout = .init(connect: Self.timeAmount(configuration.connectTimeout))
        http.connectionPool.retryConnectionEstablishment = false
        http.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The body of a batch request: canonical JSON, gzip-compressed when configured. The
    /// records are the ledger's stored canonical bytes, spliced in as they are: the body's
    /// own members (`device_id`, `public_key`, `records`) are already in JCS order.
    public func batchBody(records: [[UInt8]], identity: DeviceIdentity) -> (bytes: [UInt8], gzipped: Bool) {
        var plain: [UInt8] = []
        plain.reserveCapacity(records.reduce(128) { $0 + $1.count + 1 })
        plain += Array(#"{"device_id":"#.utf8)
        plain += CanonicalJSON.bytes(.string(identity.deviceID))
        plain += Array(#","public_key":"#.utf8)
        plain += CanonicalJSON.bytes(.string(identity.publicKeyBase64))
        plain += Array(#","records":["#.utf8)
        for index in records.indices {
            if index > 0 { plain.append(UInt8(ascii: ",")) }
            plain += records[index]
        }
        plain += Array("]}".utf8)
        if configuration.gzip, let compressed = try? Gzip.compress(plain) { return (compressed, true) }
        return (plain, false)
    }

    /// Posts one batch and classifies the reply for the upload machine.
    public func post(batch records: [[UInt8]], identity: DeviceIdentity) async -> UploadMachine.Reply {
        let body = batchBody(records: records, identity: identity)
        var request = HTTPClientRequest(url: configuration.baseURL + "/v1/batches")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if body.gzipped { request.headers.add(name: "Content-Encoding", value: "gzip") }
        request.body = .bytes(ByteBuffer(bytes: body.bytes))
        do {
            let response = try await client.execute(request, timeout: Self.timeAmount(configuration.requestTimeout))
            let bytes = try await response.body.collect(upTo: 1 << 20)
            let reply = try? JSONParser.parse(Array(bytes.readableBytesView))
            switch response.status.code {
            case 200:
                guard let acked = reply?["acked_seq"]?.intValue else { return .failed(reason: "200 without acked_seq", certificate: false) }
                return .accepted(ackedSeq: acked)
            case 409:
                guard let acked = reply?["acked_seq"]?.intValue else { return .failed(reason: "409 without acked_seq", certificate: false) }
                return .conflict(ackedSeq: acked)
            case 422:
                return .rejected(
                    code: reply?["error"]?.stringValue ?? "unknown", message: reply?["message"]?.stringValue ?? "",
                    seq: reply?["seq"]?.intValue)
            case 413:
                return .tooLarge
            case 429, 503:
                return .throttled(status: Int(response.status.code), retryAfterMs: Self.retryAfterMs(response.headers.first(name: "Retry-After")))
            default:
                return .failed(reason: "HTTP \(response.status.code) from upstream", certificate: false)
            }
        } catch {
            return .failed(reason: String(describing: error), certificate: Self.isCertificateFailure(error))
        }
    }

    /// `Retry-After` in delay-seconds form; the HTTP-date form is ignored (the box's clock
    /// may be wrong), and so is anything unparsable.
    static func retryAfterMs(_ value: String?) -> Int64? {
        guard let value, let seconds = Int64(value.filter { $0 != " " && $0 != "\t" }), seconds >= 0, seconds < 86_400 else { return nil }
        return seconds * 1000
    }

    /// Whether the TLS layer failed (a certificate refused on either side, a handshake
    /// alert), as opposed to the network or the server: that is a configuration problem a
    /// technician must see as such, and retrying faster would not help.
    static func isCertificateFailure(_ error: any Error) -> Bool {
        if error is NIOSSLError || error is BoringSSLError { return true }
        let text = String(describing: error).lowercased()
        return ["certificate", "handshake", "sslerror", "tlsv1_alert"].contains { text.contains($0) }
    }

    public enum PollResult: Sendable {
        case notifications([Result<PaymentNotification, PaymentNotification.InvalidNotification>], next: String)
        case failed(String)
    }

    /// One long-poll for payments after `cursor`.
    public func pollNotifications(deviceID: String, after cursor: String?) async -> PollResult {
        var url = configuration.baseURL + "/v1/devices/\(deviceID)/notifications"
        if let cursor, !cursor.isEmpty { url += "?after=" + Self.percentEncode(cursor) }
        let request = HTTPClientRequest(url: url)
        do {
            let response = try await client.execute(
                request, timeout: Self.timeAmount(configuration.requestTimeout + configuration.pollHold))
            let bytes = try await response.body.collect(upTo: 4 << 20)
            guard response.status.code == 200 else { return .failed("HTTP \(response.status.code) from notifications") }
            let reply = try JSONParser.parse(Array(bytes.readableBytesView))
            guard let items = reply["notifications"]?.arrayValue, let next = reply["next"]?.stringValue else {
                return .failed("notifications reply without notifications/next")
            }
            return .notifications(items.map(PaymentNotification.parse), next: next)
        } catch {
            return .failed(String(describing: error))
        }
    }

    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0xF)])"
            }
        }
        return out
    }
}
