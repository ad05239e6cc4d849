import StallProtocols
import StallTestSupport
import Testing

/// Every capture of firmware-protocols/uart-tts/captures replays to its golden file whole,
/// byte by byte and in seeded random chunks. The header's `Chip` and `Direction` lines say
/// which decoder reads it: `TTSFrameDecoder(chip:)` for host-to-chip, `TTSReplyDecoder` for
/// chip-to-host. Unlike the scale captures, golden lines are compared in full, error reasons
/// included: both decoders and the reference tool are ours (SPEC.md 8).
@Suite struct TTSCaptureReplayTests {
    static let folder = "firmware-protocols/uart-tts/captures"

    struct Capture: CustomTestStringConvertible, Sendable {
        var name: String
        var testDescription: String { name }
    }

    enum Split: CustomStringConvertible, Sendable {
        case whole, byteByByte, randomChunks(seed: UInt64)

        var description: String {
            switch self {
            case .whole: "whole"
            case .byteByByte: "byte by byte"
            case .randomChunks(let seed): "random chunks (seed \(seed))"
            }
        }

        static let standard: [Split] = [.whole, .byteByByte] + (1...5).map { .randomChunks(seed: $0) }

        /// `bytes` cut the way this split says.
        func chunks(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
            switch self {
            case .whole:
                return [bytes[...]]
            case .byteByByte:
                return bytes.indices.map { bytes[$0...$0] }
            case .randomChunks(let seed):
                var generator = SeededGenerator(seed: seed)
                var out: [ArraySlice<UInt8>] = []
                var index = 0
                while index < bytes.count {
                    let end = min(bytes.count, index + Int.random(in: 1...40, using: &generator))
                    out.append(bytes[index..<end])
                    index = end
                }
                return out
            }
        }
    }

    static func captures() throws -> [Capture] {
        try RepositoryFiles.list(folder, suffix: ".bin").map { Capture(name: String($0.dropLast(4))) }
    }

    static func header(_ name: String) throws -> [String: String] {
        var fields: [String: String] = [:]
        for line in try RepositoryFiles.text("\(folder)/\(name).header").split(separator: "\n") {
            guard let colon = line.firstRange(of: ": ") else { continue }
            fields[String(line[..<colon.lowerBound])] = String(line[colon.upperBound...])
        }
        return fields
    }

    static func decode(_ bytes: [UInt8], header: [String: String], split: Split) throws -> [String] {
        switch header["Direction"] {
        case "host-to-chip":
            let chip = try #require(header["Chip"].flatMap(TTSChip.init(rawValue:)))
            var decoder = TTSFrameDecoder(chip: chip)
            var out: [TTSFrameDecoderOutput] = []
            var largestBuffer = 0
            for chunk in split.chunks(bytes) {
                out += decoder.feed(chunk)
                largestBuffer = max(largestBuffer, decoder.bufferedByteCount)
            }
            #expect(largestBuffer < chip.longestFrame)
            return (out + decoder.finish()).map(\.jsonLine)
        case "chip-to-host":
            var decoder = TTSReplyDecoder()
            var out: [TTSReplyDecoderOutput] = []
            for chunk in split.chunks(bytes) { out += decoder.feed(chunk) }
            return (out + decoder.finish()).map(\.jsonLine)
        default:
            Issue.record("header Direction \(header["Direction"] ?? "missing")")
            return []
        }
    }

    @Test func theFolderHasCapturesOfEveryChipAndBothDirectionsEachWithHeaderAndGolden() throws {
        let captures = try Self.captures()
        #expect(captures.count >= 6)
        var chips: Set<String> = []
        var directions: Set<String> = []
        for capture in captures {
            let header = try Self.header(capture.name)
            chips.insert(header["Chip"] ?? "")
            directions.insert(header["Direction"] ?? "")
            #expect(!(try RepositoryFiles.text("\(Self.folder)/\(capture.name).golden.jsonl")).isEmpty)
        }
        #expect(chips == Set(TTSChip.allCases.map(\.rawValue)))
        #expect(directions == ["host-to-chip", "chip-to-host"])
    }

    @Test(arguments: try captures())
    func captureReplaysToItsGoldenOutputInEverySplit(capture: Capture) throws {
        let header = try Self.header(capture.name)
        let bytes = try RepositoryFiles.bytes("\(Self.folder)/\(capture.name).bin")
        let golden = try RepositoryFiles.text("\(Self.folder)/\(capture.name).golden.jsonl").split(separator: "\n").map(String.init)
        #expect(golden.contains { !$0.hasPrefix("{\"error\"") }, "a golden without frames proves nothing")
        #expect(header["Bytes"] == String(bytes.count))
        for split in Split.standard {
            let lines = try Self.decode(bytes, header: header, split: split)
            #expect(lines == golden, "\(capture.name), \(split)")
            if lines != golden {
                let first = zip(lines, golden).enumerated().first { $0.element.0 != $0.element.1 }
                Issue.record("first difference at line \(first?.offset ?? min(lines.count, golden.count)): \(first.map { "\($0.element.0) vs golden \($0.element.1)" } ?? "length \(lines.count) vs \(golden.count)")")
                break
            }
        }
    }
}
