import Logging
import ServiceLifecycle
import StallCore
import Synchronization

/// The announcement queue: one phrase at a time, in arrival order, each payment id once.
///
/// Invariants:
/// - a payment id is announced at most once per process (`enqueue` refuses repeats; the
///   daemon also asks the ledger before enqueueing, which covers restarts);
/// - an announcement starts without waiting for the ledger (the seller must hear the
///   payment at once); its outcome is reported to `onOutcome`, which records it, from a
///   loop of its own so that a slow commit never delays the next announcement;
/// - a notification older than `maxAgeMs` when it reaches the front is skipped as stale;
/// - on graceful shutdown the phrase in hand finishes, the rest of the queue is dropped
///   (their payments are recorded; the announcement records of the dropped are not).
public final class Announcer: Service {
    public typealias OutcomeHandler = @Sendable (AnnouncementOutcome) async -> Void

    private let voicePack: VoicePack
    private let speaker: (any Speaker)?
    private let reading: AmountReading
    private let gapSamples: Int
    private let maxAgeMs: Int64
    private let nowMs: @Sendable () -> Int64
    private let onOutcome: OutcomeHandler
    private let liveness: Liveness
    private let logger: Logger
    private let requests: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation

    /// What the queue carries: payments, and technicians' speaker tests, which wait their
    /// turn like a payment so that nothing ever plays over an announcement.
    enum Job: Sendable {
        case payment(AnnouncementRequest)
        case speakerTest([any Speaker], CheckedContinuation<[SpeakerTestResult], Never>)
    }
    private let seen = Mutex<Set<String>>([])

    public init(
        voicePack: VoicePack, speaker: (any Speaker)?, reading: AmountReading = AmountReading(), gapMs: Int = 40,
        maxAgeMs: Int64 = 120_000, nowMs: @escaping @Sendable () -> Int64, liveness: Liveness, logger: Logger,
        onOutcome: @escaping OutcomeHandler
    ) {
        self.voicePack = voicePack
        self.speaker = speaker
        self.reading = reading
        self.gapSamples = voicePack.sampleRate * gapMs / 1000
        self.maxAgeMs = maxAgeMs
        self.nowMs = nowMs
        self.liveness = liveness
        self.logger = logger
        self.onOutcome = onOutcome
        (requests, continuation) = AsyncStream.makeStream(of: Job.self)
        (outcomes, outcomeContinuation) = AsyncStream.makeStream(of: AnnouncementOutcome.self)
    }

    /// Outcomes on their way to `onOutcome`: recording one (a ledger commit, 200 ms on a slow
    /// SD card) must never hold up the next announcement, so a second loop does it.
    private let outcomes: AsyncStream<AnnouncementOutcome>
    private let outcomeContinuation: AsyncStream<AnnouncementOutcome>.Continuation

    public var speakerName: String? { speaker?.name }
    public var speakerState: String? { speaker?.state }

    /// Queues a payment; false when this payment id was already queued in this process.
    @discardableResult
    public func enqueue(_ request: AnnouncementRequest) -> Bool {
        let isNew = seen.withLock { $0.insert(request.paymentID).inserted }
        if isNew { continuation.yield(.payment(request)) }
        return isNew
    }

    /// Plays the test phrase (收款一元) on each speaker in turn, after whatever is queued,
    /// and reports each outcome (`stallctl speaker-test`).
    public func testSpeakers(_ speakers: [any Speaker]) async -> [SpeakerTestResult] {
        await withCheckedContinuation { result in
            if case .terminated = continuation.yield(.speakerTest(speakers, result)) { result.resume(returning: []) }
        }
    }

    func runTest(_ speakers: [any Speaker]) async -> [SpeakerTestResult] {
        let tokens = (try? reading.phraseTokens(for: Fen(100), channel: .none)) ?? []
        let phrase: SpokenPhrase
        switch voicePack.render(tokens: tokens, gapSamples: gapSamples) {
        case .success(let samples): phrase = SpokenPhrase(tokens: tokens, samples: samples)
        case .failure(let missing): return speakers.map { SpeakerTestResult(speaker: $0.name, played: false, milliseconds: 0, error: "no clip for \(missing.token)") }
        }
        var results: [SpeakerTestResult] = []
        for speaker in speakers {
            let started = ContinuousClock.now
            do {
                _ = try await speaker.play(phrase, label: "speaker-test")
                results.append(SpeakerTestResult(speaker: speaker.name, played: true, milliseconds: Self.milliseconds(.now - started), error: nil))
            } catch {
                results.append(SpeakerTestResult(speaker: speaker.name, played: false, milliseconds: Self.milliseconds(.now - started), error: "\(error)"))
            }
        }
        return results
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask {
                // Drains every outcome, including those of the last phrases before shutdown.
                for await outcome in self.outcomes { await self.onOutcome(outcome) }
            }
            await announceUntilShutdown()
            outcomeContinuation.finish()
        }
        liveness.finished("announcer")
    }

    func announceUntilShutdown() async {
        // One token array and one sample buffer for every phrase: reading and rendering
        // allocate nothing once they have grown (AnnouncerAllocationTests counts).
        var phraseBuffers = PhraseBuffers(sizedFor: voicePack, gapSamples: gapSamples)
        liveness.idle("announcer")
        for await job in requests.cancelOnGracefulShutdown() {
            liveness.beat("announcer")
            let request: AnnouncementRequest
            switch job {
            case .payment(let payment):
                request = payment
            case .speakerTest(let speakers, let result):
                let results = await runTest(speakers)
                logger.info("speaker test", metadata: ["results": "\(results.map { "\($0.speaker): \($0.played ? "played" : $0.error ?? "failed")" })"])
                result.resume(returning: results)
                liveness.idle("announcer")
                continue
            }
            let outcome = await announce(request, buffers: &phraseBuffers)
            logger.info(
                "announcement",
                metadata: [
                    "payment_id": "\(request.paymentID)", "outcome": "\(outcome.kind.rawValue)",
                    "latency_ms": "\(outcome.latencyMs)", "text": "\(outcome.text)",
                ])
            outcomeContinuation.yield(outcome)
            liveness.idle("announcer")
        }
    }

    /// The announcer's reused storage for the phrase in hand.
    struct PhraseBuffers {
        /// No phrase has more tokens: prefix, 15 for 99,999,999, then 元 X角 零 X分.
        static let maxTokens = 24

        var tokens: [String]
        var samples: [Int16]

        /// Storage for the longest phrase this pack can say, reserved once at start so that
        /// even the first announcement allocates nothing.
        init(sizedFor pack: VoicePack, gapSamples: Int) {
            let longestClip = pack.clips.values.map(\.count).max() ?? 0
            tokens = []
            tokens.reserveCapacity(Self.maxTokens)
            samples = []
            samples.reserveCapacity(Self.maxTokens * (longestClip + gapSamples))
        }
    }

    /// Reads the amount and renders its clips into `buffers`, replacing what they held. This
    /// is the announcement's hot path before the speaker; with warm buffers it allocates
    /// nothing. Returns what went wrong, if anything.
    func prepare(_ request: AnnouncementRequest, into buffers: inout PhraseBuffers) -> String? {
        do {
            try reading.appendPhraseTokens(for: request.amount, channel: request.channel, to: &buffers.tokens)
        } catch {
            buffers.tokens.removeAll(keepingCapacity: true)
            return error.description
        }
        if let missing = voicePack.render(tokens: buffers.tokens, gapSamples: gapSamples, into: &buffers.samples) {
            return "no clip for \(missing.token)"
        }
        return nil
    }

    func announce(_ request: AnnouncementRequest, buffers: inout PhraseBuffers) async -> AnnouncementOutcome {
        var outcome = await attempt(request, buffers: &buffers)
        // The text is for the record and the log: joined after the phrase was said.
        outcome.text = buffers.tokens.joined()
        return outcome
    }

    private func attempt(_ request: AnnouncementRequest, buffers: inout PhraseBuffers) async -> AnnouncementOutcome {
        let problem = prepare(request, into: &buffers)
        var outcome = AnnouncementOutcome(request: request, kind: .failed, text: "", latencyMs: 0, speaker: speaker?.name)
        if let problem, buffers.tokens.isEmpty {
            outcome.error = problem
            return outcome
        }
        if nowMs() - request.paidAtMs > maxAgeMs {
            outcome.kind = .skippedStale
            return outcome
        }
        guard let speaker else {
            outcome.kind = .noSpeaker
            return outcome
        }
        if let problem {
            outcome.error = problem
            return outcome
        }
        do {
            // The phrase shares the buffers' storage; once `play` returns nobody else holds
            // it, so the next phrase reuses it in place.
            let played = try await speaker.play(SpokenPhrase(tokens: buffers.tokens, samples: buffers.samples), label: request.paymentID)
            outcome.kind = .played
            outcome.speaker = played.speaker
            outcome.latency = played.started - request.knownAt
            outcome.latencyMs = Self.milliseconds(outcome.latency)
        } catch {
            outcome.error = String(describing: error)
            logger.error("speaker failed", metadata: ["speaker": "\(speaker.name)", "error": "\(error)"])
        }
        return outcome
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        max(0, duration.wholeMilliseconds)
    }
}
