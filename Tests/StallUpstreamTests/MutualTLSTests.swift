import Foundation
import Logging
import StallCore
import StallUplink
import StallUpstream
import Testing

/// A receiver that requires client certificates (`serve --client-ca`), and the box's own
/// uplink client (issue 6: "optional client certificate (mutual TLS)"): with its configured
/// certificate the batch is acknowledged; without one the handshake fails, and the failure
/// is reported as a TLS failure, not as an ordinary network error.
@Suite struct MutualTLSTests {
    @Test func aBoxWithItsClientCertificateIsAcknowledgedAndOneWithoutIsRefusedAsATLSFailure() async throws {
        let certificates = try TestCertificates.make()
        let directory = certificates.directory.path
        var logger = Logger(label: "stallbox-upstream-test")
        logger.logLevel = .critical
        let configuration = UpstreamConfiguration(
            host: "127.0.0.1", port: 0,
            tls: UpstreamTLSFiles(
                certificateChainPath: certificates.serverCertificatePath, privateKeyPath: certificates.serverKeyPath,
                clientCAPath: certificates.caPath),
            hold: .seconds(1), logger: logger)
        let records = try Fixtures.vectorLines("valid-export.jsonl")
        let identity = try #require(DeviceIdentity(publicKeyBase64: Fixtures.publicKeyBase64))
        try await withRunningUpstream(configuration: configuration, store: try Fixtures.makeStore()) { port in
            let base = "https://127.0.0.1:\(port)"
            let withCertificate = try UplinkClient(
                configuration: UplinkConfiguration(
                    baseURL: base, caFile: certificates.caPath, connectTimeout: .seconds(5), requestTimeout: .seconds(10),
                    clientCertificate: directory + "/client.pem", clientKey: directory + "/client.key"))
            let accepted = await withCertificate.post(batch: records, identity: identity)
            await withCertificate.shutdown()
            #expect(accepted == .accepted(ackedSeq: 4))

            let without = try UplinkClient(
                configuration: UplinkConfiguration(baseURL: base, caFile: certificates.caPath, connectTimeout: .seconds(5), requestTimeout: .seconds(10)))
            let refused = await without.post(batch: records, identity: identity)
            await without.shutdown()
            guard case .failed(let reason, let certificate) = refused else {
                Issue.record("without a client certificate: \(refused)")
                return
            }
            #expect(certificate, "reported as a TLS failure: \(reason)")
        }
    }
}
