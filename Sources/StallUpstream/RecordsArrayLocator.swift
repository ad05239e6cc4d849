/// Finds the elements of the top-level `records` array of a batch body without judging
/// them, so that one bad record (a float, duplicate member names) can be answered with its
/// own 422 while the records before it are still checked and stored (SPEC.md section 7:
/// the receiver works through the records in order).
///
/// It is used only after the strict parser has refused the body as a whole, and it only
/// delimits: strings (with their escapes) and bracket nesting. Each range it returns is then
/// parsed strictly on its own, and the rest of the body is parsed strictly with the array
/// blanked out, so nothing is accepted on this scanner's word alone. Returns nil for any
/// shape it does not understand; the caller then answers 400.
enum RecordsArrayLocator {
    struct Located: Equatable {
        /// The bytes between `[` and `]` of the records array.
        var interior: Range<Int>
        /// Each element's bytes, in order.
        var elements: [Range<Int>]
    }

    static func locate(in bytes: [UInt8]) -> Located? {
        var index = skipWhitespace(bytes, from: 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index = skipWhitespace(bytes, from: index + 1)
        guard index < bytes.count, bytes[index] != UInt8(ascii: "}") else { return nil }
        var found: Located?
        while true {
            index = skipWhitespace(bytes, from: index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\""),
                let keyEnd = stringEnd(bytes, from: index)
            else { return nil }
            let isRecords = bytes[(index + 1)..<(keyEnd - 1)].elementsEqual("records".utf8)
            index = skipWhitespace(bytes, from: keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index = skipWhitespace(bytes, from: index + 1)
            guard index < bytes.count else { return nil }
            if isRecords, bytes[index] == UInt8(ascii: "[") {
                guard let (located, end) = arrayElements(bytes, from: index) else { return nil }
                found = located
                index = end
            } else {
                guard let end = valueEnd(bytes, from: index) else { return nil }
                index = end
            }
            index = skipWhitespace(bytes, from: index)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}") else { return nil }
            return found
        }
    }

    /// Elements of the array whose `[` is at `open`, and the index just after its `]`.
    static func arrayElements(_ bytes: [UInt8], from open: Int) -> (Located, Int)? {
        var elements: [Range<Int>] = []
        var index = skipWhitespace(bytes, from: open + 1)
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "]") {
            return (Located(interior: (open + 1)..<index, elements: []), index + 1)
        }
        while true {
            index = skipWhitespace(bytes, from: index)
            guard let end = valueEnd(bytes, from: index) else { return nil }
            elements.append(index..<end)
            index = skipWhitespace(bytes, from: end)
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "]") else { return nil }
            return (Located(interior: (open + 1)..<index, elements: elements), index + 1)
        }
    }

    /// The index just after the value starting at `start`.
    static func valueEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "\""):
            return stringEnd(bytes, from: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard let end = stringEnd(bytes, from: index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return index + 1 }
                default:
                    break
                }
                index += 1
            }
            return nil
        default:
            // A scalar (number or literal) runs to the next delimiter.
            var index = start
            while index < bytes.count, !isDelimiter(bytes[index]) { index += 1 }
            return index > start ? index : nil
        }
    }

    /// The index just after the closing quote of the string opening at `start`.
    static func stringEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    static func skipWhitespace(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    static func isDelimiter(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
    }
}
