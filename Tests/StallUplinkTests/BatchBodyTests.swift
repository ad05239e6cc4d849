import StallCore
import StallPlatform
import StallTestSupport
import StallUplink
import Testing

/// The batch body is spliced from the ledger's stored canonical bytes; it must be exactly
/// the canonical JSON of the request object (SPEC.md section 7), compressed or not.
@Suite struct BatchBodyTests {
    @Test(arguments: [false, true])
    func theSplicedBodyIsTheCanonicalRequest(gzip: Bool) async throws {
        let lines = try RepositoryFiles.bytes("firmware-protocols/upstream/vectors/valid-export.jsonl")
            .split(separator: UInt8(ascii: "\n")).map(Array.init)
        let identity = try #require(DeviceIdentity(publicKeyBase64: "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="))
        let client = try UplinkClient(configuration: UplinkConfiguration(baseURL: "https://127.0.0.1:1", caFile: "/nonexistent", gzip: gzip))
        let body = client.batchBody(records: lines, identity: identity)
        await client.shutdown()
        let expected = CanonicalJSON.bytes([
            "device_id": .string(identity.deviceID), "public_key": .string(identity.publicKeyBase64),
            "records": .array(try lines.map { try JSONParser.parse($0) }),
        ])
        #expect(body.gzipped == gzip)
        #expect((gzip ? try Gzip.decompress(body.bytes, limit: 1 << 20) : body.bytes) == expected)
    }
}
