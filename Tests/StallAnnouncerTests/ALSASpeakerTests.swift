import Foundation
import StallAnnouncer
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
