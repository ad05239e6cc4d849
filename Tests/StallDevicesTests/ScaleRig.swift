import Foundation
import Logging
import StallCore
import StallDevices
import StallPlatform
import StallProtocols

/// A supervisor reading a simulated scale over a real pseudo-terminal, for the detection
/// and hotplug tests.
struct ScaleRig {
    static let steady = [WeighingScript.Reading(weight: Milligrams(1_234_000), motion: false)]

    /// Runs `supervisor` and `scales` until `until` holds for its status (checked every
    /// 10 ms) or `timeout` passes; returns the last status and the time it took.
    static func run(
        _ supervisor: ScaleSupervisor, scales: [SimulatedScale], timeout: Duration = .seconds(8),
        until done: @escaping @Sendable (ScaleStatus.Snapshot) -> Bool
    ) async throws -> (snapshot: ScaleStatus.Snapshot, elapsed: Duration, met: Bool) {
        let start = ContinuousClock.now
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for scale in scales { group.addTask { try await scale.run() } }
            group.addTask { try await supervisor.run() }
            defer { group.cancelAll() }
            while ContinuousClock.now - start < timeout {
                let snapshot = supervisor.status.snapshot
                if done(snapshot) { return (snapshot, ContinuousClock.now - start, true) }
                try await Task.sleep(for: .milliseconds(10))
            }
            return (supervisor.status.snapshot, ContinuousClock.now - start, false)
        }
    }

    static func supervisor(path: String, memory: ScaleMemory = ScaleMemory(path: nil), pinned: ScaleIdentification? = nil) throws -> ScaleSupervisor {
        try ScaleSupervisor(
            configuration: ScaleConfiguration(name: "test", path: path, pinned: pinned, staleAfter: .milliseconds(800)),
            memory: memory, liveness: Liveness(), logger: Logger(label: "test"), onTrade: { _, _ in })
    }

    static func streaming(_ snapshot: ScaleStatus.Snapshot) -> Bool {
        snapshot.state == .streaming && snapshot.frames >= 2
    }
}
