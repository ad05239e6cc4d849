/// How one phrase handed to `TTSModuleMachine.speak` ended (firmware-protocols/uart-tts/
/// SPEC.md 10).
public enum TTSPhraseOutcome: Hashable, Sendable {
    /// Accepted (`41`) and reported finished (`4F`, or a status query answered idle).
    case spoken
    /// Answered `45` to every attempt.
    case rejected
    /// The module did not answer (the phrase's own frame, or the module went absent while
    /// the phrase waited in the queue).
    case noReply
    /// Cut short: `stop`, a module reset (`4A`), or speech that overran its allowance and
    /// was stopped.
    case interrupted
    /// Never sent: the text cannot be framed (empty, too long). Carries the encoder's error.
    case refused(TTSFrameError)
}
