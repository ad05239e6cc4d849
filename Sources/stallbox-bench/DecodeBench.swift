import ArgumentParser
import StallCore
import StallDevices
import StallProtocols

/// Decode throughput per protocol: a stream of the frames its emulator produces (for a
/// polled scale, its replies to the standard request, handshake bytes included), fed in
/// 256-byte reads as a serial port delivers them.
struct DecodeBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decode", abstract: "Decoder throughput per protocol (MB/s).")

    @Option(name: .long, help: "Megabytes of stream per protocol.")
    var megabytes: Int = 16

    @Option(name: .long, help: "Bytes per feed call.")
    var chunk: Int = 256

    func run() throws {
        print("protocol             MB/s    frames/s   frames    bytes")
        for decoderType in ScaleProtocols.all {
            let name = decoderType.protocolName
            let stream = Self.stream(for: name, bytes: megabytes << 20)
            var decoder = decoderType.init()
            var frames = 0
            let start = ContinuousClock.now
            var index = 0
            while index < stream.count {
                let end = min(stream.count, index + chunk)
                for output in decoder.feed(stream[index..<end]) {
                    if case .frame = output { frames += 1 }
                }
                index = end
            }
            let seconds = milliseconds(ContinuousClock.now - start) / 1000
            let mbps = Double(stream.count) / 1_048_576 / seconds
            print("\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%7.1f", mbps)) \(String(format: "%11.0f", Double(frames) / seconds)) \(String(format: "%8d", frames)) \(String(format: "%8d", stream.count))")
            if frames == 0 { throw ValidationError("\(name): the stream decoded to no frames; the benchmark is wrong") }
        }
    }

    /// About `bytes` of line traffic for `protocolName`, from its emulator, with weights
    /// that change every frame so no decoder can shortcut on repeats.
    static func stream(for protocolName: String, bytes: Int) -> [UInt8] {
        guard let emulatorType = ScaleEmulators.all.first(where: { $0.protocolName == protocolName }) else { return [] }
        var emulator: any ScaleEmulator = emulatorType.init()
        let request = ProbeRequest.standard.first { $0.protocolName == protocolName }?.talk
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 64)
        var step: Int64 = 0
        while out.count < bytes {
            step += 1
            let reading = WeighingScript.Reading(weight: Milligrams((step * 37 % 29_000) * 1000), motion: step % 5 == 0)
            let unasked = emulator.displayUpdate(reading)
            if !unasked.isEmpty {
                out += unasked
                continue
            }
            switch request {
            case .poll(let bytes):
                out += emulator.hostSent(bytes, showing: reading)
            case .enquire(let enquiry, _, _, let request):
                out += emulator.hostSent(enquiry, showing: reading)
                out += emulator.hostSent(request, showing: reading)
            case .listen, nil:
                return out
            }
        }
        return out
    }
}
