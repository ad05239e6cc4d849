/// Says which protocol a live byte stream speaks, for auto-detection on a newly plugged
/// port (reference/scale-protocols.md 9.2). Pure: the prober feeds it what the port
/// delivered and tells it which requests went out; it feeds every decoder the same bytes.
///
/// A protocol is identified when its decoder produces
/// - two frames in a row with no error line between them (a scale speaking by itself:
///   one frame could be chance, two in a row at the stream's own rhythm are not), or
/// - one frame after the prober sent that protocol's request (a polled scale answering).
/// At a wrong baud rate or parity the bytes are garbage to every decoder, so a setting
/// that identifies nothing loses. Several protocols identified by the same bytes are
/// ranked by the sheet's tie order (9.1).
public struct ProtocolSniffer: Sendable {
    private struct Candidate: Sendable {
        var decoder: any ScaleDecoder
        var framesInARow = 0
        var answeredRequest = false
        var requestSent = false
    }

    private var candidates: [Candidate]
    /// Bytes fed since the last `reset`, for the log ("bytes but no frames" means a
    /// talking scale at another setting; none means a silent one).
    public private(set) var bytesSeen = 0

    public init(protocols: [any ScaleDecoder.Type] = ScaleProtocols.all) {
        candidates = protocols.map { Candidate(decoder: $0.init()) }
    }

    /// Starts over with fresh decoders, e.g. after the line settings changed.
    public mutating func reset() {
        candidates = candidates.map { Candidate(decoder: type(of: $0.decoder).init()) }
        bytesSeen = 0
    }

    /// Notes that the prober sent `protocolName`'s request: its next frame identifies it.
    public mutating func requestSent(for protocolName: String) {
        for index in candidates.indices where type(of: candidates[index].decoder).protocolName == protocolName {
            candidates[index].requestSent = true
        }
    }

    /// Feeds what the port delivered; returns the identified protocol's name, if any.
    public mutating func feed(_ bytes: [UInt8]) -> String? {
        bytesSeen += bytes.count
        for index in candidates.indices {
            let outputs = candidates[index].decoder.feed(bytes)
            for output in outputs {
                switch output {
                case .frame:
                    candidates[index].framesInARow += 1
                    if candidates[index].requestSent { candidates[index].answeredRequest = true }
                case .error:
                    candidates[index].framesInARow = 0
                }
            }
        }
        return identified
    }

    /// Whether `protocolName` was identified by answering a request the prober sent (a
    /// polled scale), rather than by speaking on its own.
    public func answeredRequest(_ protocolName: String) -> Bool {
        candidates.contains { type(of: $0.decoder).protocolName == protocolName && $0.answeredRequest }
    }

    /// Whether some decoder has just accepted a frame and waits for a second one: a listen
    /// ending now would cut off a scale that is being identified.
    public var promising: Bool {
        candidates.contains { $0.framesInARow > 0 }
    }

    /// The identified protocol so far, best ranked first.
    public var identified: String? {
        candidates
            .filter { $0.framesInARow >= 2 || $0.answeredRequest }
            .map { type(of: $0.decoder).protocolName }
            .min { AutoDecode.rank(of: $0) < AutoDecode.rank(of: $1) }
    }
}
