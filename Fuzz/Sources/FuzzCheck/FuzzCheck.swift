import StallCore
import StallProtocols

// Checks shared by every fuzz target. A violated invariant calls `fatalError`, which
// libFuzzer reports as a crash and saves the input to its artifact folder.

// MARK: - Failing

/// The input being checked, shown in every failure message.
nonisolated(unsafe) private var currentInput: [UInt8] = []

/// Stops the run with `message` and the input in hex: libFuzzer records it as a crash.
public func violation(_ message: String) -> Never {
    let shown = currentInput.prefix(512).map { hexByte($0) }.joined(separator: " ")
    let more = currentInput.count > 512 ? " … (\(currentInput.count) bytes in all)" : ""
    fatalError("fuzz invariant violated: \(message)\ninput (\(currentInput.count) bytes): \(shown)\(more)")
}

/// `violation(message)` unless `condition` holds.
@inline(__always)
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { violation(message()) }
}

public func hexByte(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
}

/// The raw input of a libFuzzer call as an array; remembered for failure messages.
public func fuzzInput(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    currentInput = bytes
    return bytes
}

// MARK: - Choices derived from the input

/// A small deterministic generator seeded from the input (FNV-1a, then SplitMix64), so
/// a saved crash input replays the same split points and chunk sizes.
public struct InputRandom {
    private var state: UInt64

    public init(_ bytes: [UInt8]) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        state = hash ^ UInt64(bytes.count)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0 ..< bound` (`bound` > 0).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// A collection of bytes that does not offer contiguous storage, with indices that do not
/// start at 0: exercises the decoders' generic `feed(some Collection<UInt8>)` paths
/// (`withContiguousStorageIfAvailable` returns nil for it).
public struct NonContiguousBytes: Collection {
    public let base: ArraySlice<UInt8>
    public init(_ base: ArraySlice<UInt8>) { self.base = base }
    public var startIndex: Int { base.startIndex }
    public var endIndex: Int { base.endIndex }
    public func index(after index: Int) -> Int { index + 1 }
    public subscript(position: Int) -> UInt8 { base[position] }
}

// MARK: - Decoders

/// How one decoder is checked.
public struct DecoderCheck<Decoder: ScaleDecoder>: Sendable {
    /// The most bytes the decoder may hold between calls (its SPEC's bound).
    public var maxBuffered: Int
    /// Bytes the decoder holds now.
    public var buffered: @Sendable (Decoder) -> Int
    /// The protocol's own frame invariants (SPEC.md of the protocol): the frame, its offset,
    /// the whole input, and the frame before it in the output (if any).
    public var frame: @Sendable (_ frame: ScaleFrame, _ offset: Int, _ bytes: [UInt8], _ previous: ScaleFrame?) -> Void

    /// When feeding in small chunks or one byte at a time, check the buffer after every
    /// this many feeds (1 = every feed, and always after the last). Feeding whole or split
    /// in two always checks after each feed. Raise it only for an expensive `buffered`
    /// (reflection).
    public var smallFeedStride: Int

    public init(
        maxBuffered: Int, buffered: @escaping @Sendable (Decoder) -> Int, smallFeedStride: Int = 1,
        frame: @escaping @Sendable (_ frame: ScaleFrame, _ offset: Int, _ bytes: [UInt8], _ previous: ScaleFrame?) -> Void
    ) {
        self.maxBuffered = maxBuffered
        self.buffered = buffered
        self.smallFeedStride = smallFeedStride
        self.frame = frame
    }
}

/// The count of a stored `[UInt8]` property found by reflection, for a decoder that has no
/// public accessor for its buffer. Fails loudly if the property is gone (renamed), so the
/// bound is never silently unchecked.
public func reflectedByteCount(_ value: Any, property: String) -> Int {
    for child in Mirror(reflecting: value).children where child.label == property {
        if let bytes = child.value as? [UInt8] { return bytes.count }
    }
    violation("\(type(of: value)) has no stored [UInt8] property `\(property)`: update the fuzz target")
}

/// Feeds `pieces` one `feed` at a time, checking the buffer bound after each call and that
/// `finish` empties it; returns all outputs.
func decode<Decoder: ScaleDecoder, Piece: Collection<UInt8>>(
    _ pieces: [Piece], _ check: DecoderCheck<Decoder>, _ how: String, stride: Int = 1
) -> [ScaleDecoderOutput] {
    var decoder = Decoder()
    var outputs: [ScaleDecoderOutput] = []
    var fed = 0
    for (index, piece) in pieces.enumerated() {
        outputs += decoder.feed(piece)
        fed += piece.count
        guard index % stride == 0 || index == pieces.count - 1 else { continue }
        let held = check.buffered(decoder)
        require(
            held <= check.maxBuffered,
            "\(Decoder.protocolName) (\(how)): holds \(held) bytes after \(fed) fed, bound is \(check.maxBuffered)")
    }
    outputs += decoder.finish()
    require(check.buffered(decoder) == 0, "\(Decoder.protocolName) (\(how)): bytes left after finish()")
    return outputs
}

func describe(_ outputs: [ScaleDecoderOutput], around index: Int) -> String {
    outputs.indices.filter { abs($0 - index) <= 1 }.map { "  [\($0)] \(outputs[$0])" }.joined(separator: "\n")
}

/// Runs `Decoder` over `bytes` fed whole, split in two at a point derived from the input,
/// in input-derived chunks of 1-32 bytes through a non-contiguous collection, and one byte
/// at a time with empty feeds in between. Every way must give the same outputs
/// (ScaleDecoder.swift: "`feed` accepts any split of the stream"); the buffer stays within
/// its bound after every call and is empty after `finish`; offsets are strictly increasing
/// and inside the input (so there are at most as many outputs as bytes); every frame
/// passes the common checks of the fact sheet 2.1 and the protocol's own.
/// Returns the outputs.
@discardableResult
public func checkDecoder<Decoder: ScaleDecoder>(_ bytes: [UInt8], _ check: DecoderCheck<Decoder>) -> [ScaleDecoderOutput] {
    var random = InputRandom(bytes)
    let name = Decoder.protocolName

    let whole = decode([bytes], check, "whole")
    require(whole == Decoder.decodeAll(bytes), "\(name): decodeAll differs from feed + finish")
    checkOutputs(whole, bytes, check)

    let cut = random.below(bytes.count + 1)
    let split = decode([bytes[..<cut], bytes[cut...]], check, "split at \(cut)")
    compare(whole, split, "split at \(cut)", name)

    var chunks: [NonContiguousBytes] = []
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + 1 + random.below(32))
        chunks.append(NonContiguousBytes(bytes[start..<end]))
        start = end
    }
    compare(whole, decode(chunks, check, "chunks of 1-32", stride: check.smallFeedStride), "chunks of 1-32 (non-contiguous)", name)

    compare(whole, decode([NonContiguousBytes(bytes[...])], check, "whole, non-contiguous"), "whole, non-contiguous", name)

    var single: [ArraySlice<UInt8>] = []
    single.reserveCapacity(bytes.count + bytes.count / 8 + 1)
    for index in bytes.indices {
        if index % 8 == 0 { single.append([]) }
        single.append(bytes[index...index])
    }
    compare(whole, decode(single, check, "one byte at a time", stride: check.smallFeedStride), "one byte at a time", name)
    return whole
}

func compare(_ expected: [ScaleDecoderOutput], _ actual: [ScaleDecoderOutput], _ how: String, _ name: String) {
    guard expected != actual else { return }
    let index = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? min(expected.count, actual.count)
    violation(
        """
        \(name): fed \(how), the outputs differ from feeding it whole (\(actual.count) vs \(expected.count) outputs), \
        first at output \(index)
        whole:
        \(describe(expected, around: index))
        \(how):
        \(describe(actual, around: index))
        """)
}

/// Checks on a decoder's complete output for `bytes`.
func checkOutputs<Decoder: ScaleDecoder>(_ outputs: [ScaleDecoderOutput], _ bytes: [UInt8], _ check: DecoderCheck<Decoder>) {
    let name = Decoder.protocolName
    require(outputs.count <= bytes.count, "\(name): \(outputs.count) outputs for \(bytes.count) bytes")
    var lastOffset = -1
    var previous: ScaleFrame?
    for (index, output) in outputs.enumerated() {
        let offset: Int
        switch output {
        case .frame(_, let at), .error(_, let at): offset = at
        }
        require(offset >= 0 && offset < bytes.count, "\(name): output \(index) at offset \(offset), input has \(bytes.count) bytes")
        require(offset > lastOffset, "\(name): output \(index) at offset \(offset) after one at \(lastOffset)\n\(describe(outputs, around: index))")
        lastOffset = offset
        if case .frame(let frame, _) = output {
            checkCommon(frame, name: name)
            check.frame(frame, offset, bytes, previous)
            previous = frame
        }
    }
}

/// Fact sheet 2.1-2.4: the members every frame must satisfy whatever the protocol.
public func checkCommon(_ frame: ScaleFrame, name: String) {
    let maxSafe = JSONValue.maxSafeInteger
    require(frame.protocolName == name, "frame of \(name) names \(frame.protocolName)")
    require(frame.weight.value.magnitude <= maxSafe.magnitude, "\(name): weight \(frame.weight.value) mg beyond 2^53-1")
    if let tare = frame.tare {
        require(tare.value >= 0 && tare.value <= maxSafe, "\(name): tare \(tare.value) mg")
    }
    if let price = frame.unitPriceFenPerKg {
        require(price.value >= 0 && price.value <= maxSafe, "\(name): unit price \(price.value) fen")
    }
    if let total = frame.total {
        require(total.value >= 0 && total.value <= maxSafe, "\(name): total \(total.value) fen")
    }
    if let plu = frame.plu {
        require(plu >= 0 && plu <= maxSafe, "\(name): plu \(plu)")
    }
}

/// Fact sheet 2.1: a state frame (no weight value) has weight 0 and is not stable.
public func requireStateFrame(_ frame: ScaleFrame, _ what: String) {
    require(frame.weight.value == 0 && !frame.stable, "\(frame.protocolName): \(what) must be a state frame (weight 0, not stable): \(frame)")
}

/// Requires that the members a protocol does not carry are absent.
public func requireAbsent(
    _ frame: ScaleFrame, tare: Bool = true, unitPrice: Bool = true, total: Bool = true, plu: Bool = true
) {
    let name = frame.protocolName
    if tare { require(frame.tare == nil, "\(name) carries no tare: \(frame)") }
    if unitPrice { require(frame.unitPriceFenPerKg == nil, "\(name) carries no unit price: \(frame)") }
    if total { require(frame.total == nil, "\(name) carries no total: \(frame)") }
    if plu { require(frame.plu == nil, "\(name) carries no PLU: \(frame)") }
}

/// The byte at `index`, or nil past the end.
public func byte(_ bytes: [UInt8], _ index: Int) -> UInt8? {
    index >= 0 && index < bytes.count ? bytes[index] : nil
}

/// The sign of a weight that a sign character says: `negative` means ≤ 0, else ≥ 0.
public func requireSign(_ frame: ScaleFrame, negative: Bool) {
    if negative {
        require(frame.weight.value <= 0, "\(frame.protocolName): negative sign but weight \(frame.weight.value): \(frame)")
    } else {
        require(frame.weight.value >= 0, "\(frame.protocolName): no minus sign but weight \(frame.weight.value): \(frame)")
    }
}
