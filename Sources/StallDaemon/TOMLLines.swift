/// Finds where a key was written in a TOML file, so errors found after parsing (a wrong type,
/// an unknown key, a bad value) still name their line. TOMLKit reports lines only for syntax
/// errors; this scans the text the same way a person would: by table header, then key.
struct TOMLLines {
    private struct Entry {
        var table: String
        var index: Int?
        var key: String
        var line: Int
    }

    private var entries: [Entry] = []
    private var headers: [String: [Int]] = [:]

    init(text: String) {
        var table = ""
        var index: Int?
        var arrayCounts: [String: Int] = [:]
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingSpaces()
            let number = offset + 1
            if line.hasPrefix("[[") {
                table = String(line.dropFirst(2).prefix { $0 != "]" }).trimmingSpaces()
                let next = arrayCounts[table, default: -1] + 1
                arrayCounts[table] = next
                index = next
                headers[table + "#\(next)", default: []].append(number)
            } else if line.hasPrefix("[") {
                table = String(line.dropFirst().prefix { $0 != "]" }).trimmingSpaces()
                index = nil
                headers[table, default: []].append(number)
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = String(line[..<equals]).trimmingSpaces().trimmingCharacters(in: "\"")
                entries.append(Entry(table: table, index: index, key: key, line: number))
            }
        }
    }

    func line(table: String, index: Int? = nil, key: String? = nil) -> Int? {
        if let key {
            return entries.first { $0.table == table && $0.index == index && $0.key == key }?.line
        }
        return headers[index.map { table + "#\($0)" } ?? table]?.first
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }

    func trimmingCharacters(in characters: String) -> String {
        String(drop { characters.contains($0) }.reversed().drop { characters.contains($0) }.reversed())
    }
}
