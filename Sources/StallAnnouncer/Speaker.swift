/// A phrase as every kind of speaker needs it: the words (a TTS module speaks their text)
/// and the voice-pack rendering (a PCM plays it).
public struct SpokenPhrase: Sendable {
    /// The voice-pack tokens in order; the announcer hands over its reused array, so the
    /// phrase costs no allocation until a speaker asks for `text`.
    public var tokens: [String]
    /// 16-bit mono samples at the voice pack's rate.
    public var samples: [Int16]

    public init(tokens: [String], samples: [Int16]) {
        self.tokens = tokens
        self.samples = samples
    }

    public init(text: String, samples: [Int16]) {
        self.init(tokens: [text], samples: samples)
    }

    /// E.g. 支付宝到账十二点五元.
    public var text: String { tokens.joined() }
}

/// Which speaker made a phrase audible, and when it started: the instant the first sample
/// (or the TTS frame) was handed to the device, which is where an announcement's latency ends.
public struct Played: Sendable {
    public var started: ContinuousClock.Instant
    public var speaker: String

    public init(started: ContinuousClock.Instant, speaker: String) {
        self.started = started
        self.speaker = speaker
    }
}

/// Something that makes a phrase audible. `play` returns when the phrase was said.
public protocol Speaker: Sendable {
    /// A short name for records and `status` (`alsa:plughw:1,0`, `tts:syn6288:/dev/ttyUSB1`).
    var name: String { get }
    /// For `status`: `ok`, `absent`, `busy`, `error`, … as the speaker knows it.
    var state: String { get }
    func play(_ phrase: SpokenPhrase, label: String) async throws -> Played
}

/// Several speakers in order of preference: a phrase goes to the first; if it fails, to the
/// next (issue 5: with two speakers configured, one failing falls back to the other).
public struct FallbackSpeaker: Speaker {
    public let speakers: [any Speaker]

    public init(_ speakers: [any Speaker]) {
        precondition(!speakers.isEmpty, "a fallback needs at least one speaker")
        self.speakers = speakers
    }

    public var name: String { speakers.map(\.name).joined(separator: "+") }
    public var state: String { speakers.map { "\($0.name)=\($0.state)" }.joined(separator: ",") }

    public struct AllFailed: Error, CustomStringConvertible {
        public var failures: [(speaker: String, error: any Error)]
        public var description: String {
            failures.map { "\($0.speaker): \($0.error)" }.joined(separator: "; ")
        }
    }

    public func play(_ phrase: SpokenPhrase, label: String) async throws -> Played {
        var failures: [(speaker: String, error: any Error)] = []
        for speaker in speakers {
            do {
                return try await speaker.play(phrase, label: label)
            } catch {
                failures.append((speaker.name, error))
            }
        }
        throw AllFailed(failures: failures)
    }
}
