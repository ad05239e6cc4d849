import StallPlatform

/// One configured scale port: where it is, which protocol and line settings it speaks, and
/// what counts as a trade.
public struct ScaleConfiguration: Sendable, Equatable {
    public var name: String
    public var path: String
    public var protocolName: String
    public var settings: SerialSettings
    public var detector: WeighingDetector.Settings
    /// No frame for this long moves the scale to `stale`.
    public var staleAfter: Duration

    public init(
        name: String, path: String, protocolName: String, settings: SerialSettings,
        detector: WeighingDetector.Settings, staleAfter: Duration = .seconds(3)
    ) {
        self.name = name
        self.path = path
        self.protocolName = protocolName
        self.settings = settings
        self.detector = detector
        self.staleAfter = staleAfter
    }
}
