/// The error-line rule the scale decoders share (reference/scale-protocols.md 2.2): a
/// maximal run of rejected bytes is reported once, at the run's first byte, with the first
/// rejection's reason, when the run ends (at an accepted frame or the end of input).
struct ErrorRun: Sendable {
    private var pending: (offset: Int, reason: ScaleDecodeError)?

    /// A byte or candidate at `offset` was rejected; opens a run if none is open.
    mutating func note(at offset: Int, _ reason: ScaleDecodeError) {
        if pending == nil { pending = (offset, reason) }
    }

    /// Ends the open run, if any, as one error line.
    mutating func flush(into out: inout [ScaleDecoderOutput]) {
        if let run = pending {
            out.append(.error(run.reason, offset: run.offset))
            pending = nil
        }
    }
}
