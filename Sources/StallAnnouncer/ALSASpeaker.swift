import Glibc
import StallPlatform
import Synchronization

/// A speaker on an ALSA PCM named in configuration.
///
/// The PCM is opened once and kept ready, so an announcement starts without the cost of
/// opening the card; a card that fails (unplugged: `ENODEV`, `EIO`) is closed, the speaker
/// shows `absent`, and the next phrase opens it again. Underruns are recovered inside
/// `ALSAPlayback`. Every call runs on the speaker's own thread, never on a shared pool.
///
/// A `{label}` in the PCM name is replaced by the announcement's label (its payment id,
/// reduced to `[A-Za-z0-9_-]`), so the ALSA `file` plugin can write one WAV per announcement
/// (`file:FILE=/var/tmp/announce-{label}.wav,FORMAT=wav`); such a PCM is opened per phrase.
///
/// `volumePercent` below 100 scales the samples in software (integer arithmetic), for cards
/// without a mixer control.
public final class ALSASpeaker: Speaker {
    public let pcmTemplate: String
    public let sampleRate: Int
    public let volumePercent: Int
    private let lane = BlockingLane()
    private struct Device: @unchecked Sendable {
        // @unchecked: only touched on the lane's one thread, and through the mutex.
        var playback: ALSAPlayback?
        var absent = false
        /// With `pcm = "usb"`: the card udev chose (its ALSA id); nil while none is plugged.
        var usbCard: String?
        /// Scaled samples, reused from phrase to phrase (no allocation once grown).
        var scratch: [Int16] = []
    }
    private let device = Mutex(Device())

    public init(pcm: String, sampleRate: Int, volumePercent: Int = 100) {
        self.pcmTemplate = pcm
        self.sampleRate = sampleRate
        self.volumePercent = max(0, min(100, volumePercent))
    }

    deinit {
        lane.stop()
    }

    /// Opens the PCM now (a matching card was plugged in): the speaker is ready before the
    /// next payment, and `status` shows it. A PCM opened per phrase is only marked present.
    /// `card` is the ALSA id of the card udev added; a speaker configured as `usb` plays on it.
    public func cardAdded(_ card: String? = nil) async {
        _ = try? await lane.run { [self] in
            device.withLock { device in
                device.absent = false
                if followsAnyUSBCard, let card, card != device.usbCard {
                    device.usbCard = card
                    device.playback?.close()
                    device.playback = nil
                }
                guard !perPhrase, device.playback == nil, let pcm = resolvedPCM(device, label: "") else { return }
                do {
                    device.playback = try ALSAPlayback(pcmName: pcm, sampleRate: sampleRate)
                } catch {
                    device.absent = true
                }
            }
        }
    }

    /// The card was unplugged: close the PCM, show `absent`; the next `cardAdded` or phrase
    /// opens it again.
    public func cardRemoved() async {
        _ = try? await lane.run { [self] in
            device.withLock { device in
                device.playback?.close()
                device.playback = nil
                device.absent = true
                if followsAnyUSBCard { device.usbCard = nil }
            }
        }
    }

    /// The ALSA card id in the PCM name (`plughw:CARD=Device,DEV=0` → `Device`), which is
    /// how udev events are matched to this speaker.
    public var cardID: String? {
        guard let range = pcmTemplate.range(of: "CARD=") else { return nil }
        let id = pcmTemplate[range.upperBound...].prefix { $0 != "," && $0 != " " }
        return id.isEmpty ? nil : String(id)
    }

    public var name: String { "alsa:" + pcmTemplate }
    public var state: String { device.withLock { $0.absent ? "absent" : "ok" } }
    var perPhrase: Bool { pcmTemplate.contains("{label}") }
    /// `pcm = "usb"`: play on whichever USB sound card udev reports (the first one plugged).
    public var followsAnyUSBCard: Bool { pcmTemplate == "usb" }

    /// The PCM to open now; nil for `usb` while no card is plugged.
    private func resolvedPCM(_ device: Device, label: String) -> String? {
        if followsAnyUSBCard { return device.usbCard.map { "plughw:CARD=\($0)" } }
        return pcmName(label: label)
    }

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
        return try await lane.run { [self] in
            try device.withLock { device throws -> Played in
                guard let pcm = resolvedPCM(device, label: label) else {
                    device.absent = true
                    throw PlatformError(call: "snd_pcm_open", errno: ENODEV, subject: "usb", detail: "no USB sound card is plugged in")
                }
                do {
                    let playback = try device.playback ?? ALSAPlayback(pcmName: pcm, sampleRate: sampleRate)
                    device.playback = perPhrase ? nil : playback
                    device.absent = false
                    defer { if perPhrase { playback.close() } }
                    let started = ContinuousClock.now
                    if volumePercent == 100 {
                        try phrase.samples.withUnsafeBufferPointer { samples in try playback.writeBlocking(samples) }
                    } else {
                        Self.scale(phrase.samples, percent: volumePercent, into: &device.scratch)
                        try device.scratch.withUnsafeBufferPointer { samples in
                            try playback.writeBlocking(UnsafeBufferPointer(rebasing: samples[..<phrase.samples.count]))
                        }
                    }
                    try playback.drainBlocking()
                    return Played(started: started, speaker: name)
                } catch {
                    // Whatever failed, start from a fresh open next time; a vanished card
                    // shows as absent until it opens again.
                    device.playback?.close()
                    device.playback = nil
                    if let failure = error as? PlatformError, failure.meansDeviceGone || failure.call == "snd_pcm_open" {
                        device.absent = true
                    }
                    throw error
                }
            }
        }
    }

    /// `samples × percent / 100` into `buffer` (grown if needed, never shrunk).
    static func scale(_ samples: [Int16], percent: Int, into buffer: inout [Int16]) {
        if buffer.count < samples.count { buffer.append(contentsOf: repeatElement(0, count: samples.count - buffer.count)) }
        for index in samples.indices {
            buffer[index] = Int16(Int32(samples[index]) * Int32(percent) / 100)
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
