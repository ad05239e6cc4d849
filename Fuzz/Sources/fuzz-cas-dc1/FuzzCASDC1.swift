import FuzzCheck
import StallCore
import StallProtocols

// cas-dc1 (firmware-protocols/cas-dc1/SPEC.md).
let soh: UInt8 = 0x01
let stx: UInt8 = 0x02
let etx: UInt8 = 0x03
let eot: UInt8 = 0x04
/// Rules 4 and 6 clarifications: at most 8 weight digits (kg is the largest unit), 13
/// price digits, 15 PLU digits.
let maxWeight: Int64 = 99_999_999 * 1_000_000
let maxMoney: Int64 = 9_999_999_999_999 * 100

let check = DecoderCheck<CASDC1Decoder>(
    maxBuffered: CASDC1Decoder.longestCandidate - 1,
    buffered: { $0.bufferedByteCount },
    frame: { frame, offset, bytes, _ in
        // Rules 1-3: SOH STX ... ETX EOT, within the longest candidate.
        require(byte(bytes, offset) == soh && byte(bytes, offset + 1) == stx, "frame at \(offset) does not start SOH STX")
        let last = min(bytes.count, offset + CASDC1Decoder.longestCandidate) - 1
        require(
            (offset + 2...max(offset + 2, last)).contains { byte(bytes, $0) == eot && byte(bytes, $0 - 1) == etx },
            "frame at \(offset): no ETX EOT within \(CASDC1Decoder.longestCandidate) bytes")
        // Rule 4: an F-filled weight is a state frame: weight 0, not stable, overload, no
        // unit so no per-kg price. Otherwise overload is false.
        if frame.overload {
            requireStateFrame(frame, "overload (F fill)")
            require(frame.unitPriceFenPerKg == nil, "state frame has no unit, so no per-kg price: \(frame)")
        }
        require(frame.weight.value.magnitude <= maxWeight.magnitude, "more than 8 weight digits: \(frame)")
        // Rule 6: prices at most 13 digits (the jin price is doubled), PLU at most 15.
        if let total = frame.total { require(total.value <= maxMoney, "total beyond 13 digits: \(frame)") }
        if let price = frame.unitPriceFenPerKg { require(price.value <= 2 * maxMoney, "price beyond 13 digits: \(frame)") }
        if let plu = frame.plu { require(plu <= 999_999_999_999_999, "PLU beyond 15 digits: \(frame)") }
        require(!frame.net, "cas-dc1 never says net: \(frame)")
        requireAbsent(frame, unitPrice: false, total: false, plu: false)
    })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    checkDecoder(fuzzInput(start, count), check)
    return 0
}
