import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import StallCore
import StallPlatform
import StallUpstream
import Testing

/// The real receiver on 127.0.0.1, port 0, over TLS, driven by AsyncHTTPClient trusting
/// only the throwaway CA (as a box does).
@Suite struct HTTPSServerTests {
    @Test func aBatchPostedOverHTTPSIsAcknowledgedUpToFour() async throws {
        try await withServer { client, base, _ in
            let body = Fixtures.batchBody(records: try Fixtures.vectorLines("valid-export.jsonl"))
            let (status, reply) = try await client.post("\(base)/v1/batches", body: body)
            #expect(status == 200)
            #expect(reply == #"{"acked_seq":4}"#)
        }
    }

    @Test func aQueuedPaymentReachesTheLongPollAndRecordsComeBackAsJSONLines() async throws {
        try await withServer(hold: .seconds(1)) { client, base, _ in
            let device = Fixtures.deviceID
            _ = try await client.post(
                "\(base)/v1/batches", body: Fixtures.batchBody(records: try Fixtures.vectorLines("valid-export.jsonl")))

            let (emptyStatus, empty) = try await client.get("\(base)/v1/devices/\(device)/notifications?after=7")
            #expect(emptyStatus == 200)
            #expect(empty == #"{"next":"7","notifications":[]}"#)

            let (payStatus, queued) = try await client.post(
                "\(base)/v1/devices/\(device)/payments",
                body: Array(#"{"amount_fen":1250,"channel":"alipay","payment_id":"p-0001"}"#.utf8))
            #expect(payStatus == 200)
            let cursor = try #require(try JSONParser.parse(queued)["cursor"]?.stringValue)
            let (pollStatus, poll) = try await client.get("\(base)/v1/devices/\(device)/notifications")
            #expect(pollStatus == 200)
            let page = try JSONParser.parse(poll)
            #expect(page["next"] == .string(cursor))
            #expect(page["notifications"]?.arrayValue?.first?["payment_id"] == "p-0001")
            #expect(page["notifications"]?.arrayValue?.first?["amount_fen"] == 1250)

            let (recordsStatus, lines) = try await client.get("\(base)/v1/devices/\(device)/records?from=2")
            #expect(recordsStatus == 200)
            #expect(Array(lines.utf8) == Array(try Fixtures.vectorLines("valid-export.jsonl")[1...].joined(separator: [0x0A])) + [0x0A])
        }
    }

    @Test func aRejectedRecordGets422AndAnOversizedBodyGets413() async throws {
        try await withServer(maxBodyBytes: 4096) { client, base, _ in
            let (status, reply) = try await client.post(
                "\(base)/v1/batches", body: Fixtures.batchBody(records: try Fixtures.vectorLines("negative/float-amount.jsonl")))
            #expect(status == 422)
            let parsed = try JSONParser.parse(reply)
            #expect(parsed["error"] == "float_not_allowed")
            #expect(parsed["seq"] == 3)

            let big = [UInt8](repeating: UInt8(ascii: " "), count: 10_000)
            let (tooLarge, _) = try await client.post("\(base)/v1/batches", body: big)
            #expect(tooLarge == 413)

            let (badDevice, _) = try await client.get("\(base)/v1/devices/NOT-A-DEVICE/notifications")
            #expect(badDevice == 400)
        }
    }

    @Test func aGzippedBatchIsInflatedAndABombIsRefusedWith413() async throws {
        try await withServer(maxBodyBytes: 64 * 1024) { client, base, _ in
            let body = Fixtures.batchBody(records: try Fixtures.vectorLines("valid-export.jsonl"))
            let (status, reply) = try await client.post("\(base)/v1/batches", body: try Gzip.compress(body), encoding: "gzip")
            #expect(status == 200)
            #expect(reply == #"{"acked_seq":4}"#)

            // 1 KiB on the wire, 10 MiB inflated: refused by the inflated-size limit.
            let bomb = try Gzip.compress(body.dropLast() + [UInt8](repeating: UInt8(ascii: " "), count: 10 << 20) + [UInt8(ascii: "}")])
            #expect(bomb.count < 64 * 1024)
            let (refused, _) = try await client.post("\(base)/v1/batches", body: bomb, encoding: "gzip")
            #expect(refused == 413)

            let (garbled, _) = try await client.post("\(base)/v1/batches", body: Array(body.prefix(50)), encoding: "gzip")
            #expect(garbled == 400)
            let (unknown, _) = try await client.post("\(base)/v1/batches", body: body, encoding: "br")
            #expect(unknown == 415)
        }
    }

    @Test func aGracefulShutdownAnswersAPendingLongPollAtOnceInsteadOfWaitingOutTheHold() async throws {
        let certificates = try TestCertificates.make()
        let store = try Fixtures.makeStore()
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = try makeUpstreamApplication(
            configuration: Self.configuration(certificates, hold: .seconds(25)), store: store
        ) { port in portContinuation.yield(port) }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [application], logger: Logger(label: "test")))
        let client = Self.client(trusting: certificates)
        let clock = ContinuousClock()
        let started = clock.now
        let poll = try await withThrowingTaskGroup(of: (UInt, String)?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            tasks.addTask {
                try await client.get("https://127.0.0.1:\(port)/v1/devices/\(Fixtures.deviceID)/notifications?after=3")
            }
            try await Task.sleep(for: .milliseconds(500))
            await group.triggerGracefulShutdown()
            var answer: (UInt, String)?
            for try await result in tasks { if let result { answer = result } }
            return answer
        }
        try await client.shutdown()
        #expect(poll?.0 == 200)
        #expect(poll?.1 == #"{"next":"3","notifications":[]}"#)
        // Far below the 25 s hold; generous because the suite runs in parallel on 2 cores.
        #expect(clock.now - started < .seconds(12))
    }

    static func configuration(_ certificates: TestCertificates, hold: Duration, maxBodyBytes: Int = 8 * 1024 * 1024)
        -> UpstreamConfiguration
    {
        var logger = Logger(label: "stallbox-upstream-test")
        logger.logLevel = .warning
        return UpstreamConfiguration(
            host: "127.0.0.1", port: 0,
            tls: UpstreamTLSFiles(
                certificateChainPath: certificates.serverCertificatePath, privateKeyPath: certificates.serverKeyPath),
            hold: hold, maxBodyBytes: maxBodyBytes, logger: logger)
    }

    static func client(trusting certificates: TestCertificates) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(certificates.caPath)
        return HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
    }

    /// Runs a TLS receiver on a free loopback port and a client that trusts only its CA.
    func withServer(
        hold: Duration = .seconds(25), maxBodyBytes: Int = 8 * 1024 * 1024,
        _ body: (HTTPClient, String, UpstreamStore) async throws -> Void
    ) async throws {
        let certificates = try TestCertificates.make()
        let store = try Fixtures.makeStore()
        let configuration = Self.configuration(certificates, hold: hold, maxBodyBytes: maxBodyBytes)
        let client = Self.client(trusting: certificates)
        do {
            try await withRunningUpstream(configuration: configuration, store: store) { port in
                #expect(port > 0)
                try await body(client, "https://127.0.0.1:\(port)", store)
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

extension HTTPClient {
    func get(_ url: String) async throws -> (UInt, String) {
        try await send(HTTPClientRequest(url: url))
    }

    func post(_ url: String, body: [UInt8], encoding: String? = nil) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let encoding { request.headers.add(name: "Content-Encoding", value: encoding) }
        request.body = .bytes(ByteBuffer(bytes: body))
        return try await send(request)
    }

    /// One request; returns the status and the body as text.
    func send(_ request: HTTPClientRequest) async throws -> (UInt, String) {
        let response = try await execute(request, timeout: .seconds(30))
        let reply = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, String(buffer: reply))
    }
}
