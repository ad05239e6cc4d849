/// The one-byte replies of every UART TTS chip, chip to host (firmware-protocols/uart-tts/
/// SPEC.md section 5). The same five bytes on the SYN6288, SYN6658 and XFS5152CE.
public enum TTSReply: UInt8, CaseIterable, Hashable, Sendable {
    /// `4A`: initialisation done, once after power-up or reset.
    case initialised = 0x4A
    /// `41`: a correctly formed command frame was received.
    case accepted = 0x41
    /// `45`: a frame was not understood (length, checksum, command, parameter, too long).
    case rejected = 0x45
    /// `4E`: answer to a status query while the chip is speaking.
    case busy = 0x4E
    /// `4F`: answer to a status query while idle, and sent unasked when a text has been spoken.
    case idle = 0x4F

    /// The name the decoders print (`"reply"` member of a golden line).
    public var name: String {
        switch self {
        case .initialised: "init"
        case .accepted: "accepted"
        case .rejected: "rejected"
        case .busy: "busy"
        case .idle: "idle"
        }
    }
}
