/// RFC 8785 (JCS) serialization for the value types of `JSONValue`.
///
/// For strings, integers, booleans, null, arrays and objects JCS reduces to: members sorted
/// by key (UTF-16 code units), no whitespace, UTF-8 output, and minimal string escaping
/// (only `"` `\` and control characters; the short forms \b \t \n \f \r, else \u00XX in
/// lowercase hex). The result equals Python's
/// `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`.
public enum CanonicalJSON {
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): writeInteger(number, into: &out)
        case .string(let text): writeString(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for index in items.indices {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(items[index], into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            _ = writeObject(members, into: &out, marking: nil)
        }
    }

    /// Writes an object; when `marked` is given (a key not among the members), returns the
    /// offset where that key's member would go: just after the member before it, or just
    /// after `{` when it would come first.
    @discardableResult
    static func writeObject(_ members: [String: JSONValue], into out: inout [UInt8], marking marked: String?) -> Int? {
        out.append(UInt8(ascii: "{"))
        var mark: Int? = nil
        let keys = members.keys.sorted(by: precedes)
        for index in keys.indices {
            let key = keys[index]
            if let marked, mark == nil, precedes(marked, key) { mark = out.count }
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            write(members[key]!, into: &out)
        }
        if marked != nil, mark == nil { mark = out.count }
        out.append(UInt8(ascii: "}"))
        return mark
    }

    /// JCS orders keys by their UTF-16 code units. UTF-8 byte order is the same except
    /// where a character beyond U+FFFF (4 UTF-8 bytes, a surrogate pair in UTF-16) meets
    /// one from U+E000 to U+FFFF; only then compare the slow way.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var aHasSupplementary = false
        var bHasSupplementary = false
        for byte in a.utf8 where byte >= 0xF0 { aHasSupplementary = true }
        for byte in b.utf8 where byte >= 0xF0 { bHasSupplementary = true }
        if aHasSupplementary || bHasSupplementary { return a.utf16.lexicographicallyPrecedes(b.utf16) }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func writeInteger(_ number: Int64, into out: inout [UInt8]) {
        if number == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        if number < 0 { out.append(UInt8(ascii: "-")) }
        // Digits of the magnitude, least significant first, written in reverse.
        var magnitude = number.magnitude
        let start = out.count
        while magnitude > 0 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        out[start...].reverse()
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most text needs no escaping: copy it whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(0x5C); out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C); out.append(0x5C)
            case 0x08: out.append(0x5C); out.append(UInt8(ascii: "b"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0C: out.append(0x5C); out.append(UInt8(ascii: "f"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x00..<0x20:
                out.append(0x5C); out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
                out.append(hexDigit(byte >> 4)); out.append(hexDigit(byte & 0xF))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x61 + nibble - 10 }
}
