import StallPlatform

/// One scale port: where it is, how its protocol is chosen, and what counts as a trade.
public struct ScaleConfiguration: Sendable, Equatable {
    public var name: String
    public var path: String
    /// Protocol and settings fixed by configuration; nil means auto-detect.
    public var pinned: ScaleIdentification?
    /// The line settings auto-detection tries, in order (all that real scales use, unless
    /// the configuration names one).
    public var candidateSettings: [SerialSettings]
    public var detector: WeighingDetector.Settings
    /// No frame for this long moves the scale to `stale`.
    public var staleAfter: Duration
    /// A detected (not pinned) scale stale this long is searched for again: the scale may
    /// have been replaced, or its settings changed.
    public var redetectAfter: Duration
    /// Where detection results are remembered; by default the path (the device watcher
    /// sets the udev identity for ports it discovers).
    public var memoryKey: String
    public var probeTiming: ScaleProbe.Timing

    public init(
        name: String, path: String, pinned: ScaleIdentification? = nil,
        candidateSettings: [SerialSettings] = ScaleProbe.candidateSettings,
        detector: WeighingDetector.Settings = .init(), staleAfter: Duration = .seconds(3),
        redetectAfter: Duration = .seconds(15), memoryKey: String? = nil, probeTiming: ScaleProbe.Timing = .init()
    ) {
        self.name = name
        self.path = path
        self.pinned = pinned
        self.candidateSettings = candidateSettings
        self.detector = detector
        self.staleAfter = staleAfter
        self.redetectAfter = redetectAfter
        self.memoryKey = memoryKey ?? "path:" + path
        self.probeTiming = probeTiming
    }

    /// How to talk to a protocol the configuration pins: the families that never speak
    /// unasked are asked with their standard request; the others are listened to (an
    /// A&D-style indicator usually streams; one left in command mode is found by
    /// auto-detection, which remembers the request that worked).
    public static func pinnedTalk(for protocolName: String) -> ScaleTalk {
        guard ["toledo-8217", "mt-sics", "cas-dc1"].contains(protocolName) else { return .listen }
        return ProbeRequest.standard.first { $0.protocolName == protocolName }?.talk ?? .listen
    }
}
