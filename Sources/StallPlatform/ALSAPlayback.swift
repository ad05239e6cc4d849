import CALSA
import Glibc
import NIOPosix

/// Plays 16-bit mono PCM on an ALSA device named in configuration (`plughw:1,0`,
/// `file:FILE=/x.wav,FORMAT=wav`, `null`). The name is never guessed: "default" fails on a
/// box without a configured card, so the daemon is told which PCM to use.
///
/// One instance is one open PCM. Writes block until ALSA has taken the samples, so they run
/// on NIO's blocking thread pool. Underruns are recovered with `snd_pcm_recover`; a card
/// that vanished shows as a `PlatformError` whose `meansDeviceGone` is true.
public final class ALSAPlayback: @unchecked Sendable {
    // @unchecked: the handle is used by one announcement at a time; the announcer's queue
    // serialises every call, and `close` runs after the last write returned.
    private var handle: OpaquePointer?
    public let pcmName: String
    public let sampleRate: Int

    public init(pcmName: String, sampleRate: Int = 16_000, latencyMicroseconds: UInt32 = 100_000) throws(PlatformError) {
        self.pcmName = pcmName
        self.sampleRate = sampleRate
        var pcm: OpaquePointer?
        var result = snd_pcm_open(&pcm, pcmName, SND_PCM_STREAM_PLAYBACK, 0)
        guard result >= 0, let pcm else { throw Self.error("snd_pcm_open", result, pcmName) }
        // soft_resample = 1: let the plug layer convert when the card wants another rate.
        result = snd_pcm_set_params(
            pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, UInt32(sampleRate), 1, latencyMicroseconds)
        guard result >= 0 else {
            snd_pcm_close(pcm)
            throw Self.error("snd_pcm_set_params", result, pcmName)
        }
        handle = pcm
    }

    static func error(_ call: String, _ result: Int32, _ name: String) -> PlatformError {
        PlatformError(call: call, errno: -result, subject: name, detail: String(cString: snd_strerror(result)))
    }

    /// Writes every sample, blocking; recovers from underruns and interrupted writes.
    public func writeBlocking(_ samples: UnsafeBufferPointer<Int16>) throws(PlatformError) {
        guard let handle else { throw PlatformError(call: "snd_pcm_writei", errno: EBADF, subject: pcmName) }
        var offset = 0
        while offset < samples.count {
            let frames = snd_pcm_writei(handle, samples.baseAddress! + offset, snd_pcm_uframes_t(samples.count - offset))
            if frames >= 0 {
                offset += Int(frames)
                continue
            }
            let code = Int32(frames)
            // -EPIPE underrun, -ESTRPIPE suspend, -EINTR: recoverable; anything else is fatal.
            let recovered = snd_pcm_recover(handle, code, 1)
            if recovered < 0 { throw Self.error("snd_pcm_writei", code, pcmName) }
        }
    }

    /// Waits until every written sample has been played.
    public func drainBlocking() throws(PlatformError) {
        guard let handle else { return }
        let result = snd_pcm_drain(handle)
        if result < 0 && result != -EINTR { throw Self.error("snd_pcm_drain", result, pcmName) }
        // drain leaves the PCM in SETUP; prepare it for the next phrase.
        let prepared = snd_pcm_prepare(handle)
        if prepared < 0 { throw Self.error("snd_pcm_prepare", prepared, pcmName) }
    }

    public func play(_ samples: [Int16]) async throws {
        try await NIOThreadPool.singleton.runIfActive {
            try samples.withUnsafeBufferPointer { try self.writeBlocking($0) }
            try self.drainBlocking()
        }
    }

    public func close() {
        if let handle {
            snd_pcm_close(handle)
            self.handle = nil
        }
    }

    deinit { close() }
}
