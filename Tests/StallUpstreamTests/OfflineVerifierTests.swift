import StallCore
import StallUpstream
import Testing

/// `stallbox-upstream verify`'s engine: every problem of an export, with its line.
@Suite struct OfflineVerifierTests {
    @Test func theValidExportVerifies() throws {
        let report = try OfflineVerifier.verify(
            jsonLines: try Fixtures.vectorBytes("valid-export.jsonl"), publicKeyBase64: Fixtures.publicKeyBase64)
        #expect(report.problems == [])
        #expect(report.isValid)
        #expect(report.lineCount == 4)
    }

    @Test func aDayCloseAndAResetThatContinuesTheChainVerifyWithTheResetNoted() throws {
        let report = try OfflineVerifier.verify(
            jsonLines: try Fixtures.vectorBytes("valid-with-day-close-and-reset.jsonl"), publicKeyBase64: Fixtures.publicKeyBase64)
        #expect(report.problems == [])
        #expect(report.lineCount == 7)
        #expect(report.notices.map(\.code) == ["reset"])
        #expect(report.notices.first?.line == 6)
    }

    @Test func aDayCloseIsOnlyRecountedWhenEveryRecordItCoversIsInTheFile() throws {
        // Without record 1 the file starts mid-day: the wrong total cannot be recounted,
        // and the missing record is reported as what it is, a gap.
        let lines = try Fixtures.vectorLines("negative/day-close-mismatch.jsonl")
        let text = lines.dropFirst().flatMap { $0 + [UInt8(ascii: "\n")] }
        let report = try OfflineVerifier.verify(jsonLines: Array(text), publicKeyBase64: Fixtures.publicKeyBase64)
        #expect(report.problems.map(\.code) == ["gap"])
    }

    @Test(arguments: Fixtures.negativeNames)
    func eachNegativeFileIsFlaggedAtItsFirstBadLineWithItsReason(name: String) throws {
        let expect = try Fixtures.vectorJSON("negative/\(name).expect.json")
        let report = try OfflineVerifier.verify(
            jsonLines: try Fixtures.vectorBytes("negative/\(name).jsonl"), publicKeyBase64: Fixtures.publicKeyBase64)
        #expect(!report.isValid)
        let first = try #require(report.problems.first)
        #expect(Int64(first.line) == expect["first_bad_line"]?.intValue)
        #expect(.string(first.code) == expect["reason"])
        #expect(first.description.hasPrefix("line \(first.line): \(first.code): "))
    }

    @Test func everyProblemIsListedAndTheChainGoesOnAfterEach() throws {
        let lines = try Fixtures.vectorLines("valid-export.jsonl")
        let garbage = Array("not a record".utf8)
        // 1, garbage, 2 (fine: the garbage line is not a record), 2 again (reused), 4 with 3 missing.
        var text: [UInt8] = []
        for line in [lines[0], garbage, lines[1], lines[1], lines[3]] { text += line + [UInt8(ascii: "\n")] }
        let report = try OfflineVerifier.verify(jsonLines: text, publicKeyBase64: Fixtures.publicKeyBase64)
        #expect(report.problems.map(\.line) == [2, 4, 5])
        #expect(report.problems.map(\.code) == ["malformed_line", "seq_conflict", "gap"])
    }

    @Test func aLineAfterAFloatLineIsCheckedAgainstTheFloatLinesHash() throws {
        // float-amount plus the valid record 4 (whose prev is the hash of the valid record 3,
        // not of the float one): the float is reported, and so is the chain break after it.
        var text = try Fixtures.vectorBytes("negative/float-amount.jsonl")
        text += try Fixtures.vectorLines("valid-export.jsonl")[3] + [UInt8(ascii: "\n")]
        let report = try OfflineVerifier.verify(jsonLines: text, publicKeyBase64: Fixtures.publicKeyBase64)
        #expect(report.problems.map(\.code) == ["float_not_allowed", "broken_chain"])
        #expect(report.problems.map(\.line) == [3, 4])
    }

    @Test func aKeyThatIsNotThirtyTwoBytesIsAUsageError() throws {
        #expect(throws: OfflineVerifierError.self) {
            _ = try OfflineVerifier.verify(jsonLines: [], publicKeyBase64: "AAAA")
        }
    }

    @Test func anotherDevicesKeyFlagsEveryRecord() throws {
        let otherKey = Base64.encode([UInt8](repeating: 7, count: 32))
        let report = try OfflineVerifier.verify(
            jsonLines: try Fixtures.vectorBytes("valid-export.jsonl"), publicKeyBase64: otherKey)
        #expect(Set(report.problems.map(\.line)) == [1, 2, 3, 4])
    }
}
