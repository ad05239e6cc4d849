import StallProtocols

/// A request the prober sends to make a silent scale answer, and how to ask that scale
/// for readings once it has answered.
public struct ProbeRequest: Hashable, Sendable {
    public var protocolName: String
    /// What the prober sends (a request, or an enquiry exchange).
    public var probe: ScaleTalk
    /// How the supervisor polls the scale after it answered this probe.
    public var talk: ScaleTalk
    /// A second exchange that must succeed before an answer counts, for families whose
    /// reply is short enough to be imitated by garbage (a Toledo 8217 weight is STX, a few
    /// digits, CR).
    public var confirmation: Confirmation?

    /// Send `request`; the scale must answer exactly `expect` within the answer window;
    /// then send `finish` (e.g. to leave a test mode).
    public struct Confirmation: Hashable, Sendable {
        public var request: [UInt8]
        public var expect: [UInt8]
        public var finish: [UInt8]
    }

    public init(protocolName: String, probe: ScaleTalk, talk: ScaleTalk, confirmation: Confirmation? = nil) {
        self.protocolName = protocolName
        self.probe = probe
        self.talk = talk
        self.confirmation = confirmation
    }

    /// The silent families' requests in the order the prober sends them at each line
    /// setting (reference/scale-protocols.md 9.2). The order keeps each request harmless
    /// to the others: the 8217 `W` goes first and alone; the MT-SICS probe starts with
    /// CR LF so that a balance which buffered the `W` ends that line (and answers ES)
    /// before it reads `SI`; ENQ goes last because a CAS scale takes the byte after its
    /// ACK as the command.
    ///
    /// The 8217 answer is confirmed with the echo probe (sheet 9.2; toledo-8217/SPEC.md
    /// 5.3): `Ehello` must come back as `STX E CR hello`, then `F` leaves echo mode.
    public static let standard: [ProbeRequest] = [
        ProbeRequest(
            protocolName: "toledo-8217", probe: .poll(request: Array("W".utf8)), talk: .poll(request: Array("W".utf8)),
            confirmation: Confirmation(request: Array("Ehello".utf8), expect: [0x02, 0x45, 0x0D] + Array("hello".utf8), finish: Array("F".utf8))),
        ProbeRequest(protocolName: "mt-sics", probe: .poll(request: Array("\r\nSI\r\n".utf8)), talk: .poll(request: Array("SI\r\n".utf8))),
        ProbeRequest(protocolName: "ad-st", probe: .poll(request: Array("Q\r\n".utf8)), talk: .poll(request: Array("Q\r\n".utf8))),
        ProbeRequest(protocolName: "ad-st", probe: .poll(request: Array("?WT\r\n".utf8)), talk: .poll(request: Array("?WT\r\n".utf8))),
        ProbeRequest(protocolName: "cas-dc1", probe: casExchange, talk: casExchange),
    ]

    static let casExchange = ScaleTalk.enquire(enquiry: [0x05], acknowledge: 0x06, notReady: 0x15, request: [0x11])
}
