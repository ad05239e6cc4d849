import StallCore
import StallPlatform
import StallProtocols

extension ScaleSupervisor {
    /// Reads an identified scale until the port fails, udev removes it, a detected scale
    /// falls silent for `redetectAfter`, or the daemon stops. Polled scales are asked by a
    /// `ScalePoller`; every frame goes to the weighing detector.
    ///
    /// `heard` (what identified the scale) is decoded first; it was already counted in `bytes`.
    func stream(_ port: SerialPort, identification: ScaleIdentification, generation: Int, heard: [UInt8] = []) async throws -> StreamEnd {
        guard let decoderType = ScaleProtocols.decoder(named: identification.protocolName) else {
            throw UnknownProtocol(name: identification.protocolName)
        }
        var decoder = decoderType.init()
        var detector = WeighingDetector(settings: configuration.detector)
        let start = ContinuousClock.now
        var poller = ScalePoller(talk: identification.talk, start: start)
        let unansweredBefore = status.snapshot.unansweredPolls
        var lastFrameAt = start
        var stale = false
        var pending = heard
        while !stopping {
            liveness.beat(loopName)
            if presence.generation != generation { return .removed }
            if let request = poller.tick(at: .now) { try await port.write(request) }
            let now = ContinuousClock.now
            let bytes: [UInt8]
            let replayed = !pending.isEmpty
            if replayed {
                bytes = pending
                pending = []
            } else {
                bytes = try await port.read(timeoutMs: pollTimeoutMs(until: poller.nextDeadline, now: now, atMost: 200))
            }
            let arrived = ContinuousClock.now
            var frames = 0
            for output in decoder.feed(bytes) {
                switch output {
                case .error(.garbage, _):
                    status.update { $0.resyncs += 1 }
                case .error(let reason, let offset):
                    status.update { $0.badFrames += 1 }
                    logger.debug("bad frame", metadata: ["reason": "\(reason.rawValue)", "offset": "\(offset)"])
                case .frame(let frame, _):
                    frames += 1
                    lastFrameAt = arrived
                    if stale {
                        stale = false
                        logger.info("scale streaming again")
                    }
                    let wallMs = WallClock.nowMs()
                    status.update {
                        $0.state = .streaming
                        $0.frames += 1
                        $0.lastWeight = frame.weight
                        $0.lastStable = frame.stable
                        $0.lastFrameAtMs = wallMs
                    }
                    if case .record(let trade) = detector.observe(frame, at: arrived) {
                        await onTrade(configuration, trade)
                    }
                }
            }
            if !bytes.isEmpty, !replayed {
                status.update { $0.bytes += Int64(bytes.count) }
                if let reply = poller.received(bytes, frames: frames, at: arrived) { try await port.write(reply) }
            }
            let unanswered = Int64(poller.unanswered)
            if unanswered > 0 { status.update { $0.unansweredPolls = unansweredBefore + unanswered } }
            let silent = arrived - lastFrameAt
            if silent > configuration.staleAfter, !stale {
                stale = true
                status.update { $0.state = .stale }
                logger.warning("scale stale", metadata: ["silent": "\(silent)"])
            }
            if configuration.pinned == nil, silent > configuration.redetectAfter { return .redetect }
        }
        return .shutdown
    }
}
