import Foundation
import Logging
import StallAnnouncer
import StallCore
import StallPlatform
import StallTestSupport
import Synchronization
import Testing

@Suite struct ALSASpeakerTests {
    @Test func theLabelIsReducedToSafeCharactersInThePCMName() {
        let speaker = ALSASpeaker(pcm: "file:FILE=/tmp/a-{label}.wav,FORMAT=wav", sampleRate: 16_000)
        #expect(speaker.pcmName(label: "pay,1/../x") == "file:FILE=/tmp/a-pay_1____x.wav,FORMAT=wav")
    }

    @Test func aPhraseIsWrittenToTheFilePluginAsOneWAVPerLabel() async throws {
        let directory = NSTemporaryDirectory() + "stallbox-speaker-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let speaker = ALSASpeaker(pcm: "file:FILE=\(directory)/{label}.wav,FORMAT=wav", sampleRate: 16_000)
        _ = try await speaker.play(SpokenPhrase(text: "", samples: [1, 2, 3, 4]), label: "one")
        _ = try await speaker.play(SpokenPhrase(text: "", samples: [5, 6]), label: "two")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/one.wav")).count == 44 + 8)
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/two.wav")).count == 44 + 4)
    }
}

@Suite struct ALSASpeakerDeviceTests {
    func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "stallbox-speaker-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    func wavSamples(_ path: String) throws -> [Int16] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return stride(from: 44, to: bytes.count - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
    }

    @Test func aKeptOpenPCMPlaysPhraseAfterPhrase() async throws {
        let speaker = ALSASpeaker(pcm: "null", sampleRate: 16_000)
        for label in ["a", "b", "c"] {
            let played = try await speaker.play(SpokenPhrase(text: "", samples: [Int16](repeating: 7, count: 3200)), label: label)
            #expect(played.speaker == "alsa:null")
        }
        #expect(speaker.state == "ok")
    }

    @Test func aCardThatCannotBeOpenedIsAbsentAndTheNextPhraseTriesAgain() async throws {
        let speaker = ALSASpeaker(pcm: "hw:CARD=NoSuchCard,DEV=0", sampleRate: 16_000)
        await #expect(throws: PlatformErrorMatcher.self) { _ = try await speaker.play(SpokenPhrase(text: "", samples: [1]), label: "x") }
        #expect(speaker.state == "absent")
        await #expect(throws: PlatformErrorMatcher.self) { _ = try await speaker.play(SpokenPhrase(text: "", samples: [1]), label: "y") }
    }

    @Test func softwareVolumeScalesTheSamples() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let speaker = ALSASpeaker(pcm: "file:FILE=\(directory)/{label}.wav,FORMAT=wav", sampleRate: 16_000, volumePercent: 50)
        _ = try await speaker.play(SpokenPhrase(text: "", samples: [1000, -1000, 32767, -32768, 3]), label: "v")
        #expect(try wavSamples(directory + "/v.wav") == [500, -500, 16383, -16384, 1])
    }

    /// The announcer with the real voice pack: the WAV holds exactly the phrase's clips, in
    /// order, with the configured silent gaps.
    @Test func theWAVHoldsExactlyTheExpectedClipsInOrder() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pack = try VoicePack.load(directory: RepositoryFiles.path("voice-packs/default"))
        let speaker = ALSASpeaker(pcm: "file:FILE=\(directory)/{label}.wav,FORMAT=wav", sampleRate: pack.sampleRate)
        let outcomes = Mutex<[AnnouncementOutcome]>([])
        let announcer = Announcer(
            voicePack: pack, speaker: speaker, gapMs: 40, nowMs: { 1_000 }, liveness: Liveness(), logger: Logger(label: "test")
        ) { outcome in outcomes.withLock { $0.append(outcome) } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await announcer.run() }
            defer { group.cancelAll() }
            announcer.enqueue(AnnouncementRequest(paymentID: "wav-1", amount: Fen(1250), channel: .alipay, paidAtMs: 1_000, knownAt: .now))
            while outcomes.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        }
        let tokens = ["支付宝到账", "十", "二", "点", "五", "元"]
        #expect(outcomes.withLock { $0.first?.kind } == .played)
        #expect(outcomes.withLock { $0.first?.text } == tokens.joined())
        var expected: [Int16] = []
        for (index, token) in tokens.enumerated() {
            if index > 0 { expected += [Int16](repeating: 0, count: pack.sampleRate * 40 / 1000) }
            expected += try #require(pack.clips[token])
        }
        #expect(try wavSamples(directory + "/wav-1.wav") == expected)
    }
}

/// Any PlatformError (the message names the failing ALSA call).
typealias PlatformErrorMatcher = PlatformError
