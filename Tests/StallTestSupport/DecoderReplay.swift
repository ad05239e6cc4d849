import StallCore
import StallProtocols

/// Replays a byte stream through a fresh decoder in different splits, like SwiftNIO's
/// ByteToMessageDecoderVerifier: whole, one byte at a time, and in seeded random chunks.
/// Every split must give the same outputs as the whole input.
public enum DecoderReplay {
    public enum Split: CustomStringConvertible, Sendable {
        case whole
        case byteByByte
        case randomChunks(seed: UInt64)

        public var description: String {
            switch self {
            case .whole: "whole"
            case .byteByByte: "byte by byte"
            case .randomChunks(let seed): "random chunks (seed \(seed))"
            }
        }
    }

    public static let standardSplits: [Split] = [.whole, .byteByByte] + (1...5).map { .randomChunks(seed: $0) }

    public static func decode<D: ScaleDecoder>(_ type: D.Type, _ bytes: [UInt8], split: Split) -> [ScaleDecoderOutput] {
        var decoder = D()
        var out: [ScaleDecoderOutput] = []
        switch split {
        case .whole:
            out += decoder.feed(bytes)
        case .byteByByte:
            for byte in bytes { out += decoder.feed([byte]) }
        case .randomChunks(let seed):
            var generator = SeededGenerator(seed: seed)
            var index = 0
            while index < bytes.count {
                let length = Int.random(in: 1...40, using: &generator)
                let end = min(bytes.count, index + length)
                out += decoder.feed(bytes[index..<end])
                index = end
            }
        }
        return out + decoder.finish()
    }

    /// The lines a golden file holds for these outputs: frames canonical, errors by offset.
    public static func comparableLines(_ outputs: [ScaleDecoderOutput]) -> [String] {
        outputs.map { output in
            switch output {
            case .frame(let frame, _): CanonicalJSON.string(frame.json)
            case .error(_, let offset): "error at \(offset)"
            }
        }
    }

    /// Golden lines read back into the same comparable form.
    public static func comparableGolden(_ text: String) throws -> [String] {
        try text.split(separator: "\n").filter { !$0.isEmpty }.map { line in
            let value = try JSONParser.parse(String(line))
            if let offset = value["offset"]?.intValue, value["error"] != nil { return "error at \(offset)" }
            return CanonicalJSON.string(value)
        }
    }
}

/// SplitMix64: a small deterministic generator so failures reproduce.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
