/// Reads the PCM samples of a RIFF/WAVE file: 16-bit signed little-endian, mono, at the
/// rate the caller expects. Chunks other than `fmt ` and `data` are skipped, so files from
/// other tools (LIST chunks and the like) load too; anything else is refused with a reason.
public enum WAVFile {
    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        public var reason: String
        public var description: String { reason }
    }

    public static func samples(from bytes: [UInt8], expectedRate: Int) throws(Error) -> [Int16] {
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw Error(reason: "not a RIFF/WAVE file") }
        var position = 12
        var format: (code: Int, channels: Int, rate: Int, bits: Int)?
        while position + 8 <= bytes.count {
            let id = tag(position)
            let size = u32(position + 4)
            let body = position + 8
            guard body + size <= bytes.count || id == "data" else { throw Error(reason: "chunk \(id) runs past the end of the file") }
            switch id {
            case "fmt ":
                guard size >= 16 else { throw Error(reason: "fmt chunk too short") }
                format = (u16(body), u16(body + 2), u32(body + 4), u16(body + 14))
            case "data":
                guard let format else { throw Error(reason: "data chunk before fmt chunk") }
                // 0xFFFE is WAVE_FORMAT_EXTENSIBLE; its sub-format is PCM for what sox writes.
                guard format.code == 1 || format.code == 0xFFFE else { throw Error(reason: "format code \(format.code) is not PCM") }
                guard format.channels == 1 else { throw Error(reason: "\(format.channels) channels, expected mono") }
                guard format.bits == 16 else { throw Error(reason: "\(format.bits)-bit samples, expected 16-bit") }
                guard format.rate == expectedRate else { throw Error(reason: "\(format.rate) Hz, expected \(expectedRate) Hz") }
                // Writers that stream may leave the size unset (0 or 0xFFFFFFFF): take what is there.
                let available = bytes.count - body
                let length = size == 0 || size > available ? available : size
                var samples = [Int16](repeating: 0, count: length / 2)
                for index in 0..<samples.count {
                    samples[index] = Int16(bitPattern: UInt16(bytes[body + 2 * index]) | UInt16(bytes[body + 2 * index + 1]) << 8)
                }
                return samples
            default:
                break
            }
            position = body + size + (size & 1)
        }
        throw Error(reason: "no data chunk")
    }
}
