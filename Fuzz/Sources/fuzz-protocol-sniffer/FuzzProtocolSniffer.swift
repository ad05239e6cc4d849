import FuzzCheck
import StallCore
import StallProtocols

// ProtocolSniffer (Sources/StallProtocols/Scales/ProtocolSniffer.swift; fact sheet 9.2),
// checked against an independent model: one fresh decoder per protocol fed the same
// pieces (never finished: a live port has no end). A protocol is identified when its
// outputs so far end in two or more frames with no error line after the last error, or
// when it produced any frame after the prober sent its request; the best-ranked one in the
// tie order wins.
//
// The first input byte picks the request: 0-5 (mod 8) sends that protocol's request before
// any byte is fed, 6-7 none. The whole input, that byte included, is the stream.

struct Model {
    var decoders: [any ScaleDecoder] = ScaleProtocols.all.map { $0.init() }
    var outputs: [[ScaleDecoderOutput]] = ScaleProtocols.all.map { _ in [] }
    let requested: String?

    init(requested: String?) { self.requested = requested }

    mutating func feed(_ piece: ArraySlice<UInt8>) {
        for index in decoders.indices { outputs[index] += decoders[index].feed(piece) }
    }

    func answered(_ index: Int) -> Bool {
        ScaleProtocols.all[index].protocolName == requested
            && outputs[index].contains { if case .frame = $0 { true } else { false } }
    }

    var identified: String? {
        var best: String?
        for index in decoders.indices {
            let name = ScaleProtocols.all[index].protocolName
            let trailing = outputs[index].reversed().prefix { if case .frame = $0 { true } else { false } }.count
            guard trailing >= 2 || answered(index) else { continue }
            if best == nil || AutoDecode.rank(of: name) < AutoDecode.rank(of: best!) { best = name }
        }
        return best
    }
}

func sniff(_ bytes: [UInt8], pieces: [Range<Int>], requested: String?, _ how: String) -> ProtocolSniffer {
    var sniffer = ProtocolSniffer()
    var model = Model(requested: requested)
    if let requested { sniffer.requestSent(for: requested) }
    var fed = 0
    for range in pieces {
        let result = sniffer.feed(Array(bytes[range]))
        model.feed(bytes[range])
        fed += range.count
        let expected = model.identified
        require(result == expected, "\(how): after \(fed) bytes the sniffer says \(result ?? "nil"), expected \(expected ?? "nil")")
        require(sniffer.identified == result, "\(how): identified differs from what feed returned")
        require(sniffer.bytesSeen == fed, "\(how): bytesSeen \(sniffer.bytesSeen) after \(fed) bytes")
    }
    for (index, decoder) in ScaleProtocols.all.enumerated() {
        require(
            sniffer.answeredRequest(decoder.protocolName) == model.answered(index),
            "\(how): answeredRequest(\(decoder.protocolName)) is \(sniffer.answeredRequest(decoder.protocolName))")
    }
    return sniffer
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzInput(start, count)
    let names = ScaleProtocols.names
    let choice = Int((bytes.first ?? 0xFF) % 8)
    let requested = choice < names.count ? names[choice] : nil
    var random = InputRandom(bytes)

    _ = sniff(bytes, pieces: [0..<bytes.count], requested: requested, "whole")
    let cut = random.below(bytes.count + 1)
    _ = sniff(bytes, pieces: [0..<cut, cut..<bytes.count], requested: requested, "split at \(cut)")
    var pieces: [Range<Int>] = []
    var begin = 0
    while begin < bytes.count {
        let end = min(bytes.count, begin + 1 + random.below(32))
        pieces.append(begin..<end)
        begin = end
    }
    var sniffer = sniff(bytes, pieces: pieces, requested: requested, "chunks of 1-32")

    // reset() starts over: no request, nothing seen, fresh decoders (a half frame held
    // before the reset must not complete with the bytes after it).
    sniffer.reset()
    require(sniffer.identified == nil && sniffer.bytesSeen == 0, "reset() left identified \(sniffer.identified ?? "nil"), bytesSeen \(sniffer.bytesSeen)")
    for name in names { require(!sniffer.answeredRequest(name), "reset() kept answeredRequest(\(name))") }
    let tail = bytes[cut...]
    let afterReset = sniffer.feed(Array(tail))
    var fresh = ProtocolSniffer()
    let expected = fresh.feed(Array(tail))
    require(afterReset == expected, "after reset() the sniffer says \(afterReset ?? "nil"), a fresh one \(expected ?? "nil")")
    return 0
}
