/// Splits what a host sends a line-oriented scale (A&D command mode, MT-SICS) into command
/// lines: LF ends a line, a trailing CR is dropped, and a line longer than the instrument's
/// input buffer is reported as overflowed (its bytes beyond the limit were never kept).
struct CommandLines: Sendable {
    let longest: Int
    private var pending: [UInt8] = []
    private var overflowed = false

    init(longest: Int) {
        self.longest = longest
    }

    struct Line: Sendable {
        var text: ArraySlice<UInt8>
        var overflowed: Bool
    }

    /// The lines that `bytes` completed, in order; an unfinished line is kept for later.
    mutating func feed(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        for byte in bytes {
            if byte == 0x0A {
                var text = pending[...]
                if text.last == 0x0D { text = text.dropLast() }
                lines.append(Line(text: text, overflowed: overflowed))
                pending = []
                overflowed = false
            } else if pending.count < longest {
                pending.append(byte)
            } else {
                overflowed = true
            }
        }
        return lines
    }
}
