import Glibc

/// Text to GB2312 bytes for the UART TTS modules, through glibc's iconv (the chips read
/// GB2312 by default; firmware-protocols/uart-tts/SPEC.md).
public enum GB2312 {
    public struct Unencodable: Error, CustomStringConvertible, Equatable {
        public var text: String
        public var errno: Int32
        public var description: String {
            "'\(text)' cannot be written in GB2312 (iconv: \(String(cString: strerror(errno))))"
        }
    }

    /// The GB2312 bytes of `text`; throws for a character GB2312 does not have (the caller
    /// chose the text, so this is a programming or configuration error, never a guess).
    public static func encode(_ text: String) throws(Unencodable) -> [UInt8] {
        let converter = iconv_open("GB2312", "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { throw Unencodable(text: text, errno: errno) }
        defer { iconv_close(converter) }
        var input = Array(text.utf8)
        // GB2312 never needs more bytes than UTF-8 for the same text (2 for 3, 1 for 1).
        var output = [UInt8](repeating: 0, count: input.count + 4)
        let inputCount = input.count
        let outputCount = output.count
        let (result, code, written): (Int, Int32, Int) = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inputCount
                var outLeft = outputCount
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return (result, errno, outputCount - outLeft)
            }
        }
        if result == -1 { throw Unencodable(text: text, errno: code) }
        return Array(output.prefix(written))
    }
}
