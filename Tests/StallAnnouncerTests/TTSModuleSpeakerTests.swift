import Logging
import StallAnnouncer
import StallCore
import StallDevices
import StallPlatform
import StallProtocols
import Testing

/// The TTS speaker against a chip simulator on a real pseudo-terminal.
@Suite(.serialized) struct TTSModuleSpeakerTests {
    static let phrase = SpokenPhrase(text: "支付宝到账十二点五元", samples: [])

    func run<T: Sendable>(
        _ chip: SimulatedTTSChip, _ speaker: TTSModuleSpeaker, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await chip.run(); return nil }
            group.addTask { try await speaker.run(); return nil }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    func waitUntil(_ timeout: Duration = .seconds(5), _ condition: () -> Bool) async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    func make(_ chip: TTSChip) throws -> (SimulatedTTSChip, TTSModuleSpeaker) {
        let simulated = try SimulatedTTSChip(configuration: .init(chip: chip, timePerCharacter: .milliseconds(20), initialisationTime: .milliseconds(50)))
        let speaker = TTSModuleSpeaker(
            path: simulated.path,
            configuration: .init(chip: chip, setupText: Array("[v8]".utf8), initTimeout: .seconds(1), replyTimeout: .milliseconds(800)),
            liveness: Liveness(), logger: Logger(label: "test"))
        return (simulated, speaker)
    }

    @Test(arguments: TTSChip.allCases)
    func aPhraseIsSpokenInGB2312AndReportedWhenTheChipIsIdle(chip: TTSChip) async throws {
        let (simulated, speaker) = try make(chip)
        defer { simulated.close() }
        try await run(simulated, speaker) { () async throws in
            #expect(try await waitUntil { speaker.state == "idle" }, "state \(speaker.state)")
            let before = ContinuousClock.now
            let played = try await speaker.play(Self.phrase, label: "p-1")
            #expect(played.speaker == speaker.name)
            #expect(played.started >= before)
            // 10 characters at 20 ms: the phrase was waited for, not just sent.
            #expect(ContinuousClock.now - before >= .milliseconds(150))
            let frame = try #require(simulated.lastFrame)
            let expected = try GB2312.encode(Self.phrase.text)
            #expect(frame.command == .synthesize(text: expected))
            #expect(simulated.acceptedFrames >= 2)  // setup tags, then the phrase
        }
    }

    @Test func aModuleThatStopsAnsweringFailsThePhraseAndShowsAbsent() async throws {
        let (simulated, speaker) = try make(.syn6288)
        defer { simulated.close() }
        try await run(simulated, speaker) { () async throws in
            #expect(try await waitUntil { speaker.state == "idle" })
            simulated.setSilent(true)
            let started = ContinuousClock.now
            await #expect(throws: TTSModuleSpeaker.Failure.self) { try await speaker.play(Self.phrase, label: "p-2") }
            #expect(ContinuousClock.now - started < .seconds(3))
            #expect(speaker.state == "absent")
            // Back: the next probe finds it.
            simulated.setSilent(false)
        }
    }

    @Test func withTwoSpeakersAFailingOneFallsBackToTheOther() async throws {
        let (simulated, speaker) = try make(.syn6658)
        defer { simulated.close() }
        let alsa = ALSASpeaker(pcm: "null", sampleRate: 16_000)
        let both = FallbackSpeaker([speaker, alsa])
        try await run(simulated, speaker) { () async throws in
            #expect(try await waitUntil { speaker.state == "idle" })
            let first = try await both.play(SpokenPhrase(text: Self.phrase.text, samples: [Int16](repeating: 0, count: 1600)), label: "a")
            #expect(first.speaker == speaker.name)
            simulated.setSilent(true)
            let second = try await both.play(SpokenPhrase(text: Self.phrase.text, samples: [Int16](repeating: 0, count: 1600)), label: "b")
            #expect(second.speaker == alsa.name)
        }
    }

    @Test func aPortThatCannotBeOpenedIsAbsentAndPlayFailsAtOnce() async throws {
        let speaker = TTSModuleSpeaker(
            path: "/nonexistent/ttyTTS", configuration: .init(chip: .syn6288), liveness: Liveness(), logger: Logger(label: "test"))
        #expect(speaker.state == "absent")
        await #expect(throws: TTSModuleSpeaker.Failure.self) { try await speaker.play(Self.phrase, label: "x") }
    }
}
