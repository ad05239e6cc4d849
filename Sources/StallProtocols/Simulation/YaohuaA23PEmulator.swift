import StallCore

/// A Yaohua XK3190-A23P price-computing indicator at 9600 8N1 in continuous format 4
/// (format P; firmware-protocols/yaohua-a23p/SPEC.md section 8): at every display update it
/// sends one 27-byte frame `=` sign weight `kg` `;` unit price `;` amount, back to back with
/// no terminator, e.g. `=0001.234kg;0012.50;0015.43`.
///
/// - Weight: kg with three decimals, the reading rounded to the nearest gram (halves away
///   from zero), shown up to 999.999 kg (the most the 7-character field holds with three
///   decimals; beyond that the display stays at 999.999).
/// - Unit price: fixed, `unitPrice` yuan per kg (default 12.50).
/// - Amount: displayed grams × unit price, computed in integer fen and rounded to the
///   nearest fen, halves up: 1.234 kg × 12.50 = 15.425 yuan is sent as `0015.43`. Capped
///   at 9999.99 yuan, the most the field holds. A negative reading is sent with amount
///   `0000.00` (no source shows what the indicator does there; SPEC.md 8.2).
///
/// Format P carries no motion flag: the decoder derives `stable` from repetition (rule
/// 8.4.4), so a reading in motion shows up only as a weight that differs from the last.
///
/// In continuous mode the indicator does not listen to the host ([S26]: command mode is a
/// separate setting), so every host byte is ignored, including the prober's `W`,
/// `\r\nSI\r\n`, `Q\r\n`, `?WT\r\n`, ENQ and DC1.
public struct YaohuaA23PEmulator: ScaleEmulator {
    public static let protocolName = YaohuaA23PDecoder.protocolName

    /// The most the 7-character `dddd.dd` money fields hold.
    public static let largestFieldFen = Fen(999_999)
    /// The most the 7-character `ddd.ddd` weight field holds, in grams.
    public static let largestDisplayedGrams: Int64 = 999_999

    /// Price per kg the vendor keyed in.
    public var unitPrice: Fen

    public init() {
        self.init(unitPrice: Fen(1250))
    }

    public init(unitPrice: Fen) {
        precondition(unitPrice.value >= 0 && unitPrice <= Self.largestFieldFen, "the price field holds 0000.00 to 9999.99")
        self.unitPrice = unitPrice
    }

    public mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] {
        let grams = Self.displayedGrams(reading.weight)
        return YaohuaA23PDecoder.encodePriceFrame(
            weightDigits: Int64(grams.magnitude),
            weightDecimals: 3, negative: grams < 0, unit: .kilogram,
            unitPriceFen: unitPrice.value, amountFen: amount(grams: grams).value)
    }

    public mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] { [] }

    /// The reading as the display shows it: whole grams, halves away from zero, capped at
    /// ±999.999 kg.
    public static func displayedGrams(_ weight: Milligrams) -> Int64 {
        let grams = Int64((weight.value.magnitude + 500) / 1000)
        let shown = min(grams, largestDisplayedGrams)
        return weight.value < 0 ? -shown : shown
    }

    /// Amount for `grams` at the unit price: grams × fen per kg / 1000, halves up, 0 for a
    /// negative reading, capped at 9999.99 yuan.
    public func amount(grams: Int64) -> Fen {
        guard grams > 0 else { return Fen(0) }
        let fen = (2 * grams * unitPrice.value + 1000) / 2000
        return Fen(min(fen, Self.largestFieldFen.value))
    }
}
