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

extension Milligrams {
    /// Parses a kilogram string (`1.234`, `0.5`, `-0.010`) exactly: at most six decimals.
    public init?(parsingKilograms text: String) {
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty || parts.count == 2,
            whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber), whole.count <= 9
        else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 6, fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber) else { return nil }
        let padded = fraction + String(repeating: "0", count: 6 - fraction.count)
        guard let kilograms = Int64(whole.isEmpty ? "0" : String(whole)), let milligrams = Int64(padded) else { return nil }
        let value = kilograms * 1_000_000 + milligrams
        self.init(negative ? -value : value)
    }
}
