import StallCore

/// A payment to be announced, stamped with the instant it became known to the box.
public struct AnnouncementRequest: Sendable {
    public var paymentID: String
    public var amount: Fen
    public var channel: PaymentChannel
    /// When the customer paid (upstream's clock), for the staleness check.
    public var paidAtMs: Int64
    public var knownAt: ContinuousClock.Instant

    public init(paymentID: String, amount: Fen, channel: PaymentChannel, paidAtMs: Int64, knownAt: ContinuousClock.Instant) {
        self.paymentID = paymentID
        self.amount = amount
        self.channel = channel
        self.paidAtMs = paidAtMs
        self.knownAt = knownAt
    }
}

/// What happened to an announcement; each becomes an `announcement` record.
public struct AnnouncementOutcome: Sendable {
    public enum Kind: String, Sendable {
        case played
        case noSpeaker = "no_speaker"
        case failed
        case skippedStale = "skipped_stale"
    }

    public var request: AnnouncementRequest
    public var kind: Kind
    public var text: String
    /// From the payment being known to the first sample handed to the speaker; 0 if not played.
    public var latencyMs: Int64
    /// The same, exact (for the benchmark's percentiles); zero if not played.
    public var latency: Duration = .zero
    public var speaker: String?
    public var error: String?

    /// The body of the `announcement` record (firmware-protocols/upstream/SPEC.md).
    public var recordBody: [String: JSONValue] {
        [
            "payment_id": .string(request.paymentID),
            "outcome": .string(kind.rawValue),
            "latency_ms": .int(latencyMs),
            "text": .string(text),
            "speaker": speaker.map(JSONValue.string) ?? .null,
        ]
    }
}

/// One speaker's answer to `stallctl speaker-test`.
public struct SpeakerTestResult: Sendable, Equatable {
    public var speaker: String
    public var played: Bool
    /// From handing the phrase over to its end (or the failure).
    public var milliseconds: Int64
    public var error: String?

    public init(speaker: String, played: Bool, milliseconds: Int64, error: String?) {
        self.speaker = speaker
        self.played = played
        self.milliseconds = milliseconds
        self.error = error
    }
}
