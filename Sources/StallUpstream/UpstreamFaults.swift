import Hummingbird
import Synchronization

/// Misbehaviour on purpose, for the box's fault tests (`make faults`): the reference
/// receiver answers a share of batch uploads the way a sick server or network would.
/// Off unless `stallbox-upstream serve --fault-rate` is given; never for a bank.
public struct UpstreamFaults: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 500 before storing anything.
        case error500 = "500"
        /// 503 with `Retry-After: 1`, before storing.
        case unavailable503 = "503"
        /// 429 with `Retry-After: 1`, before storing.
        case throttled429 = "429"
        /// Holds the request past any sane client timeout, then answers 500, storing nothing.
        case hang
        /// Waits two seconds, then handles the batch normally.
        case slow
        /// Stores the batch, then answers 500: the acknowledgement is lost on the way, so
        /// the box must resend records the receiver already holds.
        case lostReply = "lost-reply"
    }

    public var rate: Double
    public var kinds: [Kind]
    public var hangFor: Duration

    public init(rate: Double, kinds: [Kind], hangFor: Duration = .seconds(60)) {
        self.rate = rate
        self.kinds = kinds
        self.hangFor = hangFor
    }

    /// The fault for this request, if any.
    func draw() -> Kind? {
        guard rate > 0, !kinds.isEmpty, Double.random(in: 0..<1) < rate else { return nil }
        return kinds.randomElement()
    }
}

extension UpstreamRoutes {
    /// Applies a drawn fault around `handle` (which stores and answers the batch).
    func withFault(_ kind: UpstreamFaults.Kind?, hangFor: Duration, _ handle: () async -> Response) async -> Response {
        guard let kind else { return await handle() }
        logger.warning("fault injected: \(kind.rawValue)")
        switch kind {
        case .error500:
            return JSONResponses.error(500, "internal", "injected fault")
        case .unavailable503, .throttled429:
            var response = JSONResponses.error(Int(kind.rawValue)!, "busy", "injected fault; retry later")
            response.headers[.retryAfter] = "1"
            return response
        case .hang:
            try? await Task.sleep(for: hangFor)
            return JSONResponses.error(500, "internal", "injected hang")
        case .slow:
            try? await Task.sleep(for: .seconds(2))
            return await handle()
        case .lostReply:
            _ = await handle()
            return JSONResponses.error(500, "internal", "injected fault after storing")
        }
    }
}
