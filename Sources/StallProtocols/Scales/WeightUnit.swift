import StallCore

/// A unit of mass a scale may send, with its exact size in milligrams as a fraction
/// (reference/scale-protocols.md 2.3). Conversion is integer arithmetic only.
public struct WeightUnit: Hashable, Sendable {
    public var name: String
    /// Milligrams per unit = numerator / denominator, exactly.
    public var numerator: Int64
    public var denominator: Int64

    public static let kilogram = WeightUnit(name: "kg", numerator: 1_000_000, denominator: 1)
    public static let gram = WeightUnit(name: "g", numerator: 1_000, denominator: 1)
    public static let milligram = WeightUnit(name: "mg", numerator: 1, denominator: 1)
    public static let tonne = WeightUnit(name: "t", numerator: 1_000_000_000, denominator: 1)
    public static let jin = WeightUnit(name: "SJ", numerator: 500_000, denominator: 1)
    public static let liang = WeightUnit(name: "liang", numerator: 50_000, denominator: 1)
    public static let taiwanCatty = WeightUnit(name: "TJ", numerator: 600_000, denominator: 1)
    public static let taiwanTael = WeightUnit(name: "TL", numerator: 37_500, denominator: 1)
    /// 1 lb = 453.59237 g exactly.
    public static let pound = WeightUnit(name: "lb", numerator: 45_359_237, denominator: 100)
    /// 1 oz = 28.349523125 g exactly.
    public static let ounce = WeightUnit(name: "oz", numerator: 28_349_523_125, denominator: 1_000_000)

    /// Converts `digits / 10^decimals` units to milligrams, rounding to the nearest
    /// milligram with halves away from zero. Returns nil if the result cannot be held
    /// (a display never sends such a number; the decoder rejects the frame).
    public func milligrams(digits: Int64, decimals: Int) -> Milligrams? {
        guard decimals >= 0, decimals <= 12 else { return nil }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let (numerator, overflowNum) = digits.magnitude.multipliedReportingOverflow(by: self.numerator.magnitude)
        let (denominator, overflowDen) = scale.magnitude.multipliedReportingOverflow(by: self.denominator.magnitude)
        guard !overflowNum, !overflowDen else { return nil }
        let twice = numerator.multipliedReportingOverflow(by: 2)
        guard !twice.overflow else { return nil }
        let rounded = (twice.partialValue + denominator) / (2 * denominator)
        guard rounded <= UInt64(JSONValue.maxSafeInteger) else { return nil }
        return Milligrams(digits < 0 ? -Int64(rounded) : Int64(rounded))
    }
}
