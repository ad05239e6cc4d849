import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Every capture in firmware-protocols/toledo-continuous/captures replays to its golden
/// output whole, byte by byte and in random chunks.
@Suite struct ToledoContinuousCaptureTests {
    static let folder = "firmware-protocols/toledo-continuous/captures"

    static func captureNames() throws -> [String] {
        try RepositoryFiles.list(folder, suffix: ".bin").map { String($0.dropLast(4)) }
    }

    @Test func thereAreAtLeastThreeCapturesEachWithHeaderAndGolden() throws {
        let names = try Self.captureNames()
        #expect(names.count >= 3)
        for name in names {
            #expect(!(try RepositoryFiles.text("\(Self.folder)/\(name).header")).isEmpty)
            #expect(!(try RepositoryFiles.text("\(Self.folder)/\(name).golden.jsonl")).isEmpty)
        }
    }

    @Test(arguments: try captureNames())
    func captureReplaysToItsGoldenOutputInEverySplit(name: String) throws {
        let bytes = try RepositoryFiles.bytes("\(Self.folder)/\(name).bin")
        let golden = try DecoderReplay.comparableGolden(try RepositoryFiles.text("\(Self.folder)/\(name).golden.jsonl"))
        #expect(golden.contains { !$0.hasPrefix("error") }, "a golden without frames proves nothing")
        for split in DecoderReplay.standardSplits {
            let lines = DecoderReplay.comparableLines(DecoderReplay.decode(ToledoContinuousDecoder.self, bytes, split: split))
            #expect(lines == golden, "\(name), \(split)")
            if lines != golden {
                let firstDifference = zip(lines, golden).enumerated().first { $0.element.0 != $0.element.1 }
                Issue.record("first difference at line \(firstDifference?.offset ?? min(lines.count, golden.count)): \(firstDifference.map { "\($0.element.0) vs golden \($0.element.1)" } ?? "length \(lines.count) vs \(golden.count)")")
                break
            }
        }
    }
}
