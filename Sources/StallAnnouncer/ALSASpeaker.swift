import NIOPosix
import StallPlatform

/// A speaker on an ALSA PCM named in configuration.
///
/// Today the PCM is opened for each phrase and closed after it drained, which keeps a
/// vanished USB card from wedging the next announcement. A `{label}` in the PCM name is
/// replaced by the announcement's label (its payment id, reduced to `[A-Za-z0-9_-]`), so the
/// ALSA `file` plugin can write one WAV per announcement:
/// `file:FILE=/var/tmp/announce-{label}.wav,FORMAT=wav`.
public struct ALSASpeaker: Speaker {
    public let pcmTemplate: String
    public let sampleRate: Int

    public init(pcm: String, sampleRate: Int) {
        self.pcmTemplate = pcm
        self.sampleRate = sampleRate
    }

    public var name: String { "alsa:" + pcmTemplate }
    /// The PCM is opened per phrase, so there is nothing to watch between phrases.
    public var state: String { "ok" }

    public static func safeLabel(_ label: String) -> String {
        String(label.unicodeScalars.map { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_": Character(scalar)
            default: "_"
            }
        })
    }

    public func pcmName(label: String) -> String {
        pcmTemplate.replacingOccurrences(of: "{label}", with: Self.safeLabel(label))
    }

    public func play(_ phrase: SpokenPhrase, label: String) async throws -> Played {
        let pcm = pcmName(label: label)
        let rate = sampleRate
        let samples = phrase.samples
        let name = self.name
        return try await NIOThreadPool.singleton.runIfActive {
            let playback = try ALSAPlayback(pcmName: pcm, sampleRate: rate)
            defer { playback.close() }
            let started = ContinuousClock.now
            try samples.withUnsafeBufferPointer { try playback.writeBlocking($0) }
            try playback.drainBlocking()
            return Played(started: started, speaker: name)
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
