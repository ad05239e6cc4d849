import FuzzCheck
import StallCore
import StallProtocols

// AutoDecode (Sources/StallProtocols/Scales/AutoDecode.swift; fact sheet 9.1): checked
// against an independent reading of the rule. Every decoder over the whole input; the
// most frames wins; on a tie the earlier protocol in the sheet's order; its outputs are
// printed. The registry's order must not matter, so a permutation derived from the input
// must give the same result.

func frameCount(_ outputs: [ScaleDecoderOutput]) -> Int {
    outputs.reduce(0) { count, output in if case .frame = output { count + 1 } else { count } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzInput(start, count)
    let all = ScaleProtocols.all
    require(
        AutoDecode.tieOrder.count == all.count && Set(AutoDecode.tieOrder) == Set(ScaleProtocols.names),
        "the tie order \(AutoDecode.tieOrder) does not rank every registered protocol \(ScaleProtocols.names) once")

    var expected: (name: String, frames: Int, outputs: [ScaleDecoderOutput])?
    for name in AutoDecode.tieOrder {
        guard let decoder = ScaleProtocols.decoder(named: name) else { violation("\(name) is not registered") }
        let outputs = decoder.decodeAll(bytes)
        let frames = frameCount(outputs)
        if expected == nil || frames > expected!.frames { expected = (name, frames, outputs) }
    }
    guard let expected else { violation("no protocol registered") }

    let auto = AutoDecode.decode(bytes)
    require(
        auto == expected.outputs,
        "AutoDecode chose \(auto.first.map { "\($0)" } ?? "nothing") with \(frameCount(auto)) frames, expected \(expected.name) with \(expected.frames)")
    for output in auto {
        if case .frame(let frame, _) = output {
            checkCommon(frame, name: expected.name)
        }
    }

    var random = InputRandom(bytes)
    var shuffled = all
    for index in shuffled.indices.reversed() where index > 0 {
        shuffled.swapAt(index, random.below(index + 1))
    }
    let reordered = AutoDecode.decode(bytes, protocols: shuffled)
    require(
        reordered == auto,
        "AutoDecode depends on the registry order: \(shuffled.map { $0.protocolName }) gives \(frameCount(reordered)) frames")
    return 0
}
