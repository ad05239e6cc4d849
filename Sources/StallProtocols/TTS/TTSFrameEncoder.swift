/// Builds host-to-chip frames (firmware-protocols/uart-tts/SPEC.md sections 3 and 4).
///
/// Layout, all chips: `FD`, the data-area length as two bytes high byte first, the data
/// area. The data area is the command byte, the parameter byte (synthesis, set-baud,
/// cache-text and play-cache only), the text (synthesis and cache-text only), and on the
/// SYN6288 one more byte: the XOR of every byte before it, from `FD` on. The length counts
/// every byte after the two length bytes, checksum included.
///
///     SYN6288  支付宝到账十二点五元  FD 00 17 01 00 D6 A7 … D4 AA BA   (26 bytes)
///     SYN6658  支付宝到账十二点五元  FD 00 16 01 00 D6 A7 … D4 AA      (25 bytes)
///
/// The encoder never sends what the chip would refuse: empty or over-long text, a command
/// the chip does not have, a parameter out of range. Each is a `TTSFrameError` with a code.
/// Text is bytes already in the chosen encoding (Stallbox: GB2312 from iconv, outside this
/// module); tags such as `[v10]` are part of the text.
public enum TTSFrameEncoder {
    /// The complete frame for `command` on `chip`.
    public static func encode(_ command: TTSCommand, for chip: TTSChip) throws(TTSFrameError) -> [UInt8] {
        guard let commandByte = chip.commandByte(for: command) else {
            throw TTSFrameError(.unsupportedCommand, chip: chip, command: command, "\(chip.rawValue) has no \(command.name) command")
        }
        var dataArea: [UInt8] = [commandByte]
        switch command {
        case .synthesize(let text, let encoding, let music):
            guard chip.encodings.contains(encoding) else {
                throw TTSFrameError(.parameterOutOfRange, chip: chip, command: command, "encoding \(encoding.name) not accepted")
            }
            guard music == 0 || (chip == .syn6288 && music <= 15) else {
                throw TTSFrameError(.parameterOutOfRange, chip: chip, command: command, "background music \(music): SYN6288 only, 0 ... 15")
            }
            try checkText(text, limit: chip.maxTextBytes, chip: chip, command: command)
            dataArea.append(music << 3 | encoding.rawValue)
            dataArea += text
        case .setBaud(let bitsPerSecond):
            guard let index = TTSChip.syn6288BaudRates.firstIndex(of: bitsPerSecond) else {
                throw TTSFrameError(.parameterOutOfRange, chip: chip, command: command, "baud \(bitsPerSecond): 9600, 19200 or 38400")
            }
            dataArea.append(UInt8(index))
        case .cacheText(let segment, let text):
            guard segment <= 15 else {
                throw TTSFrameError(.parameterOutOfRange, chip: chip, command: command, "cache segment \(segment): 0 ... 15")
            }
            try checkText(text, limit: (16 - Int(segment)) * 256, chip: chip, command: command)
            dataArea.append(segment)
            dataArea += text
        case .playCache(let repeatCount, let encoding):
            guard (1...15).contains(repeatCount), chip.encodings.contains(encoding) else {
                throw TTSFrameError(.parameterOutOfRange, chip: chip, command: command, "repeat \(repeatCount) (1 ... 15), encoding \(encoding.name)")
            }
            dataArea.append(repeatCount << 4 | encoding.rawValue)
        case .stop, .pause, .resume, .queryStatus, .powerDown, .standby, .wake:
            break
        }
        return frame(dataArea: dataArea, for: chip)
    }

    /// The synthesis frame for `text` (GB2312 unless told otherwise), the one Stallbox sends.
    public static func synthesize(_ text: [UInt8], encoding: TTSTextEncoding = .gb2312, for chip: TTSChip) throws(TTSFrameError) -> [UInt8] {
        try encode(.synthesize(text: text, encoding: encoding), for: chip)
    }

    /// XOR of `bytes`: the SYN6288 checksum of everything before the checksum byte.
    public static func xor(_ bytes: some Sequence<UInt8>) -> UInt8 {
        bytes.reduce(0, ^)
    }

    /// Header, length and data area, plus the checksum on the SYN6288.
    static func frame(dataArea: [UInt8], for chip: TTSChip) -> [UInt8] {
        let length = dataArea.count + (chip.hasChecksum ? 1 : 0)
        var frame: [UInt8] = [TTSChip.header, UInt8(length >> 8), UInt8(length & 0xFF)]
        frame.reserveCapacity(3 + length)
        frame += dataArea
        if chip.hasChecksum { frame.append(xor(frame)) }
        return frame
    }

    private static func checkText(_ text: [UInt8], limit: Int, chip: TTSChip, command: TTSCommand) throws(TTSFrameError) {
        guard !text.isEmpty else {
            throw TTSFrameError(.emptyText, chip: chip, command: command, "no text")
        }
        guard text.count <= limit else {
            throw TTSFrameError(.textTooLong, chip: chip, command: command, "\(text.count) bytes of text, at most \(limit)")
        }
    }
}
