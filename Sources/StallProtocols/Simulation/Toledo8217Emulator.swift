import StallCore

/// A Mettler Toledo retail scale (DIVA / Viva / Ariva-S) in 8217 mode, kg, at 9600 7E1
/// (firmware-protocols/toledo-8217/SPEC.md section 8). It never speaks unasked; it reads the
/// host's bytes one at a time, as the real scale takes one-character commands:
///
/// - `W`: `STX WW.WWW CR` when the reading is stable and within 0 ... capacity; otherwise
///   the status form `STX ? s CR` with motion, under zero or over capacity set ([S10]: a
///   weight is never negative);
/// - `Z`, `T`, `C` (zero, tare, clear tare) and `B` (confidence test result): the status
///   form. The display follows the weighing script, so these do not change later readings;
/// - `A` (confidence test start): `STX CR`;
/// - `E`: `STX E CR`, then every byte received is echoed until `F`, which ends echo mode
///   and is not echoed (Odoo's probe [S9]: `Ehello` → `02 45 0D 68 65 6C 6C 6F`);
/// - anything else (CR, LF, `S`, `I`, `Q`, `?`, digits, ENQ, DC1, ...) is ignored, as the
///   scale ignores commands it does not know. The other families' probes therefore get no
///   answer, except that the A&D `?WT` CR LF holds the 8217's own `W` and `T`, which it
///   answers like any `W` and `T`.
public struct Toledo8217Emulator: ScaleEmulator {
    public static let protocolName = Toledo8217Decoder.protocolName

    /// Above this the scale reports over capacity. The default is the most the `WW.WWW`
    /// reply can carry (a larger value is capped there); a 15 kg DIVA would set 15 kg.
    public var capacity = Milligrams(99_999_000)
    /// Between `E` and `F`.
    public private(set) var echoing = false

    public init() {}

    public mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] { [] }

    public mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] {
        var out: [UInt8] = []
        for byte in bytes {
            if echoing {
                if byte == UInt8(ascii: "F") {
                    echoing = false
                } else {
                    out.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "W"):
                out += weightReply(reading)
            case UInt8(ascii: "Z"), UInt8(ascii: "T"), UInt8(ascii: "C"), UInt8(ascii: "B"):
                out += Toledo8217Decoder.encodeStatusReply(status(reading))
            case UInt8(ascii: "A"):
                out += [Toledo8217Decoder.stx, Toledo8217Decoder.cr]
            case UInt8(ascii: "E"):
                echoing = true
                out += [Toledo8217Decoder.stx, UInt8(ascii: "E"), Toledo8217Decoder.cr]
            default:
                break
            }
        }
        return out
    }

    /// 99.999 kg, the most `WW.WWW` holds.
    static let largestReplyGrams: Int64 = 99_999

    /// The reading in whole grams, rounded half away from zero (the display resolution).
    static func grams(_ weight: Milligrams) -> Int64 {
        let rounded = (weight.value.magnitude + 500) / 1000
        return weight.value < 0 ? -Int64(rounded) : Int64(rounded)
    }

    func status(_ reading: WeighingScript.Reading) -> Toledo8217Decoder.Status {
        var status: Toledo8217Decoder.Status = []
        let grams = Self.grams(reading.weight)
        if reading.motion { status.insert(.motion) }
        if grams > min(Self.grams(capacity), Self.largestReplyGrams) { status.insert(.overCapacity) }
        if grams < 0 { status.insert(.underZero) }
        if grams == 0 { status.insert(.centreOfZero) }
        return status
    }

    func weightReply(_ reading: WeighingScript.Reading) -> [UInt8] {
        let status = status(reading)
        if !status.isDisjoint(with: [.motion, .overCapacity, .underZero]) {
            return Toledo8217Decoder.encodeStatusReply(status)
        }
        return Toledo8217Decoder.encodeKilogramReply(grams: Self.grams(reading.weight))
    }
}
