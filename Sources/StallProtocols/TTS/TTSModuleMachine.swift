/// The host's side of a UART TTS module, as a value: events in, actions out, no I/O and no
/// clock of its own (firmware-protocols/uart-tts/SPEC.md section 10, normative).
///
/// The I/O layer (a TTS speaker in StallAnnouncer) owns the serial port and a clock. It
/// calls `start` when the port is opened or the module was reset, `speak` and `stop` for
/// the announcer, `received` with every byte read, and `timePassed` at `nextDeadline`;
/// it performs every returned action in order with one `run(action)` switch.
///
/// Rules (SPEC.md 10):
/// - one frame in flight at a time; a phrase waits in a FIFO while another is in hand,
///   because a synthesis frame would interrupt the text being spoken;
/// - every frame must be answered within `replyTimeout` plus its transmission time at
///   `baud`; no answer makes the module `absent`, fails the phrase in hand and every queued
///   phrase with `noReply`, and from then on a status query probes it every
///   `absentProbeInterval` (a phrase handed over meanwhile is still tried);
/// - `45` is answered by sending the same frame again, `maxAttempts` sends in all; after
///   the last the phrase is `rejected` and the status `error`;
/// - `4A` at any time is a reset: the phrase in hand is `interrupted`, the setup text
///   (volume and speed tags) is sent again before anything else;
/// - after `start`, the machine waits `initTimeout` for `4A`, then probes with a status
///   query (the module may have been powered long before the port was opened);
/// - a status query is answered `4E` / `4F`, with or without a `41` first (SPEC.md 12);
/// - a phrase whose `4F` does not come within its allowance (`speakingBase` +
///   `speakingPerTextByte` × text bytes) is checked with a status query: `4E` waits
///   `busyPollInterval` more, `4F` ends it as spoken; past `overrunLimit` more it is stopped;
/// - `4E` to a probe when setup or a phrase is waiting: send it at once (a new synthesis
///   frame interrupts whatever the chip is saying); otherwise report `busy` and poll;
/// - an idle module is probed every `idleProbeInterval`, so an unplugged module shows as
///   absent before the next payment needs it.
public struct TTSModuleMachine: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var chip: TTSChip
        /// The line's rate, to add each frame's transmission time to the reply window.
        public var baud: Int
        /// Tags sent in a frame of their own after every `4A` and after the module is first
        /// found, e.g. `[v10]` (SYN6288) or `[v8]` (SYN6658); empty for none.
        public var setupText: [UInt8]
        public var initTimeout: Duration
        public var replyTimeout: Duration
        public var maxAttempts: Int
        public var speakingBase: Duration
        public var speakingPerTextByte: Duration
        public var busyPollInterval: Duration
        public var overrunLimit: Duration
        public var absentProbeInterval: Duration
        public var idleProbeInterval: Duration

        public init(
            chip: TTSChip, baud: Int = 9600, setupText: [UInt8] = [], initTimeout: Duration = .seconds(1),
            replyTimeout: Duration = .milliseconds(500), maxAttempts: Int = 2, speakingBase: Duration = .seconds(2),
            speakingPerTextByte: Duration = .milliseconds(150), busyPollInterval: Duration = .milliseconds(500),
            overrunLimit: Duration = .seconds(10), absentProbeInterval: Duration = .seconds(5),
            idleProbeInterval: Duration = .seconds(60)
        ) {
            precondition(baud > 0 && maxAttempts >= 1, "baud and maxAttempts must be positive")
            precondition(
                setupText.isEmpty || (try? TTSFrameEncoder.synthesize(setupText, for: chip)) != nil,
                "setup text does not fit one \(chip.rawValue) frame")
            self.chip = chip
            self.baud = baud
            self.setupText = setupText
            self.initTimeout = initTimeout
            self.replyTimeout = replyTimeout
            self.maxAttempts = maxAttempts
            self.speakingBase = speakingBase
            self.speakingPerTextByte = speakingPerTextByte
            self.busyPollInterval = busyPollInterval
            self.overrunLimit = overrunLimit
            self.absentProbeInterval = absentProbeInterval
            self.idleProbeInterval = idleProbeInterval
        }
    }

    public enum Action: Hashable, Sendable {
        /// Write these bytes to the module, whole, in one `write`.
        case send([UInt8])
        /// The module's status changed (reported only on a change).
        case report(TTSModuleStatus)
        /// The phrase handed to `speak` with this identifier ended.
        case finished(phrase: Int, TTSPhraseOutcome)
        /// A byte the current state has no use for (noise, a late reply); for the log only.
        case unexpected(UInt8)
    }

    public let configuration: Configuration
    /// The last status reported; nil until the module was first heard from or missed.
    public private(set) var status: TTSModuleStatus?

    private var state: State = .stopped
    /// Phrases waiting for the module, oldest first.
    private var queue: [Phrase] = []
    /// The setup text must be sent before the next phrase (after `start`, `4A`, absence).
    private var needsSetup = true

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// When `timePassed` must be called next; nil when no timer runs.
    public var nextDeadline: ContinuousClock.Instant? {
        switch state {
        case .stopped: nil
        case .starting(let deadline): deadline
        case .querying(let query): query.deadline
        case .awaitingAcceptance(let exchange): exchange.deadline
        case .speaking(let speech): speech.checkAt
        case .idle(let nextProbe), .busy(let nextProbe), .absent(let nextProbe): nextProbe
        }
    }

    /// Phrases handed over and not yet finished, the one in hand included.
    public var pendingPhrases: Int {
        queue.count + (inHandPhrase == nil ? 0 : 1)
    }

    // MARK: - State

    struct Phrase: Hashable, Sendable {
        var id: Int
        var frame: [UInt8]
        var textBytes: Int
    }

    /// What a frame in flight is for.
    enum Job: Hashable, Sendable {
        case setup(frame: [UInt8], textBytes: Int)
        case phrase(Phrase)
        case stop(frame: [UInt8])

        var frame: [UInt8] {
            switch self {
            case .setup(let frame, _), .stop(let frame): frame
            case .phrase(let phrase): phrase.frame
            }
        }

        var textBytes: Int {
            switch self {
            case .setup(_, let count): count
            case .phrase(let phrase): phrase.textBytes
            case .stop: 0
            }
        }
    }

    /// A frame sent and not yet answered `41` / `45`.
    struct Exchange: Hashable, Sendable {
        var job: Job
        var attempt: Int
        var deadline: ContinuousClock.Instant
    }

    /// A text (setup or phrase) accepted and not yet reported finished.
    struct Speech: Hashable, Sendable {
        var job: Job
        /// Past this without `4F`, ask the chip.
        var checkAt: ContinuousClock.Instant
        /// Past this with the chip still busy, stop it.
        var giveUpAt: ContinuousClock.Instant
    }

    /// A status query sent and not yet answered `4E` / `4F`.
    struct Query: Hashable, Sendable {
        enum Purpose: Hashable, Sendable {
            /// Is the module there, and is it speaking?
            case probe
            /// Our text's `4F` is late: is it still speaking?
            case speechCheck(Speech)
        }
        var purpose: Purpose
        var attempt: Int
        var deadline: ContinuousClock.Instant
        /// The `41` some chips send before the status byte has been seen.
        var acknowledged: Bool
    }

    enum State: Hashable, Sendable {
        /// Before the first `start`: bytes are unexpected, no timer runs.
        case stopped
        /// Waiting for `4A` until the deadline, then probing.
        case starting(deadline: ContinuousClock.Instant)
        case querying(Query)
        case awaitingAcceptance(Exchange)
        case speaking(Speech)
        /// Nothing in hand; probe at the instant given.
        case idle(nextProbe: ContinuousClock.Instant)
        /// The chip speaks something that is not ours; poll at the instant given.
        case busy(nextPoll: ContinuousClock.Instant)
        /// The module did not answer; probe at the instant given.
        case absent(nextProbe: ContinuousClock.Instant)
    }

    // MARK: - Events

    /// The port was opened, or the module was powered or reset (RST pulse, replug): wait
    /// for `4A`. A phrase in hand is `interrupted`; queued phrases stay queued.
    public mutating func start(now: ContinuousClock.Instant) -> [Action] {
        let actions = finishInHand(.interrupted)
        needsSetup = true
        state = .starting(deadline: now + configuration.initTimeout)
        return actions
    }

    /// Say `text` (bytes already in GB2312, tags included). `phrase` is the caller's
    /// identifier, echoed in `.finished`. Sent at once when nothing is in hand (also when
    /// the module is absent or busy with a text not ours), queued otherwise.
    public mutating func speak(_ text: [UInt8], phrase: Int, now: ContinuousClock.Instant) -> [Action] {
        let frame: [UInt8]
        do {
            frame = try TTSFrameEncoder.synthesize(text, for: configuration.chip)
        } catch {
            return [.finished(phrase: phrase, .refused(error))]
        }
        queue.append(Phrase(id: phrase, frame: frame, textBytes: text.count))
        switch state {
        case .idle, .busy, .absent: return proceed(now: now, reportIdle: false)
        case .stopped, .starting, .querying, .awaitingAcceptance, .speaking: return []
        }
    }

    /// Silence now: every queued phrase and the one in hand end `interrupted`, and a stop
    /// frame is sent if the chip may be speaking.
    public mutating func stop(now: ContinuousClock.Instant) -> [Action] {
        var actions = queue.map { Action.finished(phrase: $0.id, .interrupted) }
        queue = []
        switch state {
        case .awaitingAcceptance(let exchange):
            if case .stop = exchange.job { return actions }
        case .speaking, .busy:
            break
        case .querying(let query):
            guard case .speechCheck = query.purpose else { return actions }
        case .stopped, .starting, .idle, .absent:
            return actions
        }
        actions += finishInHand(.interrupted)
        let frame = Self.fixedFrame(.stop, for: configuration.chip)
        return actions + send(.stop(frame: frame), attempt: 1, now: now)
    }

    /// Bytes read from the module, in order.
    public mutating func received(_ bytes: some Sequence<UInt8>, now: ContinuousClock.Instant) -> [Action] {
        var actions: [Action] = []
        for byte in bytes { actions += handle(byte, now: now) }
        return actions
    }

    /// The clock reached (or passed) `nextDeadline`; earlier calls do nothing.
    public mutating func timePassed(now: ContinuousClock.Instant) -> [Action] {
        switch state {
        case .stopped:
            return []
        case .starting(let deadline):
            return now >= deadline ? sendQuery(.probe, attempt: 1, now: now) : []
        case .querying(let query):
            return now >= query.deadline ? noReply(now: now) : []
        case .awaitingAcceptance(let exchange):
            return now >= exchange.deadline ? noReply(now: now) : []
        case .speaking(let speech):
            return now >= speech.checkAt ? sendQuery(.speechCheck(speech), attempt: 1, now: now) : []
        case .idle(let next), .busy(let next), .absent(let next):
            return now >= next ? sendQuery(.probe, attempt: 1, now: now) : []
        }
    }

    // MARK: - Replies

    private mutating func handle(_ byte: UInt8, now: ContinuousClock.Instant) -> [Action] {
        guard let reply = TTSReply(rawValue: byte) else { return [.unexpected(byte)] }
        if reply == .initialised {
            // A reset at any time: whatever was in hand is lost inside the chip.
            guard state != .stopped else { return [.unexpected(byte)] }
            let actions = finishInHand(.interrupted)
            needsSetup = true
            return actions + proceed(now: now, reportIdle: true)
        }
        switch state {
        case .stopped:
            return [.unexpected(byte)]

        case .starting:
            // The module was already running: a text it was speaking has just ended (4F), or
            // something answered a query we did not send. Only 4F and 4E tell us anything.
            switch reply {
            case .idle: return proceed(now: now, reportIdle: true)
            case .busy: return chipBusy(now: now)
            case .accepted, .rejected, .initialised: return [.unexpected(byte)]
            }

        case .querying(var query):
            switch reply {
            case .accepted:
                // SYN6288 (as libdriver reads it) sends 41 before the status; once only.
                guard !query.acknowledged else { return [.unexpected(byte)] }
                query.acknowledged = true
                state = .querying(query)
                return []
            case .rejected:
                if query.attempt < configuration.maxAttempts {
                    return sendQuery(query.purpose, attempt: query.attempt + 1, now: now)
                }
                var actions = report(.error)
                if case .speechCheck(let speech) = query.purpose { actions += finish(speech.job, .interrupted) }
                return actions + proceed(now: now, reportIdle: false)
            case .busy:
                switch query.purpose {
                case .probe: return chipBusy(now: now)
                case .speechCheck(let speech): return stillSpeaking(speech, now: now)
                }
            case .idle:
                switch query.purpose {
                case .probe: return proceed(now: now, reportIdle: true)
                case .speechCheck(let speech):
                    // The 4F that ends the text was lost, or crossed our query.
                    return finish(speech.job, .spoken) + proceed(now: now, reportIdle: true)
                }
            case .initialised:
                return [.unexpected(byte)]  // handled above
            }

        case .awaitingAcceptance(let exchange):
            switch reply {
            case .accepted:
                switch exchange.job {
                case .setup, .phrase:
                    let allowance = configuration.speakingBase + configuration.speakingPerTextByte * exchange.job.textBytes
                    state = .speaking(Speech(job: exchange.job, checkAt: now + allowance, giveUpAt: now + allowance + configuration.overrunLimit))
                    if case .phrase = exchange.job { return report(.speaking) }
                    return []
                case .stop:
                    return proceed(now: now, reportIdle: true)
                }
            case .rejected:
                if exchange.attempt < configuration.maxAttempts {
                    return send(exchange.job, attempt: exchange.attempt + 1, now: now)
                }
                return report(.error) + finish(exchange.job, .rejected) + proceed(now: now, reportIdle: false)
            case .busy, .idle, .initialised:
                // A 4F of the text our frame interrupted can arrive before our 41.
                return [.unexpected(byte)]
            }

        case .speaking(let speech):
            guard reply == .idle else { return [.unexpected(byte)] }
            return finish(speech.job, .spoken) + proceed(now: now, reportIdle: true)

        case .idle:
            // A late 4F after a stop, or after a text the chip ended by itself: harmless.
            return reply == .idle ? [] : [.unexpected(byte)]

        case .busy:
            return reply == .idle ? proceed(now: now, reportIdle: true) : [.unexpected(byte)]

        case .absent:
            switch reply {
            case .idle: return proceed(now: now, reportIdle: true)
            case .busy: return chipBusy(now: now)
            case .accepted, .rejected, .initialised: return [.unexpected(byte)]
            }
        }
    }

    // MARK: - Steps

    /// Nothing in hand any more: send the setup text if due, else the oldest phrase, else
    /// go idle (reporting it if asked; not after an error, whose status stands).
    private mutating func proceed(now: ContinuousClock.Instant, reportIdle: Bool) -> [Action] {
        if needsSetup {
            needsSetup = false
            let text = configuration.setupText
            if !text.isEmpty, let frame = try? TTSFrameEncoder.synthesize(text, for: configuration.chip) {
                return send(.setup(frame: frame, textBytes: text.count), attempt: 1, now: now)
            }
        }
        if !queue.isEmpty {
            return send(.phrase(queue.removeFirst()), attempt: 1, now: now)
        }
        state = .idle(nextProbe: now + configuration.idleProbeInterval)
        return reportIdle ? report(.idle) : []
    }

    /// A probe found the chip speaking a text that is not ours.
    private mutating func chipBusy(now: ContinuousClock.Instant) -> [Action] {
        if (needsSetup && !configuration.setupText.isEmpty) || !queue.isEmpty {
            // Our frame interrupts whatever the chip is saying (SPEC.md 4.3).
            return proceed(now: now, reportIdle: false)
        }
        state = .busy(nextPoll: now + configuration.busyPollInterval)
        return report(.busy)
    }

    /// A speech check was answered `4E`.
    private mutating func stillSpeaking(_ speech: Speech, now: ContinuousClock.Instant) -> [Action] {
        guard now < speech.giveUpAt else {
            let frame = Self.fixedFrame(.stop, for: configuration.chip)
            return finish(speech.job, .interrupted) + send(.stop(frame: frame), attempt: 1, now: now)
        }
        state = .speaking(Speech(job: speech.job, checkAt: now + configuration.busyPollInterval, giveUpAt: speech.giveUpAt))
        return []
    }

    /// The module did not answer in time.
    private mutating func noReply(now: ContinuousClock.Instant) -> [Action] {
        var actions = finishInHand(.noReply)
        actions += queue.map { Action.finished(phrase: $0.id, .noReply) }
        queue = []
        needsSetup = true
        state = .absent(nextProbe: now + configuration.absentProbeInterval)
        return actions + report(.absent)
    }

    private mutating func send(_ job: Job, attempt: Int, now: ContinuousClock.Instant) -> [Action] {
        let frame = job.frame
        state = .awaitingAcceptance(Exchange(job: job, attempt: attempt, deadline: now + replyWindow(frame.count)))
        return [.send(frame)]
    }

    private mutating func sendQuery(_ purpose: Query.Purpose, attempt: Int, now: ContinuousClock.Instant) -> [Action] {
        let frame = Self.fixedFrame(.queryStatus, for: configuration.chip)
        state = .querying(Query(purpose: purpose, attempt: attempt, deadline: now + replyWindow(frame.count), acknowledged: false))
        return [.send(frame)]
    }

    private mutating func report(_ newStatus: TTSModuleStatus) -> [Action] {
        guard status != newStatus else { return [] }
        status = newStatus
        return [.report(newStatus)]
    }

    /// The caller's phrase in hand, if any (setup and stop frames are the machine's own).
    private var inHandPhrase: Phrase? {
        let job: Job?
        switch state {
        case .awaitingAcceptance(let exchange): job = exchange.job
        case .speaking(let speech): job = speech.job
        case .querying(let query):
            if case .speechCheck(let speech) = query.purpose { job = speech.job } else { job = nil }
        case .stopped, .starting, .idle, .busy, .absent: job = nil
        }
        if case .phrase(let phrase) = job { return phrase }
        return nil
    }

    private func finishInHand(_ outcome: TTSPhraseOutcome) -> [Action] {
        inHandPhrase.map { [.finished(phrase: $0.id, outcome)] } ?? []
    }

    private func finish(_ job: Job, _ outcome: TTSPhraseOutcome) -> [Action] {
        if case .phrase(let phrase) = job { return [.finished(phrase: phrase.id, outcome)] }
        return []
    }

    /// `replyTimeout` plus the time `count` bytes take on the line (10 bits each at 8N1).
    private func replyWindow(_ count: Int) -> Duration {
        configuration.replyTimeout + .microseconds(count * 10_000_000 / configuration.baud)
    }

    /// Frames without text; they always encode.
    static func fixedFrame(_ command: TTSCommand, for chip: TTSChip) -> [UInt8] {
        guard let frame = try? TTSFrameEncoder.encode(command, for: chip) else {
            preconditionFailure("\(command.name) is a fixed frame on every chip")
        }
        return frame
    }
}
