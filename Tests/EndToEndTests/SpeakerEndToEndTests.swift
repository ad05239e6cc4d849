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
        try writeConfiguration(
            rig,
            speaker: """
                pcm = "file:FILE=\(rig.directory)/wav/{label}.wav,FORMAT=wav"
                tts_port = "\(link)"
                tts_chip = "syn6288"
                tts_volume = 8
                """)
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

    /// A daemon configuration with no scale and no uplink, and `speaker` lines (besides the
    /// voice pack) in its `[speaker]` table.
    func writeConfiguration(_ rig: StallboxRig, speaker: String) throws {
        try """
            [ledger]
            path = "\(rig.directory)/ledger.sqlite"
            key = "\(rig.directory)/device.key"

            [hotplug]
            watch_udev = false

            [speaker]
            voice_pack = "\(RepositoryFiles.path("voice-packs/default"))"
            \(speaker)

            [diag]
            socket = "\(rig.diagSocket)"
            """.write(toFile: rig.directory + "/stallbox.toml", atomically: true, encoding: .utf8)
    }

    /// The daemon playing on a PCM of the ALSA external plugin in Tests/Fixtures/alsa-underrun
    /// (built here with cc), which ALSA's own configuration names `stallbox_test`. Returns
    /// the announcement outcomes, the plugin's event names and the samples it received.
    func announceThroughTestPlugin(
        pcm: String, rate: Int, underrunAfter: Int, payments: [(amount: String, channel: String)]
    ) async throws -> (outcomes: [String?], events: [String], played: [Int16]) {
        let rig = try StallboxRig()
        let plugin = rig.directory + "/libasound_module_pcm_stallbox_underrun.so"
        let built = try ChildProcess.run(
            "/usr/bin/cc",
            ["-shared", "-fPIC", "-DPIC", "-Wall", "-o", plugin, RepositoryFiles.path("Tests/Fixtures/alsa-underrun/pcm_stallbox_underrun.c"), "-lasound"])
        try #require(built.status == 0, "\(built.error)")
        try """
            pcm_type.stallbox_underrun { lib "\(plugin)" }
            pcm.stallbox_test {
                type stallbox_underrun
                output "\(rig.directory)/played.raw"
                events "\(rig.directory)/pcm-events"
                underrun_after \(underrunAfter)
                rate \(rate)
            }
            """.write(toFile: rig.directory + "/asound.conf", atomically: true, encoding: .utf8)
        try writeConfiguration(rig, speaker: "pcm = \"\(pcm)\"")
        try await rig.startDaemon(environment: ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(rig.directory)/asound.conf"])

        func announcements() throws -> [JSONValue] {
            try rig.ctl(["export"]).split(separator: "\n").map { try JSONParser.parse(String($0)) }
                .filter { $0["kind"]?.stringValue == "announcement" }
        }
        for (index, payment) in payments.enumerated() {
            try rig.ctl(["test-payment", "--amount", payment.amount, "--channel", payment.channel, "--id", "pcm-\(index)"])
            #expect(await eventually(timeout: .seconds(10)) { (try? announcements())?.count == index + 1 }, "\(rig.logs())")
        }
        let outcomes = try announcements().map { $0["outcome"]?.stringValue }
        await rig.stopAll()
        let events = try String(contentsOfFile: rig.directory + "/pcm-events", encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        let played = try Data(contentsOf: URL(fileURLWithPath: rig.directory + "/played.raw")).withUnsafeBytes {
            Array($0.bindMemory(to: Int16.self))
        }
        return (outcomes, events, played)
    }

    func expectedSamples(_ payments: [(fen: Int64, channel: PaymentChannel)]) throws -> [Int16] {
        let pack = try VoicePack.load(directory: RepositoryFiles.path("voice-packs/default"))
        return try payments.flatMap { payment in
            try pack.render(tokens: try AmountReading().phraseTokens(for: Fen(payment.fen), channel: payment.channel), gapSamples: 16_000 * 40 / 1000).get()
        }
    }

    /// ALSA's `file` and `null` PCMs never underrun, so the test plugin reports one underrun
    /// part-way through the first phrase. The speaker must recover (`snd_pcm_recover`),
    /// finish the phrase with no sample lost or repeated, record it as played, and play the
    /// next phrase on the same open PCM.
    @Test func anUnderrunMidPhraseIsRecoveredWithNoSampleLostOrRepeated() async throws {
        let (outcomes, events, played) = try await announceThroughTestPlugin(
            pcm: "stallbox_test", rate: 16_000, underrunAfter: 6000, payments: [("12.50", "alipay"), ("3", "wechat")])
        #expect(outcomes == ["played", "played"])
        let xrun = try #require(events.firstIndex(of: "xrun"), "the plugin never underran: \(events)")
        #expect(events[xrun + 1] == "prepare", "recovered by preparing the PCM again: \(events)")
        #expect(events.filter { $0 == "xrun" }.count == 1)

        let expected = try expectedSamples([(1250, .alipay), (300, .wechat)])
        #expect(played.count == expected.count)
        let firstDifference = played.indices.first { $0 >= expected.count || played[$0] != expected[$0] }
        #expect(firstDifference == nil, "every sample of both phrases, once, in order")
    }

    /// A card that takes 48 kHz only: the configured `plug:` PCM converts the voice pack's
    /// 16 kHz, and the card receives three samples for each one of the phrase.
    @Test func aCardWithAnotherRateIsServedThroughThePlugLayer() async throws {
        let (outcomes, events, played) = try await announceThroughTestPlugin(
            pcm: "plug:stallbox_test", rate: 48_000, underrunAfter: -1, payments: [("12.50", "alipay")])
        #expect(outcomes == ["played"])
        #expect(!events.contains("xrun"))
        let expected = try expectedSamples([(1250, .alipay)])
        // Draining through the rate converter may pad the last period with silence.
        #expect(played.count >= 3 * expected.count - 3 && played.count <= 3 * expected.count + 4096,
                "\(played.count) samples at 48 kHz for \(expected.count) at 16 kHz")
        // The converted signal keeps the phrase's energy (not silence, not noise).
        let energy = { (samples: [Int16]) in samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count)) }
        let ratio = energy(played) / energy(expected)
        #expect(ratio > 0.8 && ratio < 1.2, "mean power ratio \(ratio)")
    }
}
