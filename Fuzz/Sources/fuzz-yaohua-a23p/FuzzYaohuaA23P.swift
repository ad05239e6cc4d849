import FuzzCheck
import StallCore
import StallProtocols

// yaohua-a23p (firmware-protocols/yaohua-a23p/SPEC.md).
let stx: UInt8 = 0x02
let etx: UInt8 = 0x03

let check = DecoderCheck<YaohuaA23PDecoder>(
    maxBuffered: YaohuaA23PDecoder.longestFrame,
    buffered: { $0.bufferedByteCount },
    frame: { frame, offset, bytes, previous in
        // Rule 4: no net, no overload; stable exactly when the weight repeats the previous
        // frame's (the first frame is not stable; error lines and `pc` frames do not count).
        require(!frame.net && !frame.overload, "yaohua-a23p carries neither net nor overload: \(frame)")
        require(
            frame.stable == (previous.map { $0.weight == frame.weight } ?? false),
            "stable \(frame.stable) but previous weight \(previous.map { "\($0.weight.value)" } ?? "none"): \(frame)")
        requireAbsent(frame, unitPrice: false, total: false)
        switch bytes[offset] {
        case UInt8(ascii: "="):
            // Format P: 27 bytes, `;` at 11 and 19; the amount always, the price only per kg.
            require(offset + 27 <= bytes.count, "format P frame at \(offset) shorter than 27 bytes")
            require(bytes[offset + 11] == UInt8(ascii: ";") && bytes[offset + 19] == UInt8(ascii: ";"), "format P without `;`")
            require(frame.total != nil, "format P frame without amount: \(frame)")
            let unit = [bytes[offset + 9], bytes[offset + 10]]
            switch unit {
            case Array("kg".utf8): require(frame.unitPriceFenPerKg != nil, "kg frame without unit price: \(frame)")
            case Array("lb".utf8): require(frame.unitPriceFenPerKg == nil, "lb frame with a per-kg price: \(frame)")
            default: violation("format P frame at \(offset) in unit \(unit.map(hexByte)) (pc is counting, no frame)")
            }
            requireSign(frame, negative: bytes[offset + 1] == UInt8(ascii: "-"))
        case stx:
            // Format X: 12 bytes ending with ETX; weight only.
            require(offset + 12 <= bytes.count && bytes[offset + 11] == etx, "format X frame at \(offset) without ETX at 11")
            require(frame.total == nil && frame.unitPriceFenPerKg == nil, "format X carries no money: \(frame)")
            requireSign(frame, negative: bytes[offset + 1] == UInt8(ascii: "-"))
        default:
            violation("frame at \(offset) starts with \(hexByte(bytes[offset])), neither `=` nor STX")
        }
    })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    checkDecoder(fuzzInput(start, count), check)
    return 0
}
