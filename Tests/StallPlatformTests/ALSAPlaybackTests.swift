import Foundation
import StallPlatform
import Testing

/// Real ALSA through its `file` and `null` PCM plugins: no sound card needed.
@Suite struct ALSAPlaybackTests {
    @Test func samplesWrittenToTheFilePluginLandInAWAVUnchanged() async throws {
        let path = NSTemporaryDirectory() + "stallbox-alsa-\(UUID().uuidString).wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let samples: [Int16] = (0..<8000).map { Int16(truncatingIfNeeded: ($0 * 7919) % 65536 - 32768) }
        let playback = try ALSAPlayback(pcmName: "file:FILE=\(path),FORMAT=wav", sampleRate: 16_000)
        try await playback.play(samples)
        playback.close()
        let data = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(data.count == 44 + samples.count * 2)
        let written = stride(from: 44, to: data.count, by: 2).map { Int16(bitPattern: UInt16(data[$0]) | UInt16(data[$0 + 1]) << 8) }
        #expect(written == samples)
    }

    @Test func theNullPluginAcceptsAPhrase() async throws {
        let playback = try ALSAPlayback(pcmName: "null", sampleRate: 16_000)
        try await playback.play([Int16](repeating: 100, count: 1600))
        playback.close()
    }

    @Test func anUnknownPCMIsAnErrorNamingIt() {
        #expect {
            try ALSAPlayback(pcmName: "stallbox_no_such_pcm")
        } throws: { error in
            guard let error = error as? PlatformError else { return false }
            return error.call == "snd_pcm_open" && "\(error)".contains("stallbox_no_such_pcm")
        }
    }
}

@Suite struct SystemdNotifierTests {
    @Test func withoutNotifySocketNotifyingDoesNothing() throws {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isActive)
        try notifier.notify("READY=1")
    }

    @Test func watchdogIntervalIsReadOnlyForThisProcess() {
        #expect(SystemdNotifier.watchdogMicroseconds(environment: ["WATCHDOG_USEC": "30000000"]) == 30_000_000)
        #expect(SystemdNotifier.watchdogMicroseconds(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"]) == nil)
        #expect(SystemdNotifier.watchdogMicroseconds(environment: [:]) == nil)
    }
}
