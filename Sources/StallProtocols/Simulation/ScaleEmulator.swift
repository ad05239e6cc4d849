import StallCore

/// The scale's side of one protocol, pure: what a simulated scale sends by itself at each
/// display update, and what it answers to the bytes a host sends. `stallbox-sim`, the
/// auto-detection tests and `stallbox-bench` drive these; no decoder depends on them.
///
/// An emulator speaks the way the SPEC.md of its protocol says real scales do, with the
/// default options an installer would leave (e.g. checksum on for Toledo continuous).
public protocol ScaleEmulator: Sendable {
    /// The protocol's name, the same as its decoder's.
    static var protocolName: String { get }
    /// The name `stallbox-sim --protocol` and the registry use; the protocol's name unless
    /// one protocol has several ways of talking (an A&D indicator streaming, or in command
    /// mode answering only when asked).
    static var emulatorName: String { get }
    init()
    /// Bytes sent unasked at one display update (continuous protocols, about 7 a second);
    /// empty for a scale that speaks only when asked.
    mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8]
    /// What the scale answers to `bytes` from the host while showing `reading`. A request
    /// may arrive in pieces: the emulator keeps the incomplete part until the rest comes.
    /// Requests it does not understand get what the real scale gives them (often nothing).
    mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8]
}

extension ScaleEmulator {
    public static var emulatorName: String { protocolName }
}

/// A Mettler-style indicator in standard continuous output: full frames, kg, three
/// decimals, checksum on. It ignores whatever the host sends.
public struct ToledoContinuousEmulator: ScaleEmulator {
    public static let protocolName = ToledoContinuousDecoder.protocolName
    public init() {}

    public mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] {
        WeighingScript.toledoFrame(reading)
    }

    public mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] { [] }
}
