/// Decodes the host-to-chip byte stream of a UART TTS chip into frames
/// (firmware-protocols/uart-tts/SPEC.md sections 4, 7 and 8). Used for the captures and
/// their goldens, for `stallctl`-style inspection of what the box sent, and by
/// `TTSChipEmulator` to judge frames the way the chip does.
///
/// Input: the bytes a host wrote to the chip, in reads of any size, possibly starting in the
/// middle of a frame and with noise between frames. GB2312 text may itself hold `FD`.
///
/// Resync rule (SPEC.md 7): hunt for `FD`; the candidate at an `FD` is judged byte by byte
/// in a fixed order (length, command, parameter, checksum) as soon as the byte each check
/// needs has arrived; the first failed check rejects it and hunting resumes at the byte
/// after its `FD`, so a frame inside a rejected one is still found.
///
/// Error lines (SPEC.md 8): a maximal run of bytes that starts no accepted frame is one error
/// line at the run's first byte, named by that byte: `garbage` (not `FD`) or the reason the
/// candidate at that `FD` failed. Reasons are part of this folder's contract.
///
/// Memory: only the undecided candidate is kept, never more than `chip.longestFrame` bytes
/// (206 for the SYN6288, 4101 for the others), whatever arrives.
public struct TTSFrameDecoder: Sendable {
    public let chip: TTSChip

    /// The undecided candidate: `window[0]` is an `FD` at stream offset `windowOffset`.
    /// When empty, `windowOffset` is the offset of the next byte.
    private var window: [UInt8] = []
    private var windowOffset = 0
    /// The candidate cannot be judged before the window holds this many bytes.
    private var needed = 0
    /// Start and reason of the run of rejected bytes being collected into one error line.
    private var pendingError: (offset: Int, reason: TTSFrameDecodeError)?

    public init(chip: TTSChip) {
        self.chip = chip
    }

    /// Bytes held back for the next `feed`; at most `chip.longestFrame - 1` between calls.
    public var bufferedByteCount: Int { window.count }

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [TTSFrameDecoderOutput] {
        var out: [TTSFrameDecoderOutput] = []
        for byte in bytes {
            if window.isEmpty {
                if byte == TTSChip.header {
                    window.append(byte)
                    needed = 3
                } else {
                    noteRejected(at: windowOffset, .garbage)
                    windowOffset += 1
                }
                continue
            }
            window.append(byte)
            if window.count >= needed { settle(into: &out, atEnd: false) }
        }
        return out
    }

    /// Reports what is left when the input ends: a frame cut short is `truncated`.
    public mutating func finish() -> [TTSFrameDecoderOutput] {
        var out: [TTSFrameDecoderOutput] = []
        settle(into: &out, atEnd: true)
        flushPendingError(into: &out)
        return out
    }

    /// Decodes a whole input at once, as the reference decoder does with a capture file.
    public static func decodeAll(_ bytes: some Collection<UInt8>, chip: TTSChip) -> [TTSFrameDecoderOutput] {
        var decoder = TTSFrameDecoder(chip: chip)
        return decoder.feed(bytes) + decoder.finish()
    }

    private mutating func noteRejected(at offset: Int, _ reason: TTSFrameDecodeError) {
        if pendingError == nil { pendingError = (offset, reason) }
    }

    private mutating func flushPendingError(into out: inout [TTSFrameDecoderOutput]) {
        if let pending = pendingError {
            out.append(.error(pending.reason, offset: pending.offset))
            pendingError = nil
        }
    }

    /// Judges every candidate the window allows: the first `FD`'s, and after a rejection the
    /// next `FD`'s inside the same bytes. Leaves an `FD` that needs more bytes, or nothing.
    private mutating func settle(into out: inout [TTSFrameDecoderOutput], atEnd: Bool) {
        var start = 0
        scan: while start < window.count {
            guard window[start] == TTSChip.header else {
                noteRejected(at: windowOffset + start, .garbage)
                start += 1
                continue
            }
            switch Self.examine(window[start...], chip: chip) {
            case .needMore(let count):
                if atEnd {
                    noteRejected(at: windowOffset + start, .truncated)
                    start += 1
                    continue
                }
                needed = count
                break scan
            case .reject(let reason):
                noteRejected(at: windowOffset + start, reason)
                start += 1
            case .accept(let frame, let length):
                flushPendingError(into: &out)
                out.append(.frame(frame, offset: windowOffset + start))
                start += length
            }
        }
        window.removeFirst(start)
        windowOffset += start
    }

    /// What the bytes of one candidate allow so far.
    enum Verdict: Equatable {
        /// Nothing wrong yet; the next check needs this many bytes from the `FD` on.
        case needMore(Int)
        case reject(TTSFrameDecodeError)
        /// A valid frame of `length` bytes, header and checksum included.
        case accept(TTSFrame, length: Int)
    }

    /// The checks of SPEC.md 7, in order, on a candidate that starts with `FD`. Each check
    /// runs only once the byte it needs is present, so the verdict never depends on how the
    /// stream was split.
    static func examine(_ candidate: ArraySlice<UInt8>, chip: TTSChip) -> Verdict {
        let base = candidate.startIndex
        // 1. Length field (bytes 1-2): within what any frame of this chip can have.
        guard candidate.count >= 3 else { return .needMore(3) }
        let length = Int(candidate[base + 1]) << 8 | Int(candidate[base + 2])
        guard chip.dataAreaLengths.contains(length) else { return .reject(.badLength) }
        // 2. Command byte (3): known to this chip, and the length fits its shape.
        guard candidate.count >= 4 else { return .needMore(4) }
        guard let kind = CommandKind(byte: candidate[base + 3], chip: chip) else { return .reject(.badCommand) }
        let checksumBytes = chip.hasChecksum ? 1 : 0
        switch kind.shape {
        case .bare: guard length == 1 + checksumBytes else { return .reject(.badLength) }
        case .parameter: guard length == 2 + checksumBytes else { return .reject(.badLength) }
        case .parameterAndText: guard length >= 3 + checksumBytes else { return .reject(.badLength) }
        }
        // 3. Parameter byte (4).
        var parameter: UInt8 = 0
        if kind.shape != .bare {
            guard candidate.count >= 5 else { return .needMore(5) }
            parameter = candidate[base + 4]
            let textLength = length - 2 - checksumBytes
            if let problem = Self.checkParameter(parameter, of: kind, textLength: textLength, chip: chip) {
                return .reject(problem)
            }
        }
        // 4. The whole frame; the SYN6288 checksum.
        let frameLength = 3 + length
        guard candidate.count >= frameLength else { return .needMore(frameLength) }
        if chip.hasChecksum {
            let checksum = candidate[base + frameLength - 1]
            guard TTSFrameEncoder.xor(candidate[base..<(base + frameLength - 1)]) == checksum else {
                return .reject(.badChecksum)
            }
        }
        let text = kind.shape == .parameterAndText ? Array(candidate[(base + 5)..<(base + frameLength - checksumBytes)]) : []
        return .accept(TTSFrame(chip: chip, command: kind.command(parameter: parameter, text: text, chip: chip)), length: frameLength)
    }

    /// Rule 3 of SPEC.md 7: the parameter's fields, and the cache's room for the text.
    static func checkParameter(_ parameter: UInt8, of kind: CommandKind, textLength: Int, chip: TTSChip) -> TTSFrameDecodeError? {
        switch kind {
        case .synthesize:
            if chip == .syn6288 {
                // Low 3 bits encoding, high 5 bits background music 0 ... 15.
                guard TTSTextEncoding(rawValue: parameter & 0x07).map(chip.encodings.contains) == true,
                    parameter >> 3 <= 15
                else { return .badParameter }
            } else {
                guard TTSTextEncoding(rawValue: parameter).map(chip.encodings.contains) == true else { return .badParameter }
            }
        case .setBaud:
            guard Int(parameter) < TTSChip.syn6288BaudRates.count else { return .badParameter }
        case .cacheText:
            guard parameter <= 15 else { return .badParameter }
            guard textLength <= (16 - Int(parameter)) * 256 else { return .badLength }
        case .playCache:
            guard (1...15).contains(parameter >> 4),
                TTSTextEncoding(rawValue: parameter & 0x0F).map(chip.encodings.contains) == true
            else { return .badParameter }
        case .stop, .pause, .resume, .queryStatus, .powerDown, .standby, .wake:
            break
        }
        return nil
    }

    /// A command byte as this chip reads it.
    enum CommandKind: Equatable {
        case synthesize, stop, pause, resume, queryStatus, powerDown, standby, wake, setBaud, cacheText, playCache

        enum Shape { case bare, parameter, parameterAndText }

        init?(byte: UInt8, chip: TTSChip) {
            let all: [CommandKind] = [.synthesize, .stop, .pause, .resume, .queryStatus, .powerDown, .standby, .wake, .setBaud, .cacheText, .playCache]
            guard let kind = all.first(where: { chip.commandByte(for: $0.sample) == byte }) else { return nil }
            self = kind
        }

        var shape: Shape {
            switch self {
            case .synthesize, .cacheText: .parameterAndText
            case .setBaud, .playCache: .parameter
            case .stop, .pause, .resume, .queryStatus, .powerDown, .standby, .wake: .bare
            }
        }

        /// A command of this kind, only to look its byte up.
        var sample: TTSCommand {
            switch self {
            case .synthesize: .synthesize(text: [])
            case .stop: .stop
            case .pause: .pause
            case .resume: .resume
            case .queryStatus: .queryStatus
            case .powerDown: .powerDown
            case .standby: .standby
            case .wake: .wake
            case .setBaud: .setBaud(bitsPerSecond: 0)
            case .cacheText: .cacheText(segment: 0, text: [])
            case .playCache: .playCache(repeat: 0)
            }
        }

        /// The decoded command; the parameter has passed `checkParameter`.
        func command(parameter: UInt8, text: [UInt8], chip: TTSChip) -> TTSCommand {
            switch self {
            case .synthesize:
                chip == .syn6288
                    ? .synthesize(text: text, encoding: TTSTextEncoding(rawValue: parameter & 0x07)!, music: parameter >> 3)
                    : .synthesize(text: text, encoding: TTSTextEncoding(rawValue: parameter)!, music: 0)
            case .stop: .stop
            case .pause: .pause
            case .resume: .resume
            case .queryStatus: .queryStatus
            case .powerDown: .powerDown
            case .standby: .standby
            case .wake: .wake
            case .setBaud: .setBaud(bitsPerSecond: TTSChip.syn6288BaudRates[Int(parameter)])
            case .cacheText: .cacheText(segment: parameter, text: text)
            case .playCache: .playCache(repeat: parameter >> 4, encoding: TTSTextEncoding(rawValue: parameter & 0x0F)!)
            }
        }
    }
}

/// Why a run of host-to-chip bytes was rejected (SPEC.md 8). A real chip answers `45` to a
/// frame rejected for any reason but `garbage` (which it ignores) and `truncated` (which it
/// answers `45` to once its inter-byte timeout passes).
public enum TTSFrameDecodeError: String, Hashable, Sendable {
    /// Bytes that do not start a frame: anything but `FD` while hunting.
    case garbage
    /// A length field no frame of this chip can have, or one that does not fit the command
    /// (a stop with a parameter, a synthesis without text, cache text beyond the cache).
    case badLength = "bad_length"
    /// A command byte this chip does not have.
    case badCommand = "bad_command"
    /// An encoding, music number, baud index, cache segment or repeat count out of range.
    case badParameter = "bad_parameter"
    /// SYN6288: the last byte is not the XOR of the bytes before it.
    case badChecksum = "bad_checksum"
    /// The input ended inside a frame.
    case truncated
}

/// What `TTSFrameDecoder` reports. Offsets count from the first byte ever fed.
public enum TTSFrameDecoderOutput: Hashable, Sendable {
    case frame(TTSFrame, offset: Int)
    case error(TTSFrameDecodeError, offset: Int)

    /// The golden-file line for this output (SPEC.md 9): canonical JSON, keys sorted.
    public var jsonLine: String {
        switch self {
        case .error(let reason, let offset):
            return TTSJSONLine.line([("error", .string(reason.rawValue)), ("offset", .int(offset))])
        case .frame(let frame, let offset):
            var members: [(key: String, value: TTSJSONLine.Value)] = [
                ("chip", .string(frame.chip.rawValue)), ("command", .string(frame.command.name)), ("offset", .int(offset)),
            ]
            switch frame.command {
            case .synthesize(let text, let encoding, let music):
                members += [("encoding", .string(encoding.name)), ("text_hex", .string(TTSJSONLine.hex(text)))]
                if frame.chip == .syn6288 { members.append(("music", .int(Int(music)))) }
            case .setBaud(let bitsPerSecond):
                members.append(("baud", .int(bitsPerSecond)))
            case .cacheText(let segment, let text):
                members += [("segment", .int(Int(segment))), ("text_hex", .string(TTSJSONLine.hex(text)))]
            case .playCache(let repeatCount, let encoding):
                members += [("repeat", .int(Int(repeatCount))), ("encoding", .string(encoding.name))]
            case .stop, .pause, .resume, .queryStatus, .powerDown, .standby, .wake:
                break
            }
            return TTSJSONLine.line(members)
        }
    }
}
