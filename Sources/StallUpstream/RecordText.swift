import StallCore

/// Parses the text of ONE record (a batch element or an export line) and, when that fails,
/// says how: the receiver and the offline verifier must both tell a float (its own 422
/// code, checked before anything else) from a record-level fault (`bad_record`) and from
/// text that is not JSON at all.
///
/// For a float it also recovers the record's `seq` when it cheaply can, so a reply or a
/// report can name the record: every number token the parser refuses as a float is
/// overwritten with `0` and spaces (same length, so offsets stay put) and the text is
/// parsed again. Only that copy is touched; nothing is ever stored or verified from it.
enum RecordText {
    enum Failure: Error, Equatable {
        /// A number with a fraction or exponent at byte `offset`; `seq` when recoverable.
        case float(offset: Int, seq: Int64?)
        /// Valid JSON syntax, but not a valid record value: duplicate member names, an
        /// integer beyond ±(2^53 - 1), invalid Unicode, nesting too deep.
        case invalidValue(JSONParseError, seq: Int64?)
        /// Not JSON.
        case syntax(JSONParseError)
    }

    /// Parser codes that describe a bad value inside otherwise well-formed JSON.
    static let valueLevelCodes: Set<JSONParseError.Code> = [
        .floatNotAllowed, .duplicateKey, .integerOutOfRange, .badUTF8, .badEscape, .tooDeep,
    ]

    /// Upper bound on float tokens rewritten while looking for `seq`: each rewrite is a
    /// full re-parse, and a hostile record could hold thousands of floats.
    static let maxFloatRewrites = 64

    static func parse<Bytes: Collection<UInt8>>(_ text: Bytes) -> Result<JSONValue, Failure> {
        let bytes = Array(text)
        do throws(JSONParseError) {
            return .success(try JSONParser.parse(bytes))
        } catch {
            switch error.code {
            case .floatNotAllowed:
                return .failure(.float(offset: error.offset, seq: seqIgnoringFloats(bytes)))
            case let code where valueLevelCodes.contains(code):
                return .failure(.invalidValue(error, seq: seqIgnoringFloats(bytes)))
            default:
                return .failure(.syntax(error))
            }
        }
    }

    /// The record's `seq` (an integer >= 1) read from a copy whose floats are zeroed, or nil.
    static func seqIgnoringFloats(_ original: [UInt8]) -> Int64? {
        var bytes = original
        for _ in 0..<maxFloatRewrites {
            do throws(JSONParseError) {
                let value = try JSONParser.parse(bytes)
                guard let seq = value["seq"]?.intValue, seq >= 1 else { return nil }
                return seq
            } catch where error.code == .floatNotAllowed {
                zeroNumberToken(in: &bytes, at: error.offset)
            } catch {
                return nil
            }
        }
        return nil
    }

    /// Overwrites the number token starting at `start` with `0` followed by spaces.
    static func zeroNumberToken(in bytes: inout [UInt8], at start: Int) {
        var end = start
        while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
        guard end > start else { return }
        bytes[start] = UInt8(ascii: "0")
        for index in (start + 1)..<end { bytes[index] = UInt8(ascii: " ") }
    }

    static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            true
        default: false
        }
    }
}
