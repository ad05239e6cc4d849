import StallCore

/// Works through one device's batch record by record, in the order of SPEC.md section 7,
/// step 3: numbers, shape, device, signature, position, chain. It decides; the store acts
/// (inside the same write transaction that read `heldSeq` and the stored records).
///
/// Invariant: `heldSeq` is H, the highest `seq` the receiver holds for the device once every
/// `.store` decision so far has been carried out; the verifier's chain head is record H.
struct BatchChecker {
    enum Decision {
        /// Record H+1, verified: store it; H becomes its `seq`.
        case store(Record)
        /// A byte-identical copy of a record already held: nothing to do.
        case resend
        /// Stop the batch with this reply (records stored so far stay stored).
        case stop(BatchReply)
    }

    private var verifier: ChainVerifier
    private let deviceID: String

    /// - Parameters: `heldSeq`/`heldHash`: the device's last stored record (0 and 64 zeros
    ///   when none). Throws a rejection when the key is not a usable Ed25519 key.
    init(identity: DeviceIdentity, heldSeq: Int64, heldHash: String) throws(BatchRejection) {
        do {
            verifier = try ChainVerifier(identity: identity, lastSeq: heldSeq, lastHash: heldHash)
        } catch {
            throw BatchRejection(code: .badDeviceID, message: "public_key is not a valid Ed25519 key: \(error)", seq: nil)
        }
        deviceID = identity.deviceID
    }

    var heldSeq: Int64 { verifier.lastSeq }

    /// - Parameter storedCanonical: the canonical text held for a `seq` <= H.
    mutating func check(_ entry: BatchEntry, storedCanonical: (Int64) throws -> String?) rethrows -> Decision {
        let value: JSONValue
        switch entry {
        case .refused(let rejection): return .stop(.rejected(rejection))
        case .value(let parsed): value = parsed
        }
        guard case .object(let members) = value else {
            return reject(.badRecord, "a record must be a JSON object", seq: nil)
        }
        let record = Record(members: members)
        let usableSeq = record.seq.flatMap { $0 >= 1 ? $0 : nil }
        if let problem = ChainVerifier.shapeProblem(record) {
            return reject(.badRecord, problem.description, seq: usableSeq)
        }
        if let problem = KnownKindShape.problem(record) {
            return reject(.badRecord, "malformed record: \(problem)", seq: usableSeq)
        }
        // shapeProblem guarantees an integer seq >= 1 from here on.
        let seq = usableSeq ?? 0
        let held = verifier.lastSeq
        // ChainVerifier lists device, signature and then position/chain problems, which is
        // SPEC order, so the first problem is the one to answer.
        let problems = verifier.check(record)
        guard let first = problems.first else { return .store(record) }
        switch first {
        case .badRecord(let why):
            return reject(.badRecord, "malformed record: \(why)", seq: usableSeq)
        case .badDeviceID(let found):
            return reject(.badDeviceID, "seq \(seq): device_id \(found) is not the batch's device_id \(deviceID)", seq: seq)
        case .badSignature:
            return reject(.badSignature, "seq \(seq): the signature does not verify with the batch's public_key", seq: seq)
        case .reusedSeq:
            // A seq <= H: harmless when it is exactly what is held.
            let incoming = String(decoding: record.canonicalBytes, as: UTF8.self)
            if try storedCanonical(seq) == incoming { return .resend }
            return reject(.seqConflict, "seq \(seq) is already held with different canonical bytes", seq: seq)
        case .gap:
            return .stop(.gap(ackedSeq: held))
        case .brokenChain:
            return reject(.brokenChain, "seq \(seq): prev is not the hash of the held record \(seq - 1)", seq: seq)
        }
    }

    private func reject(_ code: RejectionCode, _ message: String, seq: Int64?) -> Decision {
        .stop(.rejected(BatchRejection(code: code, message: message, seq: seq)))
    }
}
