import StallPlatform
import StallProtocols

/// Finds which protocol and line settings a newly opened scale port speaks
/// (reference/scale-protocols.md 9.2). A state machine: it returns actions (configure the
/// port, send bytes, listen until a deadline) and is told what came back; it does no I/O
/// and reads no clock, so every path is tested without a port.
///
/// Plan:
/// 1. A remembered identification for this device is tried first (a listen twice the
///    usual length, or its request twice if the scale is polled), so a replug does not
///    search.
/// 2. Passive sniff at each candidate setting (continuous scales identify themselves).
///    A line that was completely silent during the first sniff is a scale that speaks
///    only when asked: a wrong baud rate garbles bytes but does not silence them, so the
///    remaining sniffs are skipped.
/// 3. At each setting, each silent family's request, listening briefly for an answer.
/// Bytes are fed to every decoder throughout; the first identification ends the search.
public struct ScaleProbe: Sendable {
    public struct Timing: Sendable, Equatable {
        /// A continuous scale sends ~7 frames a second: 400 ms holds two whole frames.
        public var sniff: Duration = .milliseconds(400)
        /// A scale answers within a few tens of milliseconds; at 2400 baud a 15-byte reply
        /// takes 63 ms on the wire.
        public var answer: Duration = .milliseconds(120)
        public init() {}
    }

    public enum Action: Equatable, Sendable {
        case configure(SerialSettings)
        case send([UInt8])
        /// Read and report bytes until this instant, then call `listenEnded`.
        case listen(until: ContinuousClock.Instant)
        case identified(ScaleIdentification)
        /// Every step was tried and nothing answered; the caller backs off and retries.
        case exhausted
    }

    /// The line settings real scales use, in the order tried (issue 4; sheet 9.2).
    public static let candidateSettings: [SerialSettings] = [
        SerialSettings(baud: 9600, dataBits: 8, parity: .none),
        SerialSettings(baud: 9600, dataBits: 7, parity: .even),
        SerialSettings(baud: 9600, dataBits: 7, parity: .odd),
        SerialSettings(baud: 4800, dataBits: 8, parity: .none),
        SerialSettings(baud: 2400, dataBits: 8, parity: .none),
        SerialSettings(baud: 19200, dataBits: 8, parity: .none),
    ]

    enum Step: Equatable, Sendable {
        case sniff(SerialSettings, remembered: Bool)
        case probe(SerialSettings, ProbeRequest)
    }

    private var steps: [Step]
    private let timing: Timing
    private var sniffer: ProtocolSniffer
    private var settings: SerialSettings?
    /// The request whose answer is awaited, by protocol, for the talk of the result.
    private var sentRequests: [String: ProbeRequest] = [:]
    /// An enquiry sent and not yet acknowledged.
    private var awaitingAcknowledge: (request: ProbeRequest, retriesLeft: Int)?
    private var finished = false
    /// An answer awaiting its confirmation exchange: the protocol, its request, the bytes
    /// heard since the confirmation request went out.
    private var confirming: (name: String, request: ProbeRequest, heard: [UInt8])?
    /// The last bytes heard at the current setting (at most `heardLimit`): after the
    /// identification, the supervisor decodes them first, so the frames that identified
    /// the scale also count as readings instead of waiting for the next ones.
    public private(set) var heard: [UInt8] = []
    static let heardLimit = 1024
    /// The current sniff was already given more time.
    private var extended = false
    /// Steps tried so far, for the log.
    public private(set) var stepsTried = 0

    public init(
        candidates: [SerialSettings] = ScaleProbe.candidateSettings,
        requests: [ProbeRequest] = ProbeRequest.standard,
        remembered: ScaleIdentification? = nil,
        protocols: [any ScaleDecoder.Type] = ScaleProtocols.all,
        timing: Timing = Timing()
    ) {
        var steps: [Step] = []
        if let remembered {
            if remembered.talk == .listen {
                steps.append(.sniff(remembered.settings, remembered: true))
            } else {
                // A polled scale says nothing until asked: ask at once, and once more if the
                // first answer window passes empty (a request lost as the port opened).
                let request = ProbeRequest(protocolName: remembered.protocolName, probe: remembered.talk, talk: remembered.talk)
                steps += [.probe(remembered.settings, request), .probe(remembered.settings, request)]
            }
        }
        steps += candidates.map { .sniff($0, remembered: false) }
        for setting in candidates {
            steps += requests.map { .probe(setting, $0) }
        }
        self.steps = steps
        self.timing = timing
        self.sniffer = ProtocolSniffer(protocols: protocols)
    }

    public mutating func start(at now: ContinuousClock.Instant) -> [Action] {
        beginStep(at: now)
    }

    /// Bytes the port delivered while listening.
    public mutating func received(_ bytes: [UInt8], at now: ContinuousClock.Instant) -> [Action] {
        guard !finished, !bytes.isEmpty else { return [] }
        if var pending = confirming {
            pending.heard += bytes
            confirming = pending
            guard let confirmation = pending.request.confirmation,
                pending.heard.count >= confirmation.expect.count,
                pending.heard.indices.contains(where: { pending.heard[$0...].starts(with: confirmation.expect) })
            else { return [] }
            finished = true
            return [.send(confirmation.finish), .identified(result(pending.name))]
        }
        if let pending = awaitingAcknowledge, case .enquire(let enquiry, let acknowledge, let notReady, let request) = pending.request.probe {
            if bytes.contains(acknowledge) {
                awaitingAcknowledge = nil
                sniffer.requestSent(for: pending.request.protocolName)
                keep(bytes)
                _ = sniffer.feed(bytes)
                return [.send(request), .listen(until: now + timing.answer)]
            }
            if bytes.contains(notReady), pending.retriesLeft > 0 {
                awaitingAcknowledge = (pending.request, pending.retriesLeft - 1)
                return [.send(enquiry), .listen(until: now + timing.answer)]
            }
        }
        keep(bytes)
        if let name = sniffer.feed(bytes) { return identify(name, at: now) }
        return []
    }

    /// The listen deadline passed: on to the next step.
    public mutating func listenEnded(at now: ContinuousClock.Instant) -> [Action] {
        guard !finished, !steps.isEmpty else { return [] }
        if confirming != nil {
            // The confirmation did not come back: the answer was garbage that looked like
            // one. Forget it and go on.
            confirming = nil
            sniffer.reset()
        }
        if case .sniff = steps[0], !extended, sniffer.promising {
            // One frame decoded and the window closed before the second: the first frame
            // after a settings change is often cut, so a 400 ms window can hold just one
            // whole frame. Listen once more rather than search the other settings.
            extended = true
            return [.listen(until: now + timing.sniff / 2)]
        }
        let done = steps.removeFirst()
        stepsTried += 1
        if case .sniff(_, remembered: false) = done, sniffer.bytesSeen == 0 {
            // Silent line: a polled scale. Sniffing at other settings would hear nothing.
            steps.removeAll { if case .sniff = $0 { true } else { false } }
        }
        return beginStep(at: now)
    }

    private mutating func beginStep(at now: ContinuousClock.Instant) -> [Action] {
        guard let step = steps.first else {
            finished = true
            return [.exhausted]
        }
        var actions: [Action] = []
        let stepSettings: SerialSettings
        switch step {
        case .sniff(let setting, _): stepSettings = setting
        case .probe(let setting, _): stepSettings = setting
        }
        if stepSettings != settings {
            settings = stepSettings
            heard = []
            sniffer.reset()
            sentRequests = [:]
            actions.append(.configure(stepSettings))
        } else if case .sniff = step {
            sniffer.reset()
        }
        awaitingAcknowledge = nil
        extended = false
        switch step {
        case .sniff(_, let remembered):
            // The remembered setting is very likely right: give it twice the time before
            // falling back to the search (a missed window costs seconds; this costs 400 ms
            // only when the memory is wrong).
            actions.append(.listen(until: now + (remembered ? timing.sniff * 2 : timing.sniff)))
        case .probe(_, let request):
            sentRequests[request.protocolName] = request
            switch request.probe {
            case .listen:
                break
            case .poll(let bytes):
                sniffer.requestSent(for: request.protocolName)
                actions.append(.send(bytes))
            case .enquire(let enquiry, _, _, _):
                awaitingAcknowledge = (request, 1)
                actions.append(.send(enquiry))
            }
            actions.append(.listen(until: now + timing.answer))
        }
        return actions
    }

    private mutating func keep(_ bytes: [UInt8]) {
        heard += bytes
        if heard.count > Self.heardLimit { heard.removeFirst(heard.count - Self.heardLimit) }
    }

    private mutating func identify(_ name: String, at now: ContinuousClock.Instant) -> [Action] {
        if sniffer.answeredRequest(name), let request = sentRequests[name], let confirmation = request.confirmation {
            confirming = (name, request, [])
            return [.send(confirmation.request), .listen(until: now + timing.answer)]
        }
        finished = true
        return [.identified(result(name))]
    }

    private func result(_ name: String) -> ScaleIdentification {
        let talk: ScaleTalk =
            if sniffer.answeredRequest(name), let request = sentRequests[name] { request.talk } else { .listen }
        return ScaleIdentification(protocolName: name, settings: settings ?? SerialSettings(), talk: talk)
    }
}
