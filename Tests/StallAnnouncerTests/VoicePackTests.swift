import Foundation
import Logging
import StallAnnouncer
import StallCore
import StallTestSupport
import Synchronization
import Testing

@Suite struct VoicePackTests {
    static let packPath = RepositoryFiles.path("voice-packs/default")

    @Test func theDefaultPackHasEveryTokenAsSixteenKilohertzMonoClips() throws {
        let pack = try VoicePack.load(directory: Self.packPath)
        #expect(pack.sampleRate == 16_000)
        for token in VoicePack.requiredTokens {
            #expect((pack.clips[token]?.count ?? 0) > 1000, "clip for \(token)")
        }
    }

    @Test func aPackWithAMissingClipIsRefusedWithItsName() throws {
        let copy = NSTemporaryDirectory() + "stallbox-pack-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: Self.packPath, toPath: copy)
        try FileManager.default.removeItem(atPath: copy + "/clips/wu3.wav")
        #expect {
            try VoicePack.load(directory: copy)
        } throws: { error in
            "\(error)".contains("wu3.wav") && "\(error)".contains("五")
        }
    }

    @Test func aPackWithoutAManifestIsRefused() {
        #expect(throws: VoicePack.Error.self) { try VoicePack.load(directory: "/nonexistent-pack") }
    }

    @Test func renderingIntoABufferReusesItsStorage() {
        let pack = VoicePack(name: "t", version: 1, sampleRate: 16_000, clips: ["a": [Int16](repeating: 1, count: 1000), "b": [2]])
        var buffer: [Int16] = []
        #expect(pack.render(tokens: ["a", "b", "a"], gapSamples: 10, into: &buffer) == nil)
        #expect(buffer.count == 2021)
        let first = buffer.withUnsafeBufferPointer { $0.baseAddress }
        #expect(pack.render(tokens: ["b", "a"], gapSamples: 10, into: &buffer) == nil)
        #expect(buffer.count == 1011 && buffer[0] == 2 && buffer[11] == 1)
        #expect(buffer.withUnsafeBufferPointer { $0.baseAddress } == first)
        #expect(pack.render(tokens: ["c"], gapSamples: 0, into: &buffer) == VoicePack.MissingClip(token: "c"))
    }

    @Test func renderingPutsTheClipsInOrderWithSilentGaps() throws {
        let pack = VoicePack(name: "t", version: 1, sampleRate: 16_000, clips: ["a": [1, 2], "b": [3]])
        #expect(try pack.render(tokens: ["a", "b", "a"], gapSamples: 2).get() == [1, 2, 0, 0, 3, 0, 0, 1, 2])
        #expect(throws: VoicePack.MissingClip(token: "c")) { try pack.render(tokens: ["a", "c"], gapSamples: 0).get() }
    }
}

/// A speaker that keeps what it was asked to play, for the queue's logic.
final class RecordingSpeaker: Speaker, @unchecked Sendable {
    let name = "recording"
    let state = "ok"
    let played = Mutex<[(label: String, samples: [Int16])]>([])
    let fails: Bool

    init(fails: Bool = false) { self.fails = fails }

    func play(_ phrase: SpokenPhrase, label: String) async throws -> Played {
        if fails { throw CancellationError() }
        played.withLock { $0.append((label, phrase.samples)) }
        return Played(started: .now, speaker: name)
    }
}

@Suite struct AnnouncerTests {
    static let pack = VoicePack(
        name: "t", version: 1, sampleRate: 16_000,
        clips: Dictionary(uniqueKeysWithValues: VoicePack.requiredTokens.enumerated().map { ($0.element, [Int16($0.offset + 1)]) }))

    func run(
        _ requests: [AnnouncementRequest], speaker: (any Speaker)?, nowMs: Int64 = 1_000_000
    ) async throws -> [AnnouncementOutcome] {
        let outcomes = Mutex<[AnnouncementOutcome]>([])
        let announcer = Announcer(
            voicePack: Self.pack, speaker: speaker, gapMs: 0, maxAgeMs: 120_000, nowMs: { nowMs }, liveness: Liveness(),
            logger: Logger(label: "test")
        ) { outcome in outcomes.withLock { $0.append(outcome) } }
        for request in requests { announcer.enqueue(request) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await announcer.run() }
            while outcomes.withLock({ $0.count }) < Set(requests.map(\.paymentID)).count {
                try await Task.sleep(for: .milliseconds(5))
            }
            group.cancelAll()
        }
        return outcomes.withLock { $0 }
    }

    func request(_ id: String, fen: Int64 = 1250, paidAtMs: Int64 = 1_000_000) -> AnnouncementRequest {
        AnnouncementRequest(paymentID: id, amount: Fen(fen), channel: .alipay, paidAtMs: paidAtMs, knownAt: .now)
    }

    @Test func aPaymentIsPlayedAsItsClipsInPhraseOrder() async throws {
        let speaker = RecordingSpeaker()
        let outcomes = try await run([request("p1")], speaker: speaker)
        #expect(outcomes.map(\.kind) == [.played])
        #expect(outcomes.first?.text == "支付宝到账十二点五元")
        let expected = try AmountReading().phraseTokens(for: Fen(1250), channel: .alipay).flatMap { Self.pack.clips[$0]! }
        #expect(speaker.played.withLock { $0.first?.samples } == expected)
    }

    @Test func theSamePaymentIDQueuedTwiceIsAnnouncedOnce() async throws {
        let speaker = RecordingSpeaker()
        let outcomes = try await run([request("p1"), request("p1"), request("p2", fen: 5)], speaker: speaker)
        #expect(outcomes.map(\.request.paymentID) == ["p1", "p2"])
        #expect(speaker.played.withLock { $0.map(\.label) } == ["p1", "p2"])
    }

    @Test func aNotificationOlderThanMaxAgeIsSkippedAsStale() async throws {
        let speaker = RecordingSpeaker()
        let outcomes = try await run([request("old", paidAtMs: 1_000_000 - 121_000)], speaker: speaker)
        #expect(outcomes.map(\.kind) == [.skippedStale])
        #expect(speaker.played.withLock { $0.isEmpty })
    }

    @Test func withoutASpeakerTheOutcomeIsNoSpeaker() async throws {
        #expect(try await run([request("p1")], speaker: nil).map(\.kind) == [.noSpeaker])
    }

    @Test func aFailingSpeakerGivesAFailedOutcomeWithTheError() async throws {
        let outcomes = try await run([request("p1")], speaker: RecordingSpeaker(fails: true))
        #expect(outcomes.map(\.kind) == [.failed])
        #expect(outcomes.first?.error != nil)
        #expect(outcomes.first?.recordBody["outcome"] == "failed")
    }
}
