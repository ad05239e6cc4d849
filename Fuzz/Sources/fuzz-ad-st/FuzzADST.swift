import FuzzCheck
import StallCore
import StallProtocols

// ad-st (firmware-protocols/ad-st/SPEC.md).
let check = DecoderCheck<ADSTDecoder>(
    maxBuffered: 2 * ADSTDecoder.longestFrame,
    buffered: { $0.bufferedByteCount },
    frame: { frame, offset, bytes, _ in
        // Rule 2: the frame starts at a header 1 and its comma; it is judged when its piece
        // ends at CR or LF, at most 64 bytes on (C1).
        guard let first = byte(bytes, offset), let second = byte(bytes, offset + 1), byte(bytes, offset + 2) == 0x2C else {
            violation("frame at \(offset) does not start with `XX,`")
        }
        guard let end = bytes[offset...].firstIndex(where: { $0 == 0x0D || $0 == 0x0A }) else {
            violation("frame at \(offset) has no CR or LF after it")
        }
        require(end - offset <= ADSTDecoder.longestFrame, "frame at \(offset) spans \(end - offset) bytes")
        switch (first, second) {
        case (UInt8(ascii: "S"), UInt8(ascii: "T")): require(frame.stable && !frame.overload, "ST: stable: \(frame)")
        case (UInt8(ascii: "U"), UInt8(ascii: "S")): require(!frame.stable && !frame.overload, "US: not stable: \(frame)")
        case (UInt8(ascii: "O"), UInt8(ascii: "L")), (UInt8(ascii: "U"), UInt8(ascii: "L")):
            require(frame.overload, "OL/UL is overload: \(frame)")
            requireStateFrame(frame, "OL/UL")
        default: violation("frame at \(offset) with header \(hexByte(first)) \(hexByte(second)) (QT is silent)")
        }
        // Rule 3: net exactly when header 2 is `NT`.
        let header2 = Array(bytes[(offset + 3)..<min(offset + 6, bytes.count)])
        require(frame.net == (header2 == Array("NT,".utf8)), "net is not header 2 NT: \(frame)")
        if frame.weight.value < 0 {
            require(bytes[offset..<end].contains(UInt8(ascii: "-")), "negative weight without `-`: \(frame)")
        }
        requireAbsent(frame)
    })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    checkDecoder(fuzzInput(start, count), check)
    return 0
}
