import StallPlatform

/// How the daemon gets readings from a scale once its protocol is known.
public enum ScaleTalk: Hashable, Sendable {
    /// The scale sends by itself; the daemon only listens.
    case listen
    /// The daemon sends `request` and the scale answers one reading.
    case poll(request: [UInt8])
    /// The daemon sends `enquiry`, waits for `acknowledge`, then sends `request`
    /// (the CAS ENQ/ACK/DC1 exchange).
    case enquire(enquiry: [UInt8], acknowledge: UInt8, notReady: UInt8, request: [UInt8])
}

/// What auto-detection found (or what configuration pinned): the protocol, the line
/// settings and how to ask. Remembered per device so that a replug skips the search.
public struct ScaleIdentification: Hashable, Sendable, CustomStringConvertible {
    public var protocolName: String
    public var settings: SerialSettings
    public var talk: ScaleTalk

    public init(protocolName: String, settings: SerialSettings, talk: ScaleTalk) {
        self.protocolName = protocolName
        self.settings = settings
        self.talk = talk
    }

    public var description: String {
        let how: String
        switch talk {
        case .listen: how = "listening"
        case .poll: how = "polling"
        case .enquire: how = "enquiring"
        }
        return "\(protocolName) at \(settings), \(how)"
    }
}
