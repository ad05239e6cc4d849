import FuzzCheck
import StallCore
import StallProtocols

// toledo-8217 (firmware-protocols/toledo-8217/SPEC.md).
let stx: UInt8 = 0x02
let cr: UInt8 = 0x0D

let check = DecoderCheck<Toledo8217Decoder>(
    maxBuffered: Toledo8217Decoder.longestReply - 1,
    buffered: { $0.bufferedByteCount },
    frame: { frame, offset, bytes, _ in
        require(bytes[offset] == stx, "frame at \(offset) does not start with STX")
        // Rule 1: the reply ends at the first CR within STX+1 ... STX+10.
        guard let crIndex = (offset + 1...offset + 10).first(where: { byte(bytes, $0) == cr }) else {
            violation("frame at \(offset) has no CR within 10 bytes")
        }
        let content = bytes[(offset + 1)..<crIndex]
        if content.count == 2, content.first == UInt8(ascii: "?") {
            // Rule 2: a status reply; bit 1 over capacity, bit 5 net; under zero is no overload.
            let status = content[content.startIndex + 1]
            requireStateFrame(frame, "status reply")
            require(frame.overload == (status & 0x02 != 0), "overload is not status bit 1: \(frame)")
            require(frame.net == (status & 0x20 != 0), "net is not status bit 5: \(frame)")
        } else {
            // Rule 3: a weight reply is stable, never overloaded, has no sign, net iff `N` last.
            require(frame.stable && !frame.overload, "weight reply must be stable, not overload: \(frame)")
            require(frame.weight.value >= 0, "weight reply has no sign: \(frame)")
            require(frame.net == (content.last == UInt8(ascii: "N")), "net is not the trailing N: \(frame)")
        }
        requireAbsent(frame)
    })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    checkDecoder(fuzzInput(start, count), check)
    return 0
}
