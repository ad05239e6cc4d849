import FuzzCheck
import StallCore
import StallProtocols

// mt-sics (firmware-protocols/mt-sics/SPEC.md).
let lf: UInt8 = 0x0A
let cr: UInt8 = 0x0D

let check = DecoderCheck<MTSICSDecoder>(
    maxBuffered: 2 * (MTSICSDecoder.longestFrame + 1),
    buffered: { $0.bufferedByteCount },
    frame: { frame, offset, bytes, _ in
        // Rules 2 and 3: `S` SP status ...; a frame is decided only when its line ends (LF).
        require(byte(bytes, offset) == UInt8(ascii: "S") && byte(bytes, offset + 1) == 0x20,
                "frame at \(offset) does not start with `S `")
        guard let lineEnd = bytes[offset...].firstIndex(of: lf) else { violation("frame at \(offset) has no LF after it") }
        let contentEnd = bytes[lineEnd - 1] == cr ? lineEnd - 1 : lineEnd
        // C1: a frame spans at most 64 bytes from its `S` to the end of the line.
        require(contentEnd - offset <= MTSICSDecoder.longestFrame, "frame at \(offset) spans \(contentEnd - offset) bytes")
        switch bytes[offset + 2] {
        case UInt8(ascii: "S"): require(frame.stable && !frame.overload, "status S: stable, no overload: \(frame)")
        case UInt8(ascii: "D"): require(!frame.stable && !frame.overload, "status D: not stable, no overload: \(frame)")
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            require(frame.overload, "S +/S - is overload: \(frame)")
            requireStateFrame(frame, "S +/S -")
        default: violation("frame at \(offset) with status byte \(hexByte(bytes[offset + 2]))")
        }
        if frame.weight.value < 0 {
            require(bytes[offset..<contentEnd].contains(UInt8(ascii: "-")), "negative weight without `-`: \(frame)")
        }
        require(!frame.net, "mt-sics never says net: \(frame)")
        requireAbsent(frame)
    })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    checkDecoder(fuzzInput(start, count), check)
    return 0
}
