/// Why `TTSFrameEncoder` did not build a frame (firmware-protocols/uart-tts/SPEC.md 3, 4).
/// Nothing was sent; the caller decides what to say instead. Tests match on `code`.
public struct TTSFrameError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// More text than one frame carries (SYN6288: 200 bytes; SYN6658 / XFS5152CE:
        /// 4096; cache-text: (16 − segment) × 256). The chip would answer `45`.
        case textTooLong = "text_too_long"
        /// A synthesis or cache frame without text (Stallbox's rule, SPEC.md 12).
        case emptyText = "empty_text"
        /// The chip has no such command (set-baud on a SYN6658, wake on a SYN6288, ...).
        case unsupportedCommand = "unsupported_command"
        /// An encoding, music number, baud rate, segment or repeat count out of range.
        case parameterOutOfRange = "parameter_out_of_range"
    }

    public var code: Code
    public var chip: TTSChip
    /// `TTSCommand.name` of the command that was refused.
    public var command: String
    public var detail: String

    public init(_ code: Code, chip: TTSChip, command: TTSCommand, _ detail: String) {
        self.code = code
        self.chip = chip
        self.command = command.name
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(chip.rawValue) \(command): \(detail)" }
}
