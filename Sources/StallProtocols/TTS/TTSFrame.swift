/// One host-to-chip frame as the chip would accept it (firmware-protocols/uart-tts/SPEC.md
/// sections 3 and 4): what `TTSFrameDecoder` reports and `TTSChipEmulator` executes.
public struct TTSFrame: Hashable, Sendable {
    public var chip: TTSChip
    public var command: TTSCommand

    public init(chip: TTSChip, command: TTSCommand) {
        self.chip = chip
        self.command = command
    }
}
