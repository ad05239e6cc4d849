import StallCore

/// One element of a batch's `records`: either a parsed JSON value (still to be checked as
/// a record) or text that already failed as a record value (a float, duplicate names...).
public enum BatchEntry: Hashable, Sendable {
    case value(JSONValue)
    case refused(BatchRejection)

    public init(_ record: Record) { self = .value(record.json) }
}

/// The body of `POST /v1/batches`, split into what step 1 of SPEC.md section 7 checks (the
/// envelope) and what step 3 checks (each record, in order).
///
/// The body is parsed with the strict `JSONParser` as a whole. Only when that fails on a
/// value-level fault (a float, duplicate member names, an integer out of range, bad
/// Unicode) is it taken apart with `RecordsArrayLocator`: the envelope and each element are
/// then parsed strictly on their own, and a bad element becomes a `.refused` entry, so the
/// records before it are still stored and the reply names the bad record's `seq`.
public struct BatchRequest: Hashable, Sendable {
    public var deviceID: String
    public var publicKey: String
    public var records: [BatchEntry]

    public init(deviceID: String, publicKey: String, records: [BatchEntry]) {
        self.deviceID = deviceID
        self.publicKey = publicKey
        self.records = records
    }

    /// Parses a body; a `MalformedBatch` is answered with 400.
    public init(body: [UInt8]) throws(MalformedBatch) {
        let envelope: JSONValue
        let records: [BatchEntry]
        do throws(JSONParseError) {
            let whole = try JSONParser.parse(body)
            envelope = whole
            records = (whole["records"]?.arrayValue ?? []).map(BatchEntry.value)
        } catch where RecordText.valueLevelCodes.contains(error.code) {
            (envelope, records) = try Self.splitRecords(body, wholeBodyError: error)
        } catch {
            throw MalformedBatch("the body is not JSON: \(error)")
        }
        guard case .object = envelope else { throw MalformedBatch("the body is not a JSON object") }
        guard let deviceID = envelope["device_id"]?.stringValue else {
            throw MalformedBatch("device_id is missing or not a string")
        }
        guard let publicKey = envelope["public_key"]?.stringValue else {
            throw MalformedBatch("public_key is missing or not a string")
        }
        guard envelope["records"]?.arrayValue != nil else { throw MalformedBatch("records is missing or not an array") }
        self.init(deviceID: deviceID, publicKey: publicKey, records: records)
    }

    /// The slow path: the envelope with the records array blanked, and each element alone.
    static func splitRecords(
        _ body: [UInt8], wholeBodyError: JSONParseError
    ) throws(MalformedBatch) -> (JSONValue, [BatchEntry]) {
        guard let located = RecordsArrayLocator.locate(in: body) else {
            throw MalformedBatch("the body is not a batch object: \(wholeBodyError)")
        }
        var blanked = body
        for index in located.interior { blanked[index] = UInt8(ascii: " ") }
        let envelope: JSONValue
        do throws(JSONParseError) {
            envelope = try JSONParser.parse(blanked)
        } catch {
            throw MalformedBatch("the body outside records is not valid: \(error)")
        }
        var entries: [BatchEntry] = []
        for (index, range) in located.elements.enumerated() {
            switch RecordText.parse(body[range]) {
            case .success(let value):
                entries.append(.value(value))
            case .failure(.float(let offset, let seq)):
                let at = range.lowerBound + offset
                entries.append(.refused(BatchRejection(
                    code: .floatNotAllowed,
                    message: "record \(index + 1) of the batch has a number with a fraction or exponent at byte \(at)",
                    seq: seq)))
            case .failure(.invalidValue(let error, let seq)):
                entries.append(.refused(BatchRejection(
                    code: .badRecord,
                    message: "record \(index + 1) of the batch: \(error.code.rawValue) at byte \(range.lowerBound + error.offset)",
                    seq: seq)))
            case .failure(.syntax(let error)):
                let at = range.lowerBound + error.offset
                throw MalformedBatch("record \(index + 1) of the batch is not JSON: \(error.code.rawValue) at byte \(at)")
            }
        }
        return (envelope, entries)
    }
}

/// A batch body that is not a JSON object with `device_id`, `public_key` and `records`.
public struct MalformedBatch: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
