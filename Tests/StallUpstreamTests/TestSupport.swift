import Crypto
import Foundation
import StallCore
import StallUpstream

/// Shared fixtures: the protocol's test vectors, the vector key (a public TEST key, seed
/// bytes 0x00...0x1f), temporary databases, and batch bodies built from raw record text.
enum Fixtures {
    static let deviceID = "56475aa75463474c0285df5dbf2bcab7"
    static let publicKeyBase64 = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
    static let negativeNames = [
        "gap-in-sequence", "broken-chain", "bad-signature", "wrong-device-id", "float-amount", "reused-seq",
        "day-close-mismatch", "reset-without-anchor",
    ]

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var vectorsDirectory: URL { repositoryRoot.appendingPathComponent("firmware-protocols/upstream/vectors") }

    static func vectorBytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: vectorsDirectory.appendingPathComponent(relativePath)))
    }

    static func vectorJSON(_ relativePath: String) throws -> JSONValue {
        try JSONParser.parse(try vectorBytes(relativePath))
    }

    /// The lines of a JSON-lines vector file, as raw bytes (the newline dropped).
    static func vectorLines(_ relativePath: String) throws -> [[UInt8]] {
        try vectorBytes(relativePath).split(separator: UInt8(ascii: "\n")).map(Array.init)
    }

    /// A `POST /v1/batches` body whose records are the given raw texts, in order, exactly
    /// as written (so a float in a vector line reaches the receiver as a float).
    static func batchBody(
        records: [[UInt8]], deviceID: String = deviceID, publicKey: String = publicKeyBase64
    ) -> [UInt8] {
        var body = Array(#"{"device_id":"\#(deviceID)","public_key":"\#(publicKey)","records":["#.utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: record)
        }
        body.append(contentsOf: Array("]}".utf8))
        return body
    }

    /// A fresh database file in its own temporary directory.
    static func makeStore(nowMs: @escaping @Sendable () -> Int64 = UpstreamStore.systemNowMs) throws -> UpstreamStore {
        try UpstreamStore(path: try temporaryDirectory().appendingPathComponent("upstream.sqlite").path, nowMs: nowMs)
    }

    static func temporaryDirectory() throws -> URL {
        // One parent for all runs, so the leftovers are easy to find and remove.
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stallupstream-tests").appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// Signs records with the vector key, to build chains longer than the vectors' four.
struct TestSigner {
    let key: Curve25519.Signing.PrivateKey
    let identity: DeviceIdentity

    init() throws {
        key = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(UInt8(0)...UInt8(31)))
        guard let identity = DeviceIdentity(publicKey: Array(key.publicKey.rawRepresentation)) else {
            throw TestFailure("the vector key does not give a device identity")
        }
        self.identity = identity
    }

    /// Records 1...count of a chain of `weighing`s; `weightOffset` makes a different history.
    func chain(count: Int, weightOffset: Int64 = 0) throws -> [Record] {
        var records: [Record] = []
        var prev = Record.genesisPrev
        for seq in 1...Int64(count) {
            let record = try sign(seq: seq, prev: prev, weightMg: 1_000 * seq + weightOffset)
            records.append(record)
            prev = record.hashHex
        }
        return records
    }

    func sign(seq: Int64, prev: String, weightMg: Int64) throws -> Record {
        let unsigned = UnsignedRecord(
            deviceID: identity.deviceID, seq: seq, prev: prev, timestampMs: 1_764_043_200_000 + seq, clockSynced: true,
            kind: .weighing,
            body: ["scale": "scale0", "protocol": "toledo-continuous", "weight_mg": .int(weightMg), "net": false])
        return unsigned.signed(signature: Array(try key.signature(for: unsigned.signedBytes)))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
