import Foundation
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
}
