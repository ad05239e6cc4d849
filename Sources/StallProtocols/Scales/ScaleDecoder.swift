import StallCore

/// What a decoder reports: a frame, or a run of bytes it could not accept. Offsets count
/// from the first byte ever fed to the decoder.
public enum ScaleDecoderOutput: Hashable, Sendable {
    case frame(ScaleFrame, offset: Int)
    case error(ScaleDecodeError, offset: Int)

    /// The line `stallctl decode` prints for this output.
    public var json: JSONValue {
        switch self {
        case .frame(let frame, _): frame.json
        case .error(let reason, let offset): ["error": .string(reason.rawValue), "offset": .int(Int64(offset))]
        }
    }
}

/// Why a run of bytes was rejected. Diagnostic only: error lines are not part of the
/// decode contract, frames are (reference/scale-protocols.md 2.2).
public enum ScaleDecodeError: String, Hashable, Sendable {
    /// Bytes that do not start a frame at all.
    case garbage
    /// A frame start whose fields hold bytes the layout does not allow.
    case badField = "bad_field"
    case badChecksum = "bad_checksum"
    case badTerminator = "bad_terminator"
    /// A well-formed frame in a unit that is not a mass we can convert exactly.
    case unsupportedUnit = "unsupported_unit"
    /// The input ended inside a frame.
    case truncated
}

/// A scale protocol's decoder: bytes in, frames out, no I/O, no clock.
///
/// Rules for every conformer (the "one protocol, one pure file" contract):
/// - `feed` accepts any split of the stream (one byte at a time, random chunks, all at
///   once) and produces the same outputs as for the whole input;
/// - its buffer is bounded by the protocol's longest frame, whatever arrives;
/// - after garbage it resynchronises by the rule stated at the top of its file;
/// - `finish` reports what is left when the input ends (a capture file, a closed port).
public protocol ScaleDecoder: Sendable {
    /// The protocol's name as used on the command line and in the `protocol` member.
    static var protocolName: String { get }
    init()
    mutating func feed(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput]
    mutating func finish() -> [ScaleDecoderOutput]
}

extension ScaleDecoder {
    /// Decodes a whole input at once, as `stallctl decode` does with a file.
    public static func decodeAll(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput] {
        var decoder = Self()
        return decoder.feed(bytes) + decoder.finish()
    }
}
