/// A strict JSON parser for records, batches and diagnostic requests.
///
/// It accepts RFC 8259 text and returns `JSONValue`. Because records never hold
/// floating-point numbers, a number with a fraction or an exponent is rejected with
/// `.floatNotAllowed` (and its offset), as is an integer outside ±(2^53 - 1). Duplicate
/// member names are rejected: a receiver that kept either one could be tricked.
/// Nesting is limited so hostile input cannot exhaust the stack.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unexpectedEnd = "unexpected_end"
        case unexpectedByte = "unexpected_byte"
        case floatNotAllowed = "float_not_allowed"
        case integerOutOfRange = "integer_out_of_range"
        case badEscape = "bad_escape"
        case badUTF8 = "bad_utf8"
        case duplicateKey = "duplicate_key"
        case tooDeep = "too_deep"
        case trailingData = "trailing_data"
    }

    public var code: Code
    /// Byte offset into the input where the problem was found.
    public var offset: Int

    public init(code: Code, offset: Int) {
        self.code = code
        self.offset = offset
    }

    public var description: String { "\(code.rawValue) at byte \(offset)" }
}

public enum JSONParser {
    public static let maxDepth = 64

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var reader = Reader(bytes: bytes)
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        if reader.position != bytes.count { throw JSONParseError(code: .trailingData, offset: reader.position) }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        func fail(_ code: JSONParseError.Code, at offset: Int? = nil) -> JSONParseError {
            JSONParseError(code: code, offset: offset ?? position)
        }

        mutating func peek() throws(JSONParseError) -> UInt8 {
            guard position < bytes.count else { throw fail(.unexpectedEnd) }
            return bytes[position]
        }

        mutating func expectLiteral(_ literal: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
            for byte in literal.utf8 {
                guard position < bytes.count else { throw fail(.unexpectedEnd) }
                guard bytes[position] == byte else { throw fail(.unexpectedByte) }
                position += 1
            }
            return value
        }

        mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth < JSONParser.maxDepth else { throw fail(.tooDeep) }
            switch try peek() {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try expectLiteral("true", .bool(true))
            case UInt8(ascii: "f"): return try expectLiteral("false", .bool(false))
            case UInt8(ascii: "n"): return try expectLiteral("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw fail(.unexpectedByte)
            }
        }

        mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
            position += 1
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if try peek() == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard try peek() == UInt8(ascii: "\"") else { throw fail(.unexpectedByte) }
                let keyOffset = position
                let key = try string()
                skipWhitespace()
                guard try peek() == UInt8(ascii: ":") else { throw fail(.unexpectedByte) }
                position += 1
                skipWhitespace()
                let member = try value(depth: depth + 1)
                if members.updateValue(member, forKey: key) != nil { throw fail(.duplicateKey, at: keyOffset) }
                skipWhitespace()
                let next = try peek()
                position += 1
                if next == UInt8(ascii: "}") { return .object(members) }
                guard next == UInt8(ascii: ",") else { throw fail(.unexpectedByte, at: position - 1) }
            }
        }

        mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
            position += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if try peek() == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                skipWhitespace()
                items.append(try value(depth: depth + 1))
                skipWhitespace()
                let next = try peek()
                position += 1
                if next == UInt8(ascii: "]") { return .array(items) }
                guard next == UInt8(ascii: ",") else { throw fail(.unexpectedByte, at: position - 1) }
            }
        }

        mutating func number() throws(JSONParseError) -> JSONValue {
            let start = position
            var negative = false
            if bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            let digitsStart = position
            var magnitude: Int64 = 0
            var overflow = false
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                let digit = Int64(bytes[position] - 0x30)
                if magnitude > (JSONValue.maxSafeInteger - digit) / 10 { overflow = true } else {
                    magnitude = magnitude * 10 + digit
                }
                position += 1
            }
            let digitCount = position - digitsStart
            guard digitCount > 0 else { throw fail(.unexpectedByte) }
            if digitCount > 1, bytes[digitsStart] == 0x30 { throw fail(.unexpectedByte, at: digitsStart) }
            if position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"):
                    throw fail(.floatNotAllowed, at: start)
                default: break
                }
            }
            if overflow { throw fail(.integerOutOfRange, at: start) }
            return .int(negative ? -magnitude : magnitude)
        }

        mutating func hexQuad() throws(JSONParseError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
            var result: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let nibble: UInt32
                switch byte {
                case 0x30...0x39: nibble = UInt32(byte - 0x30)
                case 0x41...0x46: nibble = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: nibble = UInt32(byte - 0x61 + 10)
                default: throw fail(.badEscape)
                }
                result = result << 4 | nibble
                position += 1
            }
            return result
        }

        mutating func string() throws(JSONParseError) -> String {
            position += 1
            var out: [UInt8] = []
            while true {
                guard position < bytes.count else { throw fail(.unexpectedEnd) }
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    position += 1
                    // Validate UTF-8 rather than repair it: a record is signed over its bytes.
                    guard let text = String(validating: out, as: UTF8.self) else { throw fail(.badUTF8) }
                    return text
                case UInt8(ascii: "\\"):
                    position += 1
                    guard position < bytes.count else { throw fail(.unexpectedEnd) }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hexQuad()
                        if (0xD800..<0xDC00).contains(scalar) {
                            guard position + 2 <= bytes.count, bytes[position] == 0x5C, bytes[position + 1] == UInt8(ascii: "u")
                            else { throw fail(.badEscape) }
                            position += 2
                            let low = try hexQuad()
                            guard (0xDC00..<0xE000).contains(low) else { throw fail(.badEscape) }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw fail(.badEscape) }
                        out.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default: throw fail(.badEscape, at: position - 1)
                    }
                case 0x00..<0x20:
                    throw fail(.unexpectedByte)
                default:
                    out.append(byte)
                    position += 1
                }
            }
        }
    }
}
