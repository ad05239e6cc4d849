/// Where upstream is and how to reach it.
public struct UplinkConfiguration: Sendable, Equatable {
    /// e.g. `https://bank.example/stallbox` (no trailing slash needed).
    public var baseURL: String
    /// The only CA the box trusts for upstream's certificate (PEM).
    public var caFile: String
    public var batchSize: Int
    public var connectTimeout: Duration
    /// Per request; the notification long-poll adds its hold time on top.
    public var requestTimeout: Duration
    /// How long upstream may hold a notification poll open.
    public var pollHold: Duration
    public var pollNotifications: Bool

    public init(
        baseURL: String, caFile: String, batchSize: Int = 200, connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(20), pollHold: Duration = .seconds(25), pollNotifications: Bool = true
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.caFile = caFile
        self.batchSize = batchSize
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.pollHold = pollHold
        self.pollNotifications = pollNotifications
    }
}
