/// A weight in milligrams, signed (a scale can read below zero). Never floating point.
public struct Milligrams: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public static func < (lhs: Milligrams, rhs: Milligrams) -> Bool { lhs.value < rhs.value }

    public var magnitude: Milligrams { Milligrams(Int64(value.magnitude)) }

    /// `1.234 kg` style with three decimals (gram resolution) for people.
    public var description: String {
        let grams = (value.magnitude + 500) / 1000
        let fraction = grams % 1000
        let padded = String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
        return "\(value < 0 ? "-" : "")\(grams / 1000).\(padded) kg"
    }
}
