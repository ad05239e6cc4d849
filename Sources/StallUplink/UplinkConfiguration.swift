/// Where upstream is and how to reach it.
public struct UplinkConfiguration: Sendable, Equatable {
    /// e.g. `https://bank.example/stallbox` (no trailing slash needed).
    public var baseURL: String
    /// The only CA the box trusts for upstream's certificate (PEM).
    public var caFile: String
    /// Records per batch at most.
    public var batchSize: Int
    /// Canonical bytes per batch at most (before compression); a batch always holds at
    /// least one record, however large.
    public var batchMaxBytes: Int
    /// Send batches with `Content-Encoding: gzip`.
    public var gzip: Bool
    public var connectTimeout: Duration
    /// Per request; the notification long-poll adds its hold time on top.
    public var requestTimeout: Duration
    /// How long upstream may hold a notification poll open.
    public var pollHold: Duration
    public var pollNotifications: Bool
    /// Mutual TLS: the box's client certificate chain and key (PEM), both or neither.
    public var clientCertificate: String?
    public var clientKey: String?
    /// Backoff after failures: full jitter, doubling from `baseBackoff` up to `maxBackoff`.
    public var baseBackoff: Duration
    public var maxBackoff: Duration
    /// After a 422 (a record refused): a long pause before the same records go again.
    public var rejectedBackoff: Duration

    public init(
        baseURL: String, caFile: String, batchSize: Int = 200, batchMaxBytes: Int = 512 * 1024, gzip: Bool = true,
        connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(20), pollHold: Duration = .seconds(25),
        pollNotifications: Bool = true, clientCertificate: String? = nil, clientKey: String? = nil,
        baseBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(300), rejectedBackoff: Duration = .seconds(1800)
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.caFile = caFile
        self.batchSize = batchSize
        self.batchMaxBytes = batchMaxBytes
        self.gzip = gzip
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.pollHold = pollHold
        self.pollNotifications = pollNotifications
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.baseBackoff = baseBackoff
        self.maxBackoff = maxBackoff
        self.rejectedBackoff = rejectedBackoff
    }
}
