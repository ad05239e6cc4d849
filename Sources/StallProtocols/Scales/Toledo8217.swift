import StallCore

/// Mettler Toledo 8217 polled protocol (firmware-protocols/toledo-8217/SPEC.md; fact sheet
/// section 4).
///
/// Input: the scale's replies only, as the UART delivers them, in reads of any size. A
/// reply is STX, at most nine content bytes, CR: a weight (`01.234`, `001.50N`,
/// ` 0.50lb`), a status (`?` and one status byte), or an acknowledgement (`E`, empty).
/// There is no checksum.
///
/// Resync rule (SPEC.md rules 1 and 5): hunt for STX; the candidate at an STX ends at the
/// first CR within the next ten bytes. No CR there, or content that matches no rule, and
/// the candidate is rejected and hunting resumes at the byte after its STX.
///
/// Error lines (SPEC.md section 10): a maximal run of bytes that starts no accepted reply is
/// one error line at the run's first byte. Acknowledgements print nothing but end a run.
///
/// Memory: only the bytes of the undecided candidate are kept, fewer than
/// `longestReply` (STX + 9 + CR) after every `feed`, whatever arrives.
public struct Toledo8217Decoder: ScaleDecoder {
    public static let protocolName = "toledo-8217"

    static let stx: UInt8 = 0x02
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    /// Rule 1: the CR lies within STX+1 ... STX+10, so a reply is at most 11 bytes.
    static let crWindow = 10
    public static let longestReply = crWindow + 1

    /// The undecided candidate: `window[0]` is an STX at stream offset `windowOffset`, and
    /// no CR follows it yet. When empty, `windowOffset` is the offset of the next byte.
    private var window: [UInt8] = []
    private var windowOffset = 0
    /// Start and reason of the run of rejected bytes being collected into one error line.
    private var errorRun = ErrorRun()

    /// Bytes held back for the next `feed`; always below `longestReply` between calls.
    public var bufferedByteCount: Int { window.count }

    public init() {
        window.reserveCapacity(Self.longestReply)
    }

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        for byte in bytes {
            if window.isEmpty {
                // Hunting: bytes before an STX are garbage (rule 5), consumed at once.
                if byte == Self.stx {
                    window.append(byte)
                } else {
                    errorRun.note(at: windowOffset, .garbage)
                    windowOffset += 1
                }
                continue
            }
            window.append(byte)
            // The candidate at window[0] can only be decided by a CR or a full window.
            if byte == Self.cr || window.count == Self.longestReply {
                settle(into: &out, atEnd: false)
            }
        }
        return out
    }

    public mutating func finish() -> [ScaleDecoderOutput] {
        var out: [ScaleDecoderOutput] = []
        settle(into: &out, atEnd: true)
        errorRun.flush(into: &out)
        return out
    }

    /// Decides every candidate the window allows: the first STX's, and after a rejection
    /// the next STX's inside the same bytes. Leaves an STX with no CR after it (or nothing).
    private mutating func settle(into out: inout [ScaleDecoderOutput], atEnd: Bool) {
        var start = 0
        while start < window.count {
            guard window[start] == Self.stx else {
                errorRun.note(at: windowOffset + start, .garbage)
                start += 1
                continue
            }
            let last = min(start + Self.crWindow, window.count - 1)
            var crIndex: Int?
            var index = start + 1
            while index <= last {
                if window[index] == Self.cr {
                    crIndex = index
                    break
                }
                index += 1
            }
            guard let crIndex else {
                if start + Self.crWindow < window.count {
                    errorRun.note(at: windowOffset + start, .badTerminator)
                } else if atEnd {
                    errorRun.note(at: windowOffset + start, .truncated)
                } else {
                    break  // wait for more bytes
                }
                start += 1
                continue
            }
            switch Self.reply(window[(start + 1)..<crIndex]) {
            case .frame(let frame):
                errorRun.flush(into: &out)
                out.append(.frame(frame, offset: windowOffset + start))
                start = crIndex + 1
            case .acknowledgement:
                errorRun.flush(into: &out)
                start = crIndex + 1
            case .rejected:
                errorRun.note(at: windowOffset + start, .badField)
                start += 1
            }
        }
        window.removeFirst(start)
        windowOffset += start
    }

    enum Reply: Equatable {
        case frame(ScaleFrame)
        /// `STX E CR` (echo mode entered) or `STX CR` (confidence test started): rule 4.
        case acknowledgement
        case rejected
    }

    /// Rules 2-5 on the bytes between STX and CR.
    static func reply(_ content: ArraySlice<UInt8>) -> Reply {
        if content.isEmpty || content.elementsEqual([UInt8(ascii: "E")]) {
            return .acknowledgement
        }
        if content.count == 2, content.first == UInt8(ascii: "?") {
            // Rule 2: Mettler's meanings; under zero (bit 2) is not an overload.
            let status = Status(rawValue: content[content.startIndex + 1])
            return .frame(
                ScaleFrame(
                    protocolName: protocolName, weight: Milligrams(0), stable: false,
                    net: status.contains(.netMode), overload: status.contains(.overCapacity)))
        }
        return weightFrame(content).map(Reply.frame) ?? .rejected
    }

    /// Rule 3: spaces, digits with at most one point, optionally (spaces, unit, spaces),
    /// optionally `N`, and nothing else. A reply without a unit is in kg.
    static func weightFrame(_ content: ArraySlice<UInt8>) -> ScaleFrame? {
        var index = content.startIndex
        let end = content.endIndex
        while index < end, content[index] == space { index += 1 }

        var digits: Int64 = 0
        var digitCount = 0
        var decimals = 0
        var sawPoint = false
        while index < end {
            let byte = content[index]
            if byte >= 0x30, byte <= 0x39 {
                digits = digits * 10 + Int64(byte - 0x30)  // at most 9 digits: no overflow
                digitCount += 1
                if sawPoint { decimals += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard digitCount > 0 else { return nil }

        var unit = WeightUnit.kilogram
        var afterUnit = index
        while afterUnit < end, content[afterUnit] == space { afterUnit += 1 }
        if let (suffixUnit, length) = unitSuffix(content[afterUnit...]) {
            unit = suffixUnit
            index = afterUnit + length
            while index < end, content[index] == space { index += 1 }
        }
        // Without a unit the spaces are not consumed: `01.234 N` is rejected.

        var net = false
        if index < end, content[index] == UInt8(ascii: "N") {
            net = true
            index += 1
        }
        guard index == end, let weight = unit.milligrams(digits: digits, decimals: decimals) else { return nil }
        return ScaleFrame(protocolName: protocolName, weight: weight, stable: true, net: net, overload: false)
    }

    /// The lower-case unit names of [S36] at the start of `bytes`, with their length.
    static func unitSuffix(_ bytes: ArraySlice<UInt8>) -> (WeightUnit, Int)? {
        guard let first = bytes.first else { return nil }
        let second = bytes.dropFirst().first
        switch (first, second) {
        case (UInt8(ascii: "l"), UInt8(ascii: "b")): return (.pound, 2)
        case (UInt8(ascii: "o"), UInt8(ascii: "z")): return (.ounce, 2)
        case (UInt8(ascii: "k"), UInt8(ascii: "g")): return (.kilogram, 2)
        case (UInt8(ascii: "g"), _): return (.gram, 1)
        default: return nil
        }
    }
}

extension Toledo8217Decoder {
    /// The status byte `s` of a `STX ? s CR` reply (SPEC.md 4.3, DIVA manual [S10]).
    public struct Status: OptionSet, Hashable, Sendable {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let motion = Status(rawValue: 0x01)
        public static let overCapacity = Status(rawValue: 0x02)
        public static let underZero = Status(rawValue: 0x04)
        public static let outsideZeroCaptureRange = Status(rawValue: 0x08)
        public static let centreOfZero = Status(rawValue: 0x10)
        /// Mettler's meaning; BenchPro-style clones hold this bit at 1 [S36].
        public static let netMode = Status(rawValue: 0x20)
        /// Always 1 on the DIVA [S10].
        public static let alwaysOne = Status(rawValue: 0x40)
    }

    /// `STX ? s CR`; bit 6 is set as the DIVA always sends it.
    public static func encodeStatusReply(_ status: Status) -> [UInt8] {
        [stx, UInt8(ascii: "?"), status.union(.alwaysOne).rawValue, cr]
    }

    /// `STX WW.WWW CR` (or with `N` before CR for net), the DIVA's kg reply, from whole
    /// grams 0 ... 99 999.
    public static func encodeKilogramReply(grams: Int64, net: Bool = false) -> [UInt8] {
        precondition((0...99_999).contains(grams), "WW.WWW holds 0 ... 99.999 kg")
        let digits = Array(String(grams).utf8)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: 5 - digits.count) + digits
        return [stx] + padded[0..<2] + [UInt8(ascii: ".")] + padded[2..<5] + (net ? [UInt8(ascii: "N")] : []) + [cr]
    }
}
