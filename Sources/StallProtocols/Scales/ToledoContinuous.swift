import StallCore

/// Mettler Toledo standard continuous output (firmware-protocols/toledo-continuous/SPEC.md).
///
/// Input: the bytes the UART delivers, in reads of any size, possibly starting mid-frame,
/// with noise between frames. A frame is STX, status words A B C, six weight digits, six
/// tare digits (absent in the short variant), CR, then an optional checksum and an
/// optional LF. Digits may be spaces (leading zeros sent as spaces).
///
/// Resync rule: hunt for STX; a candidate that breaks the layout is reported and hunting
/// resumes at the byte after its STX. A frame without checksum is accepted only when the
/// next STX (or the end of input) follows it, so noise after a frame rejects it.
///
/// Error lines: a maximal run of bytes that starts no accepted frame is one error line at
/// the run's first byte; a well-formed frame in a unit we cannot convert (status C codes
/// 4-7) is one `unsupported_unit` line at its STX.
public struct ToledoContinuousDecoder: ScaleDecoder {
    public static let protocolName = "toledo-continuous"

    static let stx: UInt8 = 0x02
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A

    /// Bytes not yet decided; `buffer[0]` is at stream offset `bufferOffset`.
    private var buffer: [UInt8] = []
    private var bufferOffset = 0
    /// Start and reason of the run of rejected bytes being collected into one error line.
    private var errorRun = ErrorRun()

    public init() {}

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput] {
        buffer.append(contentsOf: bytes)
        return drain(atEnd: false)
    }

    public mutating func finish() -> [ScaleDecoderOutput] {
        var out = drain(atEnd: true)
        errorRun.flush(into: &out)
        buffer.removeAll()
        return out
    }

    private mutating func drain(atEnd: Bool) -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        var index = 0
        scan: while index < buffer.count {
            guard buffer[index] == Self.stx else {
                errorRun.note(at: bufferOffset + index, .garbage)
                index += 1
                continue
            }
            switch Self.candidate(buffer, at: index, atEnd: atEnd) {
            case .needMore:
                break scan
            case .rejected(let reason):
                errorRun.note(at: bufferOffset + index, reason)
                index += 1
            case .accepted(let frame, let length):
                errorRun.flush(into: &out)
                out.append(.frame(frame, offset: bufferOffset + index))
                index += length
            case .unsupportedUnit(let length):
                errorRun.flush(into: &out)
                out.append(.error(.unsupportedUnit, offset: bufferOffset + index))
                index += length
            }
        }
        buffer.removeFirst(index)
        bufferOffset += index
        return out
    }

    enum Candidate {
        case needMore
        case rejected(ScaleDecodeError)
        case accepted(ScaleFrame, length: Int)
        case unsupportedUnit(length: Int)
    }

    static func isDigitOrSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x30 && byte <= 0x39)
    }

    /// Decides the candidate frame whose STX is at `start` (rules 1-7 of SPEC.md).
    static func candidate(_ bytes: [UInt8], at start: Int, atEnd: Bool) -> Candidate {
        // Rule 1: layout. Positions are relative to the STX.
        func byte(_ position: Int) -> UInt8? {
            start + position < bytes.count ? bytes[start + position] : nil
        }
        let ending: Candidate = atEnd ? .rejected(.truncated) : .needMore
        for position in 4...9 {
            guard let value = byte(position) else { return ending }
            guard isDigitOrSpace(value) else { return .rejected(.badField) }
        }
        guard let tenth = byte(10) else { return ending }
        let crPosition: Int
        if tenth == cr {
            crPosition = 10
        } else {
            for position in 10...15 {
                guard let value = byte(position) else { return ending }
                guard isDigitOrSpace(value) else { return .rejected(.badField) }
            }
            guard let sixteenth = byte(16) else { return ending }
            guard sixteenth == cr else { return .rejected(.badTerminator) }
            crPosition = 16
        }

        // Rule 2: checksum and terminator.
        let length: Int
        if let after = byte(crPosition + 1) {
            let sum = bytes[start...(start + crPosition)].reduce(0) { $0 &+ Int($1) }
            let checksum = UInt8((-sum) & 0x7F)
            if after == stx {
                length = crPosition + 1
            } else if after & 0x7F == checksum {
                if let next = byte(crPosition + 2) {
                    length = next == lf ? crPosition + 3 : crPosition + 2
                } else if atEnd {
                    length = crPosition + 2
                } else {
                    return .needMore
                }
            } else if after == lf {
                if let next = byte(crPosition + 2) {
                    guard next == stx else { return .rejected(.badTerminator) }
                } else if !atEnd {
                    return .needMore
                }
                length = crPosition + 2
            } else {
                return .rejected(.badChecksum)
            }
        } else if atEnd {
            length = crPosition + 1
        } else {
            return .needMore
        }

        let statusA = bytes[start + 1] & 0x7F
        let statusB = bytes[start + 2] & 0x7F
        let statusC = bytes[start + 3] & 0x7F

        // Rules 3 and 4: layout family and unit.
        let unit: WeightUnit
        let cloneLayout = statusA & 0x20 == 0 && statusA & 0x40 != 0
        if cloneLayout {
            unit = statusC & 0x01 != 0 ? .pound : .kilogram
        } else {
            switch statusC & 0x07 {
            case 0: unit = statusB & 0x10 != 0 ? .kilogram : .pound
            case 1: unit = .gram
            case 2: unit = .tonne
            case 3: unit = .ounce
            default: return .unsupportedUnit(length: length)
            }
        }

        // Rule 5: value and decimal point.
        let code = Int(statusA & 0x07)
        let decimals = code <= 2 ? 0 : code - 2
        func digits(_ range: ClosedRange<Int>) -> Int64 {
            range.reduce(Int64(0)) { value, position in
                let char = bytes[start + position]
                return value * 10 + (char == 0x20 ? 0 : Int64(char - 0x30))
            }
        }
        guard let magnitude = unit.milligrams(digits: digits(4...9), decimals: decimals) else {
            return .rejected(.badField)
        }
        var tare: Milligrams?
        if crPosition == 16 {
            guard let tareValue = unit.milligrams(digits: digits(10...15), decimals: decimals) else {
                return .rejected(.badField)
            }
            tare = tareValue
        }

        // Rule 6: sign and flags.
        let frame = ScaleFrame(
            protocolName: protocolName,
            weight: statusB & 0x02 != 0 ? Milligrams(-magnitude.value) : magnitude,
            stable: statusB & 0x08 == 0,
            net: statusB & 0x01 != 0,
            overload: statusB & 0x04 != 0,
            tare: tare
        )
        return .accepted(frame, length: length)
    }
}

extension ToledoContinuousDecoder {
    /// Builds a frame as a Mettler indicator sends it; used by the simulator and tests.
    /// `decimalCode` is status A bits 0-2; weights are in `unit` steps of the display.
    public static func encode(
        displayDigits: Int64, tareDigits: Int64? = nil, decimalCode: UInt8 = 5, kilograms: Bool = true,
        negative: Bool = false, motion: Bool = false, net: Bool = false, overload: Bool = false,
        checksum: Bool = true
    ) -> [UInt8] {
        let statusA: UInt8 = 0x20 | 0x08 | (decimalCode & 0x07)  // count-by 1
        var statusB: UInt8 = 0x20
        if net { statusB |= 0x01 }
        if negative { statusB |= 0x02 }
        if overload { statusB |= 0x04 }
        if motion { statusB |= 0x08 }
        if kilograms { statusB |= 0x10 }
        let statusC: UInt8 = 0x20
        func field(_ value: Int64) -> [UInt8] {
            let text = String(value.magnitude % 1_000_000)
            return Array((String(repeating: "0", count: 6 - text.count) + text).utf8)
        }
        var frame: [UInt8] = [stx, statusA, statusB, statusC] + field(displayDigits)
        if let tareDigits { frame += field(tareDigits) }
        frame.append(cr)
        if checksum {
            let sum = frame.reduce(0) { $0 &+ Int($1) }
            frame.append(UInt8((-sum) & 0x7F))
        }
        return frame
    }
}
