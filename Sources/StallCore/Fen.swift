/// An amount of money in fen (1 yuan = 100 fen). Money is never a floating-point number
/// anywhere in Stallbox: not in parsing, arithmetic, storage or records.
public struct Fen: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }

    public static func < (lhs: Fen, rhs: Fen) -> Bool { lhs.value < rhs.value }

    /// `12.50` style, two decimals always; negative amounts keep their sign.
    public var description: String {
        let magnitude = value.magnitude
        let fraction = magnitude % 100
        return "\(value < 0 ? "-" : "")\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension Fen {
    public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case notANumber(String)
        case tooManyDecimals(String)
        case tooManyDigits(String)

        public var description: String {
            switch self {
            case .empty: "the amount is empty"
            case .notANumber(let text): "'\(text)' is not an amount in yuan (digits with at most one '.', e.g. 12.50)"
            case .tooManyDecimals(let text): "'\(text)' has more than two decimals (a fen is the smallest unit)"
            case .tooManyDigits(let text): "'\(text)' has more than 15 digits before the point (far beyond any amount)"
            }
        }
    }

    /// Parses a yuan string (`12`, `12.5`, `12.50`) straight into fen, without any binary
    /// floating point: ASCII digits and one optional point; no sign, spaces or exponent.
    public init(parsingYuan text: String) throws(ParseError) {
        guard !text.isEmpty else { throw .empty }
        let bytes = Array(text.utf8)
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        var wholeDigits = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - 0x30)
                if seenPoint {
                    fractionDigits += 1
                    guard fractionDigits <= 2 else { throw .tooManyDecimals(text) }
                    fraction = fraction * 10 + digit
                } else {
                    wholeDigits += 1
                    // 15 digits of yuan keeps fen far inside Int64 and 2^53; a longer digit
                    // string is refused after the scan as too large, not as "not a number".
                    if wholeDigits <= 15 { whole = whole * 10 + digit }
                }
            case UInt8(ascii: "."):
                guard !seenPoint else { throw .notANumber(text) }
                seenPoint = true
            default:
                throw .notANumber(text)
            }
        }
        guard wholeDigits > 0 || fractionDigits > 0 else { throw .notANumber(text) }
        if seenPoint && fractionDigits == 0 { throw .notANumber(text) }
        guard wholeDigits <= 15 else { throw .tooManyDigits(text) }
        if fractionDigits == 1 { fraction *= 10 }
        self.init(whole * 100 + fraction)
    }
}
