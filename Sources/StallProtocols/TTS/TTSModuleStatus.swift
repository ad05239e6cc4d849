/// What Stallbox says about a UART TTS module (status, diagnostics, records). Reported by
/// `TTSModuleMachine` each time it changes (firmware-protocols/uart-tts/SPEC.md 10).
public enum TTSModuleStatus: String, Hashable, Sendable {
    /// The module answers and is not speaking.
    case idle
    /// The module accepted one of our phrases and has not yet said it finished.
    case speaking
    /// A status query was answered `4E` while none of our phrases was in hand: the chip is
    /// speaking something else (e.g. a text sent before the daemon restarted).
    case busy
    /// The module answered `45` to every attempt of a frame. It is there but refused;
    /// the status stays until the next frame is accepted or the chip reports idle.
    case error
    /// The module did not answer within the reply window: unpowered, unplugged, wrong baud
    /// rate, or asleep.
    case absent
}
