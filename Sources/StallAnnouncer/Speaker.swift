/// Something that makes a phrase audible. `play` returns when the last sample was played
/// and reports the instant the first sample was handed to the device, which is where an
/// announcement's latency ends.
public protocol Speaker: Sendable {
    /// A short name for records and `status` (`alsa:plughw:1,0`).
    var name: String { get }
    func play(_ samples: [Int16], label: String) async throws -> ContinuousClock.Instant
}
