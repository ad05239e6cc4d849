import FuzzCheck
import StallCore
import StallProtocols

// toledo-continuous (firmware-protocols/toledo-continuous/SPEC.md). The decoder has no
// public accessor for its buffer, so the bound is read from its `buffer` property by
// reflection: after every feed when fed whole or split in two, after every 7th feed (and
// the last) when fed in small chunks or byte by byte, as reflection costs more than the
// decoding. The longest frame is STX, status A B C, 6 weight digits, 6 tare digits, CR,
// checksum, LF: 19 bytes, and a candidate is always decided once all of them are there.
let longestFrame = 19
let stx: UInt8 = 0x02
let cr: UInt8 = 0x0D

let check = DecoderCheck<ToledoContinuousDecoder>(
    maxBuffered: longestFrame - 1,
    buffered: { reflectedByteCount($0, property: "buffer") },
    smallFeedStride: 7,
    frame: { frame, offset, bytes, _ in
        require(bytes[offset] == stx, "frame at \(offset) does not start with STX")
        // Rule 1: CR after 6 digits (short frame, no tare) or after 12 (tare carried).
        guard let tenth = byte(bytes, offset + 10) else { violation("frame at \(offset) shorter than 11 bytes") }
        if tenth == cr {
            require(frame.tare == nil, "short frame at \(offset) carries a tare: \(frame)")
        } else {
            require(byte(bytes, offset + 16) == cr, "frame at \(offset): no CR at position 10 or 16")
            require(frame.tare != nil, "full frame at \(offset) without tare: \(frame)")
        }
        // Rule 6: the flags are status B bits, bit 7 (parity) ignored; the tare is never
        // negative (checked in common); the sign applies to the weight only.
        let statusB = bytes[offset + 2] & 0x7F
        require(frame.stable == (statusB & 0x08 == 0), "stable is not NOT status B bit 3: \(frame)")
        require(frame.net == (statusB & 0x01 != 0), "net is not status B bit 0: \(frame)")
        require(frame.overload == (statusB & 0x04 != 0), "overload is not status B bit 2: \(frame)")
        requireSign(frame, negative: statusB & 0x02 != 0)
        requireAbsent(frame, tare: false)
    })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    checkDecoder(fuzzInput(start, count), check)
    return 0
}
