import StallCore
import StallPlatform
import StallProtocols

extension ScaleSupervisor {
    /// Runs the `ScaleProbe` state machine against the open port: configures the line,
    /// sends its requests, feeds it what arrives until each listen deadline. Returns what
    /// answered and the bytes heard at its setting; throws `Absent` when nothing did; nil
    /// on shutdown or a udev `remove`.
    func detect(_ port: SerialPort, remembered: ScaleIdentification?, generation: Int) async throws -> (ScaleIdentification, heard: [UInt8])? {
        status.update {
            $0.state = .probing
            $0.detections += 1
            $0.protocolName = nil
            $0.settings = nil
            $0.source = nil
        }
        var probe = ScaleProbe(
            candidates: configuration.candidateSettings, remembered: remembered, timing: configuration.probeTiming)
        var actions = probe.start(at: .now)
        while !actions.isEmpty {
            var next: [ScaleProbe.Action] = []
            actions: for action in actions {
                switch action {
                case .configure(let settings):
                    try port.reconfigure(settings)
                    logger.debug("probing", metadata: ["settings": "\(settings)"])
                case .send(let bytes):
                    try await port.write(bytes)
                case .listen(let deadline):
                    while true {
                        liveness.beat(loopName)
                        if stopping || presence.generation != generation { return nil }
                        let now = ContinuousClock.now
                        guard now < deadline else {
                            next = probe.listenEnded(at: now)
                            break actions
                        }
                        let bytes = try await port.read(timeoutMs: pollTimeoutMs(until: deadline, now: now, atMost: 100))
                        guard !bytes.isEmpty else { continue }
                        status.update { $0.bytes += Int64(bytes.count) }
                        let reaction = probe.received(bytes, at: .now)
                        if !reaction.isEmpty {
                            next = reaction
                            break actions
                        }
                    }
                case .identified(let identification):
                    return (identification, probe.heard)
                case .exhausted:
                    throw Absent(
                        description: "no scale protocol answered at \(configuration.candidateSettings.map(\.description).joined(separator: ", "))"
                            + " (\(probe.stepsTried) steps, \(status.snapshot.bytes) bytes heard)")
                }
            }
            actions = next
        }
        return nil
    }
}
