/// One host-to-chip command, as the data area of a frame carries it
/// (firmware-protocols/uart-tts/SPEC.md section 4). Which commands a chip knows, and the
/// byte each is sent as, is `TTSChip.commandByte(for:)`; `TTSFrameEncoder` builds the frame.
public enum TTSCommand: Hashable, Sendable {
    /// `01` + parameter + text: speak `text`, given in `encoding`. `music` (SYN6288 only,
    /// 0 = none, 1 ... 15) is a background tune packed into the parameter's high five bits.
    case synthesize(text: [UInt8], encoding: TTSTextEncoding = .gb2312, music: UInt8 = 0)
    /// `02`: stop speaking and drop the text.
    case stop
    /// `03`: pause speaking.
    case pause
    /// `04`: resume after `pause`.
    case resume
    /// `21`: ask whether the chip is speaking (`4E`) or idle (`4F`).
    case queryStatus
    /// `88`: SYN6288 power-down, SYN6658 standby, XFS5152CE power saving.
    case powerDown
    /// `22`: SYN6658 only, standby (the same as `88`).
    case standby
    /// `FF`: SYN6658 and XFS5152CE, leave standby / power saving.
    case wake
    /// `31` + rate: SYN6288 only, change the baud rate to 9600, 19200 or 38400 until reset.
    case setBaud(bitsPerSecond: Int)
    /// `31` + segment + text: SYN6658 and XFS5152CE, store text in the 4 KB cache from
    /// 256-byte segment `segment` (0 ... 15) on; at most (16 − segment) × 256 bytes.
    case cacheText(segment: UInt8, text: [UInt8])
    /// `32` + (repeat << 4 | encoding): SYN6658 and XFS5152CE, speak the cache `repeat`
    /// times (1 ... 15), its text being in `encoding`.
    case playCache(repeat: UInt8, encoding: TTSTextEncoding = .gb2312)

    /// The name the decoders print (`"command"` member of a golden line).
    public var name: String {
        switch self {
        case .synthesize: "synthesize"
        case .stop: "stop"
        case .pause: "pause"
        case .resume: "resume"
        case .queryStatus: "query_status"
        case .powerDown: "power_down"
        case .standby: "standby"
        case .wake: "wake"
        case .setBaud: "set_baud"
        case .cacheText: "cache_text"
        case .playCache: "play_cache"
        }
    }
}

/// The text encoding named by a synthesis (or play-cache) parameter. Stallbox always
/// sends `gb2312`; the others are decoded so captures from other hosts can be read.
public enum TTSTextEncoding: UInt8, CaseIterable, Hashable, Sendable {
    case gb2312 = 0
    case gbk = 1
    case big5 = 2
    /// UTF-16: big-endian in the SYN6288 datasheet's example, little-endian on the
    /// SYN6658 and in the XFS5152CE guide's example.
    case unicode = 3
    /// SYN6658 only: UTF-16 big-endian.
    case unicodeBigEndian = 4

    public var name: String {
        switch self {
        case .gb2312: "gb2312"
        case .gbk: "gbk"
        case .big5: "big5"
        case .unicode: "unicode"
        case .unicodeBigEndian: "unicode_big_endian"
        }
    }
}

extension TTSChip {
    /// The command byte `command` is sent as on this chip, or nil when the chip does not
    /// have that command. `31` means set-baud on the SYN6288 but cache-text on the others.
    public func commandByte(for command: TTSCommand) -> UInt8? {
        switch command {
        case .synthesize: 0x01
        case .stop: 0x02
        case .pause: 0x03
        case .resume: 0x04
        case .queryStatus: 0x21
        case .powerDown: 0x88
        case .standby: self == .syn6658 ? 0x22 : nil
        case .wake: self == .syn6288 ? nil : 0xFF
        case .setBaud: self == .syn6288 ? 0x31 : nil
        case .cacheText: self == .syn6288 ? nil : 0x31
        case .playCache: self == .syn6288 ? nil : 0x32
        }
    }

    /// SYN6288 baud-rate parameter: 0 = 9600, 1 = 19200, 2 = 38400.
    static let syn6288BaudRates = [9600, 19200, 38400]
}
