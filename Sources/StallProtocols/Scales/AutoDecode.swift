/// `stallctl decode --protocol auto` (reference/scale-protocols.md 9.1, normative): every
/// decoder over the whole input; the one with the most frames wins, ties by a fixed order.
/// Error lines do not count: their number is not part of the contract.
public enum AutoDecode {
    /// The sheet's tie order: on equal frame counts the earlier protocol wins.
    public static let tieOrder = ["cas-dc1", "yaohua-a23p", "toledo-continuous", "toledo-8217", "mt-sics", "ad-st"]

    public static func rank(of protocolName: String) -> Int {
        tieOrder.firstIndex(of: protocolName) ?? tieOrder.count
    }

    public static func decode(_ bytes: [UInt8], protocols: [any ScaleDecoder.Type] = ScaleProtocols.all) -> [ScaleDecoderOutput] {
        var best: (frames: Int, rank: Int, outputs: [ScaleDecoderOutput])?
        for decoder in protocols {
            let outputs = decoder.decodeAll(bytes)
            let frames = outputs.count { if case .frame = $0 { true } else { false } }
            let rank = rank(of: decoder.protocolName)
            if let current = best, frames < current.frames || (frames == current.frames && rank >= current.rank) { continue }
            best = (frames, rank, outputs)
        }
        return best?.outputs ?? []
    }
}
