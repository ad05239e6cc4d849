/// Splits the chip-to-host byte stream into replies (firmware-protocols/uart-tts/SPEC.md
/// sections 5 and 8).
///
/// Input: the bytes the host read from the chip, in reads of any size. Every byte is one
/// reply or noise; there is nothing to resynchronise.
///
/// Error lines: a maximal run of bytes that are not replies (a wrong-baud burst, line noise)
/// is one `garbage` line at the run's first byte with the run's length. A noise byte that
/// happens to equal a reply byte cannot be told apart and is decoded as that reply.
///
/// Memory: two integers, whatever arrives.
public struct TTSReplyDecoder: Sendable {
    private var offset = 0
    private var garbageRun: (offset: Int, length: Int)?

    public init() {}

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [TTSReplyDecoderOutput] {
        var out: [TTSReplyDecoderOutput] = []
        for byte in bytes {
            if let reply = TTSReply(rawValue: byte) {
                flushGarbage(into: &out)
                out.append(.reply(reply, offset: offset))
            } else if let run = garbageRun {
                garbageRun = (run.offset, run.length + 1)
            } else {
                garbageRun = (offset, 1)
            }
            offset += 1
        }
        return out
    }

    public mutating func finish() -> [TTSReplyDecoderOutput] {
        var out: [TTSReplyDecoderOutput] = []
        flushGarbage(into: &out)
        return out
    }

    public static func decodeAll(_ bytes: some Collection<UInt8>) -> [TTSReplyDecoderOutput] {
        var decoder = TTSReplyDecoder()
        return decoder.feed(bytes) + decoder.finish()
    }

    private mutating func flushGarbage(into out: inout [TTSReplyDecoderOutput]) {
        if let run = garbageRun {
            out.append(.garbage(offset: run.offset, length: run.length))
            garbageRun = nil
        }
    }
}

/// What `TTSReplyDecoder` reports. Offsets count from the first byte ever fed.
public enum TTSReplyDecoderOutput: Hashable, Sendable {
    case reply(TTSReply, offset: Int)
    /// `length` consecutive bytes that are not replies, from `offset` on.
    case garbage(offset: Int, length: Int)

    /// The golden-file line for this output (SPEC.md 9).
    public var jsonLine: String {
        switch self {
        case .reply(let reply, let offset):
            TTSJSONLine.line([("offset", .int(offset)), ("reply", .string(reply.name))])
        case .garbage(let offset, let length):
            TTSJSONLine.line([("error", .string("garbage")), ("length", .int(length)), ("offset", .int(offset))])
        }
    }
}
