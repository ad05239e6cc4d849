import StallCore
import StallTestSupport
import Testing

/// The commands a technician runs without a daemon: `phrase` and `decode`.
@Suite struct StallctlOfflineTests {
    @Test(arguments: [
        (["12.5"], "支付宝到账十二点五元"),
        (["12.50", "--channel", "wechat"], "微信收款十二点五元"),
        (["--channel", "none", "--", "100.01"], "收款一百点零一元"),
        (["3.05", "--channel", "unionpay", "--style", "yuan"], "云闪付收款三元零五分"),
        (["2", "--liang"], "支付宝到账两元"),
    ])
    func phrasePrintsTheAnnouncementText(arguments: [String], expected: String) throws {
        let result = try ChildProcess.run("stallctl", ["phrase"] + arguments)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == expected + "\n")
    }

    @Test(arguments: ["0", "-1", "1.234", "abc", "100000000", "1e3"])
    func anInvalidAmountIsAnErrorOnStderrWithNothingOnStdout(amount: String) throws {
        let result = try ChildProcess.run("stallctl", ["phrase", "--", amount])
        #expect(result.status != 0 && result.status < 128)
        #expect(result.output.isEmpty)
        #expect(result.error.contains("invalid amount"), "\(result.error)")
    }

    /// Every protocol's captures through the real binary, named explicitly; the Toledo
    /// continuous ones also through `auto` (sheet 9.1 picks Toledo for each of them).
    @Test(arguments: [
        ("toledo-continuous", "toledo-continuous"), ("toledo-continuous", "auto"), ("toledo-8217", "toledo-8217"),
        ("mt-sics", "mt-sics"), ("ad-st", "ad-st"), ("cas-dc1", "cas-dc1"), ("yaohua-a23p", "yaohua-a23p"),
    ])
    func decodePrintsTheGoldenFramesOfEveryCapture(folder: String, protocolName: String) throws {
        let captures = "firmware-protocols/\(folder)/captures"
        let files = try RepositoryFiles.list(captures, suffix: ".bin")
        #expect(files.count >= 3)
        for file in files {
            let name = String(file.dropLast(4))
            let result = try ChildProcess.run("stallctl", ["decode", "--protocol", protocolName, RepositoryFiles.path("\(captures)/\(file)")])
            #expect(result.status == 0)
            let printed = try DecoderReplay.comparableGolden(result.output)
            let golden = try DecoderReplay.comparableGolden(try RepositoryFiles.text("\(captures)/\(name).golden.jsonl"))
            #expect(printed == golden, "\(name) with --protocol \(protocolName)")
        }
    }

    @Test func decodeOfAnUnknownProtocolOrMissingFileFailsClearly() throws {
        let unknown = try ChildProcess.run("stallctl", ["decode", "--protocol", "nope", "/dev/null"])
        #expect(unknown.status != 0 && unknown.error.contains("unknown protocol"))
        let missing = try ChildProcess.run("stallctl", ["decode", "--protocol", "auto", "/nonexistent.bin"])
        #expect(missing.status != 0 && missing.error.contains("/nonexistent.bin"))
    }
}
