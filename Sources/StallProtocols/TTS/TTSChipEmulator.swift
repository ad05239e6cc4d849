/// The chip's side of a UART TTS module, pure: what a SYN6288 / SYN6658 / XFS5152CE sends
/// back for the bytes a host writes, and what it sends by itself as time passes
/// (firmware-protocols/uart-tts/SPEC.md section 11). For the PTY simulator, the
/// `TTSModuleMachine` tests and the captures' canned replies; no decoder depends on it.
///
/// The caller owns the clock: it passes the instant with every call and calls
/// `advance(to:)` at `nextEventTime`. Bytes handed to one `hostSent` arrive together, as
/// one `write()`.
///
/// Behaviour (canned replies, SPEC.md 11):
/// - power-up / reset: `4A` after `initialisationTime`; bytes before that are ignored;
/// - frames are judged like `TTSFrameDecoder` does; a valid one is answered `41` and
///   executed; one that fails a check is answered `45` and the rest of that write is
///   dropped (the chip resynchronises on the inter-byte gap); a frame left incomplete for
///   longer than `chip.interByteTimeout` is answered `45`; bytes outside frames are ignored;
/// - synthesis: speaks for `timePerCharacter` per spoken character (a GB2312 pair or an
///   ASCII letter or digit; `[...]` tags take no time) then sends `4F`; a new synthesis
///   frame interrupts the text being spoken, which then never gets its `4F`;
/// - status query: `4E` while speaking or paused, `4F` otherwise, preceded by `41` when
///   `acknowledgesStatusQuery` (SYN6288 default, SPEC.md 12);
/// - stop: `41`, the text is dropped without `4F`; pause / resume: `41`, time stands still;
/// - power-down (`88`) / standby (`22`): `41`, then asleep: the next frame wakes the chip
///   and is neither answered nor executed; later frames are answered normally;
/// - `silent`: the chip works but nothing reaches the host (unpowered module, cut TX line,
///   wrong baud rate): the no-reply case.
public struct TTSChipEmulator: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var chip: TTSChip
        /// Speaking time per spoken character.
        public var timePerCharacter: Duration
        /// From power-up or reset to `4A`.
        public var initialisationTime: Duration
        /// `41` before the `4E` / `4F` answer to a status query.
        public var acknowledgesStatusQuery: Bool

        public init(
            chip: TTSChip, timePerCharacter: Duration = .milliseconds(250), initialisationTime: Duration? = nil,
            acknowledgesStatusQuery: Bool? = nil
        ) {
            self.chip = chip
            self.timePerCharacter = timePerCharacter
            self.initialisationTime = initialisationTime ?? chip.initialisationTime
            self.acknowledgesStatusQuery = acknowledgesStatusQuery ?? chip.acknowledgesStatusQuery
        }
    }

    public let configuration: Configuration
    /// When true nothing is sent to the host; the chip goes on working inside.
    public var silent = false

    /// The last `[vN]` volume tag received since power-up, if any.
    public private(set) var volume: Int?
    /// The baud rate set with `31` (SYN6288); 9600 after every power-up and reset.
    public private(set) var baud = 9600
    /// The last frame executed.
    public private(set) var lastFrame: TTSFrame?
    /// Frames answered `41`, and frames answered `45`, since power-up.
    public private(set) var acceptedFrames = 0
    public private(set) var rejectedFrames = 0

    private var power: Power = .off
    /// Bytes of the frame being received (starts with `FD`), and when the last one came.
    private var receiving: [UInt8] = []
    private var lastByteAt: ContinuousClock.Instant?
    /// After a rejection, bytes are dropped until the line has been quiet for a gap.
    private var discarding = false
    /// Text stored with cache-text, by starting segment.
    private var cache: [UInt8: [UInt8]] = [:]

    enum Power: Hashable, Sendable {
        case off
        case initialising(readyAt: ContinuousClock.Instant)
        case awake(Speech?)
        case asleep
    }

    struct Speech: Hashable, Sendable {
        /// When the text ends; nil while paused.
        var endsAt: ContinuousClock.Instant?
        /// Speaking time left when paused.
        var remaining: Duration
    }

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// True from the `41` of a synthesis frame until its `4F` (paused included).
    public var isSpeaking: Bool {
        if case .awake(.some) = power { return true }
        return false
    }

    public var isAsleep: Bool { power == .asleep }

    /// When `advance(to:)` next has something to do; nil when nothing is pending.
    public var nextEventTime: ContinuousClock.Instant? {
        var times: [ContinuousClock.Instant] = []
        if case .initialising(let readyAt) = power { times.append(readyAt) }
        if case .awake(let speech?) = power, let endsAt = speech.endsAt { times.append(endsAt) }
        if let lastByteAt, !receiving.isEmpty || discarding { times.append(lastByteAt + configuration.chip.interByteTimeout) }
        return times.min()
    }

    /// Power applied (or RST released): `4A` follows after `initialisationTime`.
    public mutating func powerUp(at now: ContinuousClock.Instant) -> [UInt8] {
        power = .initialising(readyAt: now + configuration.initialisationTime)
        receiving = []
        discarding = false
        // Tags and the baud rate are lost at every reset (SPEC.md 4.3, 6.4).
        baud = 9600
        volume = nil
        acceptedFrames = 0
        rejectedFrames = 0
        return advance(to: now)
    }

    /// RST pulsed: the same as a power-up.
    public mutating func reset(at now: ContinuousClock.Instant) -> [UInt8] {
        powerUp(at: now)
    }

    /// Power removed: the chip forgets everything and answers nothing.
    public mutating func powerOff() {
        power = .off
        receiving = []
        discarding = false
        cache = [:]
    }

    /// What the chip sends by itself up to `now`: `4A` when ready, `4F` when a text ends,
    /// `45` when an incomplete frame timed out.
    public mutating func advance(to now: ContinuousClock.Instant) -> [UInt8] {
        let out = runClock(to: now)
        return silent ? [] : out
    }

    /// `advance(to:)` without the `silent` cut.
    private mutating func runClock(to now: ContinuousClock.Instant) -> [UInt8] {
        var out: [UInt8] = []
        if case .initialising(let readyAt) = power, now >= readyAt {
            power = .awake(nil)
            out.append(TTSReply.initialised.rawValue)
        }
        if case .awake(let speech?) = power, let endsAt = speech.endsAt, now >= endsAt {
            power = .awake(nil)
            out.append(TTSReply.idle.rawValue)
        }
        if let lastByteAt, now - lastByteAt > configuration.chip.interByteTimeout {
            if !receiving.isEmpty {
                // The length promised more bytes than came: "接收失败".
                receiving = []
                out += frameJudged(rejected: true)
            }
            discarding = false
        }
        return out
    }

    /// The host wrote `bytes` at `now`; returns what the chip answers.
    public mutating func hostSent(_ bytes: some Collection<UInt8>, at now: ContinuousClock.Instant) -> [UInt8] {
        var out = runClock(to: now)
        switch power {
        case .off, .initialising:
            return silent ? [] : out
        case .awake, .asleep:
            break
        }
        for byte in bytes {
            lastByteAt = now
            if discarding { continue }
            if receiving.isEmpty {
                if byte == TTSChip.header { receiving.append(byte) }
                continue
            }
            receiving.append(byte)
            switch TTSFrameDecoder.examine(receiving[...], chip: configuration.chip) {
            case .needMore:
                continue
            case .reject:
                receiving = []
                discarding = true
                out += frameJudged(rejected: true)
            case .accept(let frame, _):
                receiving = []
                out += execute(frame, now: now)
            }
        }
        return silent ? [] : out
    }

    /// The reply to a frame that was judged; a sleeping chip wakes instead of answering.
    private mutating func frameJudged(rejected: Bool) -> [UInt8] {
        if power == .asleep {
            power = .awake(nil)
            return []
        }
        if rejected {
            rejectedFrames += 1
            return [TTSReply.rejected.rawValue]
        }
        acceptedFrames += 1
        return [TTSReply.accepted.rawValue]
    }

    private mutating func execute(_ frame: TTSFrame, now: ContinuousClock.Instant) -> [UInt8] {
        if power == .asleep {
            power = .awake(nil)  // the waking frame is not executed
            return []
        }
        guard case .awake(let speech) = power else { return [] }
        var out = frameJudged(rejected: false)
        lastFrame = frame
        switch frame.command {
        case .synthesize(let text, let encoding, _):
            out += speak(characters: spokenCharacters(text, encoding: encoding), now: now)
        case .playCache(let repeatCount, let encoding):
            let text = cache.keys.sorted().flatMap { cache[$0]! }
            out += speak(characters: spokenCharacters(text, encoding: encoding) * Int(repeatCount), now: now)
        case .cacheText(let segment, let text):
            cache[segment] = text
        case .stop:
            power = .awake(nil)
        case .pause:
            if var speech, let endsAt = speech.endsAt {
                speech.remaining = max(.zero, endsAt - now)
                speech.endsAt = nil
                power = .awake(speech)
            }
        case .resume:
            if var speech, speech.endsAt == nil {
                speech.endsAt = now + speech.remaining
                power = .awake(speech)
            }
        case .queryStatus:
            if !configuration.acknowledgesStatusQuery { out = [] }
            out.append(speech == nil ? TTSReply.idle.rawValue : TTSReply.busy.rawValue)
        case .powerDown, .standby:
            power = .asleep
        case .wake:
            break
        case .setBaud(let bitsPerSecond):
            baud = bitsPerSecond
        }
        return out
    }

    /// Starts a text (replacing any other); an empty one ends at once with `4F`.
    private mutating func speak(characters: Int, now: ContinuousClock.Instant) -> [UInt8] {
        guard characters > 0 else {
            power = .awake(nil)
            return [TTSReply.idle.rawValue]
        }
        let duration = configuration.timePerCharacter * characters
        power = .awake(Speech(endsAt: now + duration, remaining: duration))
        return []
    }

    /// Characters that take time to say; applies `[vN]` tags on the way.
    private mutating func spokenCharacters(_ text: [UInt8], encoding: TTSTextEncoding) -> Int {
        switch encoding {
        case .unicode, .unicodeBigEndian:
            return text.count / 2
        case .gb2312, .gbk, .big5:
            break
        }
        var count = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "[") {
                let close = text[index...].firstIndex(of: UInt8(ascii: "]")) ?? text.count - 1
                applyTag(text[(index + 1)..<max(index + 1, close)])
                index = close + 1
            } else if byte >= 0x80 {
                count += 1
                index += 2
            } else {
                let isLetterOrDigit = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                if isLetterOrDigit { count += 1 }
                index += 1
            }
        }
        return count
    }

    private mutating func applyTag(_ tag: ArraySlice<UInt8>) {
        guard tag.first == UInt8(ascii: "v"), tag.count > 1, tag.count <= 3 else { return }
        var value = 0
        for byte in tag.dropFirst() {
            guard (0x30...0x39).contains(byte) else { return }
            value = value * 10 + Int(byte - 0x30)
        }
        volume = value
    }
}
