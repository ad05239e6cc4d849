import StallCore
import StallProtocols
import StallTestSupport
import Testing

/// Every capture of every scale protocol (firmware-protocols/<protocol>/captures) replays
/// to its golden output whole, byte by byte and in random chunks. A protocol folder is
/// named after its decoder, so a new protocol's captures are picked up here by themselves.
@Suite struct CaptureReplayTests {
    struct Capture: CustomTestStringConvertible, Sendable {
        var protocolName: String
        var name: String
        var folder: String { "firmware-protocols/\(protocolName)/captures" }
        var testDescription: String { "\(protocolName)/\(name)" }
    }

    static func captures() throws -> [Capture] {
        try ScaleProtocols.names.flatMap { protocolName in
            try RepositoryFiles.list("firmware-protocols/\(protocolName)/captures", suffix: ".bin")
                .map { Capture(protocolName: protocolName, name: String($0.dropLast(4))) }
        }
    }

    @Test(arguments: ScaleProtocols.names)
    func everyProtocolHasAtLeastThreeCapturesEachWithHeaderAndGolden(protocolName: String) throws {
        let captures = try Self.captures().filter { $0.protocolName == protocolName }
        #expect(captures.count >= 3)
        for capture in captures {
            #expect(!(try RepositoryFiles.text("\(capture.folder)/\(capture.name).header")).isEmpty)
            #expect(!(try RepositoryFiles.text("\(capture.folder)/\(capture.name).golden.jsonl")).isEmpty)
        }
    }

    @Test(arguments: try captures())
    func captureReplaysToItsGoldenOutputInEverySplit(capture: Capture) throws {
        let decoder = try #require(ScaleProtocols.decoder(named: capture.protocolName))
        let bytes = try RepositoryFiles.bytes("\(capture.folder)/\(capture.name).bin")
        let golden = try DecoderReplay.comparableGolden(try RepositoryFiles.text("\(capture.folder)/\(capture.name).golden.jsonl"))
        #expect(golden.contains { !$0.hasPrefix("error") }, "a golden without frames proves nothing")
        for split in DecoderReplay.standardSplits {
            let lines = DecoderReplay.comparableLines(DecoderReplay.decode(decoder, bytes, split: split))
            #expect(lines == golden, "\(capture.name), \(split)")
            if lines != golden {
                let firstDifference = zip(lines, golden).enumerated().first { $0.element.0 != $0.element.1 }
                Issue.record("first difference at line \(firstDifference?.offset ?? min(lines.count, golden.count)): \(firstDifference.map { "\($0.element.0) vs golden \($0.element.1)" } ?? "length \(lines.count) vs \(golden.count)")")
                break
            }
        }
    }
}
