/// One canonical JSON line for the TTS decoders' output: members sorted by key, no spaces,
/// exactly what `json.dumps(obj, sort_keys=True, separators=(",", ":"))` prints in the
/// reference tools of firmware-protocols/uart-tts. Values are integers or ASCII strings
/// without quotes or backslashes (names and hex), so no escaping is ever needed; this keeps
/// the TTS files free of StallCore.
enum TTSJSONLine {
    enum Value {
        case string(String)
        case int(Int)
    }

    static func line(_ members: [(key: String, value: Value)]) -> String {
        let body = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { member in
            switch member.value {
            case .string(let text): "\"\(member.key)\":\"\(text)\""
            case .int(let number): "\"\(member.key)\":\(number)"
            }
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    /// Lowercase hex without separators, as Python's `bytes.hex()`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
