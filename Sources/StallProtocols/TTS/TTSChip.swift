/// The UART text-to-speech chips Stallbox can drive, and what differs between them
/// (firmware-protocols/uart-tts/SPEC.md, "Differences at a glance").
///
/// Two frame families share one header (`FD`, data-area length, big-endian) and one set of
/// one-byte replies:
/// - SYN6288: the data area ends with an XOR checksum; text at most 200 bytes;
/// - SYN6658 and XFS5152CE: no checksum; text at most 4096 bytes.
///
/// Everything here is a constant taken from the SPEC; nothing does I/O.
public enum TTSChip: String, CaseIterable, Hashable, Sendable {
    /// 北京宇音天下 SYN6288 (datasheet V1.7): XOR checksum, 200-byte text.
    case syn6288
    /// 北京宇音天下 SYN6658 (user manual V1.41): no checksum, 4 KB text.
    case syn6658
    /// 科大讯飞 XFS5152CE (user development guide V1.2): the SYN6658 framing.
    case xfs5152ce

    /// The frame header, first byte of every host-to-chip frame.
    public static let header: UInt8 = 0xFD

    /// True when the last byte of the data area is the XOR of every byte before it.
    public var hasChecksum: Bool { self == .syn6288 }

    /// The most text bytes one synthesis frame may carry; more is answered with `45`.
    public var maxTextBytes: Int { self == .syn6288 ? 200 : 4096 }

    /// The values the data-area length field may take for any frame this chip accepts:
    /// from a bare command (plus checksum) up to command, parameter, the longest text
    /// (plus checksum). SYN6288: 2 ... 203; SYN6658 / XFS5152CE: 1 ... 4098.
    public var dataAreaLengths: ClosedRange<Int> {
        hasChecksum ? 2...(maxTextBytes + 3) : 1...(maxTextBytes + 2)
    }

    /// Header, two length bytes and the longest data area: 206 (SYN6288) or 4101 bytes.
    /// A frame decoder never holds more than this.
    public var longestFrame: Int { 3 + dataAreaLengths.upperBound }

    /// Text encodings the synthesis command accepts (parameter byte, low bits).
    public var encodings: [TTSTextEncoding] {
        self == .syn6658 ? [.gb2312, .gbk, .big5, .unicode, .unicodeBigEndian] : [.gb2312, .gbk, .big5, .unicode]
    }

    /// Longest silence allowed between two bytes of one frame; the chip drops (and answers
    /// `45` to) a frame that stalls longer. SYN6288 8 ms, SYN6658 15 ms; the XFS5152CE
    /// guide gives no figure and is assumed to be like the SYN6658 (SPEC.md 12).
    public var interByteTimeout: Duration { self == .syn6288 ? .milliseconds(8) : .milliseconds(15) }

    /// Whether the chip answers a status query with `41` before `4E` / `4F`. The manuals
    /// are silent; libdriver's SYN6288 driver reads `41 4F` / `41 4E`, its SYN6658 driver a
    /// bare `4F` / `4E` (SPEC.md 12). The XFS5152CE is assumed to be like the SYN6658.
    /// `TTSModuleMachine` accepts both forms from every chip; the emulator follows this.
    public var acknowledgesStatusQuery: Bool { self == .syn6288 }

    /// Time from power-up or reset to the `4A` reply. The XFS5152CE guide gives 240 ms; the
    /// other manuals give none, so the same figure is used for them (emulator default).
    public var initialisationTime: Duration { .milliseconds(240) }
}
