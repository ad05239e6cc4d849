import Foundation
import StallAnnouncer
import StallCore
import StallTestSupport
import Testing

/// The daemon with two speakers: ALSA's `file` PCM and a SYN6288 simulated by
/// `stallbox-sim --tts` on a pseudo-terminal. `stallctl speaker-test` plays on each and
/// `status` shows each speaker's state; a module that goes away shows as absent.
@Suite(.serialized) struct SpeakerEndToEndTests {
    @Test func speakerTestPlaysOnEachSpeakerAndStatusFollowsTheModule() async throws {
        let rig = try StallboxRig()
        let link = rig.directory + "/tts"
        let module = try ChildProcess("stallbox-sim", ["--tts", "syn6288", "--link", link], outputDirectory: rig.directory)
        #expect(await eventually(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: link) })
        try """
            [ledger]
            path = "\(rig.directory)/ledger.sqlite"
            key = "\(rig.directory)/device.key"

            [hotplug]
            watch_udev = false

            [speaker]
            pcm = "file:FILE=\(rig.directory)/wav/{label}.wav,FORMAT=wav"
            voice_pack = "\(RepositoryFiles.path("voice-packs/default"))"
            tts_port = "\(link)"
            tts_chip = "syn6288"
            tts_volume = 8

            [diag]
            socket = "\(rig.diagSocket)"
            """.write(toFile: rig.directory + "/stallbox.toml", atomically: true, encoding: .utf8)
        try await rig.startDaemon()
        defer { module.kill9() }

        func speakers() throws -> [String: String] {
            var states: [String: String] = [:]
            for speaker in try rig.ctlJSON(["status"])["speakers"]?.arrayValue ?? [] {
                states[speaker["name"]?.stringValue ?? "?"] = speaker["state"]?.stringValue
            }
            return states
        }
        let ttsName = "tts:syn6288:\(link)"
        #expect(await eventually(timeout: .seconds(10)) { (try? speakers())?[ttsName] == "idle" }, "\(rig.logs())")

        let test = try rig.ctlJSON(["speaker-test"])
        let results = test["speakers"]?.arrayValue ?? []
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0["outcome"]?.stringValue == "played" }, "\(CanonicalJSON.string(test))")
        #expect(FileManager.default.fileExists(atPath: rig.directory + "/wav/speaker-test.wav"))

        // The module goes away: its port hangs up and the speaker shows absent.
        await module.stop()
        #expect(await eventually(timeout: .seconds(10)) { (try? speakers())?[ttsName] == "absent" }, "\(rig.logs())")
        let failing = try ChildProcess.run("stallctl", ["speaker-test", "--socket", rig.diagSocket])
        #expect(failing.status == 1)
        #expect(failing.output.contains("failed") && failing.output.contains("played"), "\(failing.output)")
        await rig.stopAll()
    }

    /// ALSA's `file` and `null` PCMs never underrun, so this test builds an ALSA external
    /// plugin (Tests/Fixtures/alsa-underrun) that reports one underrun part-way through a
    /// phrase, and points the daemon at it through ALSA's own configuration. The speaker
    /// must recover (`snd_pcm_recover`), finish the phrase with no sample lost or repeated,
    /// record it as played, and play the next phrase on the same open PCM.
    @Test func anUnderrunMidPhraseIsRecoveredWithNoSampleLostOrRepeated() async throws {
        let rig = try StallboxRig()
        let plugin = rig.directory + "/libasound_module_pcm_stallbox_underrun.so"
        let built = try ChildProcess.run(
            "/usr/bin/cc",
            ["-shared", "-fPIC", "-DPIC", "-Wall", "-o", plugin, RepositoryFiles.path("Tests/Fixtures/alsa-underrun/pcm_stallbox_underrun.c"), "-lasound"])
        try #require(built.status == 0, "\(built.error)")
        try """
            pcm_type.stallbox_underrun { lib "\(plugin)" }
            pcm.stallbox_underrun {
                type stallbox_underrun
                output "\(rig.directory)/played.raw"
                events "\(rig.directory)/pcm-events"
                underrun_after 6000
            }
            """.write(toFile: rig.directory + "/asound.conf", atomically: true, encoding: .utf8)
        try """
            [ledger]
            path = "\(rig.directory)/ledger.sqlite"
            key = "\(rig.directory)/device.key"

            [hotplug]
            watch_udev = false

            [speaker]
            pcm = "stallbox_underrun"
            voice_pack = "\(RepositoryFiles.path("voice-packs/default"))"

            [diag]
            socket = "\(rig.diagSocket)"
            """.write(toFile: rig.directory + "/stallbox.toml", atomically: true, encoding: .utf8)
        try await rig.startDaemon(environment: ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(rig.directory)/asound.conf"])

        func announcements() throws -> [JSONValue] {
            try rig.ctl(["export"]).split(separator: "\n").map { try JSONParser.parse(String($0)) }
                .filter { $0["kind"]?.stringValue == "announcement" }
        }
        try rig.ctl(["test-payment", "--amount", "12.50", "--id", "underrun-1"])
        #expect(await eventually(timeout: .seconds(10)) { (try? announcements())?.count == 1 }, "\(rig.logs())")
        try rig.ctl(["test-payment", "--amount", "3", "--channel", "wechat", "--id", "underrun-2"])
        #expect(await eventually(timeout: .seconds(10)) { (try? announcements())?.count == 2 }, "\(rig.logs())")
        let outcomes = try announcements().map { $0["outcome"]?.stringValue }
        await rig.stopAll()
        #expect(outcomes == ["played", "played"])
        let events = try String(contentsOfFile: rig.directory + "/pcm-events", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        let xrun = try #require(events.firstIndex(of: "xrun"), "the plugin never underran: \(events)")
        #expect(events[xrun + 1] == "prepare", "recovered by preparing the PCM again: \(events)")
        #expect(events.filter { $0 == "xrun" }.count == 1)

        let pack = try VoicePack.load(directory: RepositoryFiles.path("voice-packs/default"))
        let gap = 16_000 * 40 / 1000
        let first = try pack.render(tokens: try AmountReading().phraseTokens(for: Fen(1250), channel: .alipay), gapSamples: gap).get()
        let second = try pack.render(tokens: try AmountReading().phraseTokens(for: Fen(300), channel: .wechat), gapSamples: gap).get()
        let played = try Data(contentsOf: URL(fileURLWithPath: rig.directory + "/played.raw")).withUnsafeBytes {
            Array($0.bindMemory(to: Int16.self))
        }
        let expected = first + second
        #expect(played.count == expected.count)
        let firstDifference = played.indices.first { $0 >= expected.count || played[$0] != expected[$0] }
        #expect(firstDifference == nil, "every sample of both phrases, once, in order")
    }
}
