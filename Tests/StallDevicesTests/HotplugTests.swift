import Foundation
import Logging
import StallCore
import StallDevices
import StallPlatform
import StallProtocols
import Testing

/// Unplug and replug over real pseudo-terminals: the configured path is a symbolic link
/// (as udev's /dev/stallbox/scale-… names are) that is pointed at a new terminal, and the
/// udev events are delivered to the supervisor's `DevicePresence` as the fleet does.
@Suite(.serialized) struct HotplugTests {
    func waitFor(_ supervisor: ScaleSupervisor, timeout: Duration = .seconds(8), _ done: (ScaleStatus.Snapshot) -> Bool) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if done(supervisor.status.snapshot) { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    @Test(arguments: ["toledo-continuous", "mt-sics"])
    func unplugMovesToAbsentAndReplugReadsAgainWithinTwoSeconds(emulator name: String) async throws {
        let emulator = try #require(ScaleEmulators.emulator(named: name))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stallbox-hotplug-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let link = directory + "/scale-1"
        let settings = SerialSettings(baud: 4800, dataBits: 8, parity: .none)

        let first = try SimulatedScale(emulator: emulator, line: settings, readings: ScaleRig.steady)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: first.path)
        let supervisor = try ScaleRig.supervisor(path: link)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await supervisor.run() }
            group.addTask { try await first.run() }
            defer { group.cancelAll() }
            let detected = try await waitFor(supervisor, ScaleRig.streaming)
            #expect(detected != nil)
            let framesBefore = supervisor.status.snapshot.frames

            // Unplug: the terminal goes away, udev says remove.
            first.close()
            try FileManager.default.removeItem(atPath: link)
            supervisor.presence.removed()
            let absent = try await waitFor(supervisor, timeout: .seconds(3)) { $0.state == .absent }
            #expect(absent != nil, "state \(supervisor.status.snapshot.state)")

            // Replug: a new terminal at the same stable name, then udev says add.
            let second = try SimulatedScale(emulator: emulator, line: settings, readings: ScaleRig.steady)
            defer { second.close() }
            group.addTask { try await second.run() }
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: second.path)
            supervisor.presence.added(path: link)
            let back = try await waitFor(supervisor) { $0.state == .streaming && $0.frames > framesBefore }
            let elapsed = try #require(back)
            #expect(elapsed < .seconds(2), "readings came back after \(elapsed)")
            let snapshot = supervisor.status.snapshot
            #expect(snapshot.source == .remembered)
            #expect(snapshot.opens >= 2)
        }
    }

    /// A scale that stops sending goes stale, and streams again when it resumes; no read
    /// error, no reopen.
    @Test func aSilentScaleGoesStaleAndRecovers() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let pinned = ScaleIdentification(protocolName: "toledo-continuous", settings: SerialSettings(), talk: .listen)
        let supervisor = try ScaleRig.supervisor(path: pty.slavePath, pinned: pinned)
        let frame = WeighingScript.toledoFrame(.init(weight: Milligrams(500_000), motion: false))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await supervisor.run() }
            defer { group.cancelAll() }
            for _ in 0..<5 {
                try pty.write(frame)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await waitFor(supervisor) { $0.state == .streaming } != nil)
            #expect(try await waitFor(supervisor, timeout: .seconds(3)) { $0.state == .stale } != nil)
            // Garbage, then half a frame and nothing more. The decoder held the last whole
            // frame until the next byte showed whether an LF followed, so that frame is
            // released now (at most one), and the scale goes stale. The garbage is reported
            // when the next accepted frame ends its run.
            let framesBefore = supervisor.status.snapshot.frames
            try pty.write(Array("garbage\r\n".utf8) + Array(frame.prefix(7)))
            #expect(try await waitFor(supervisor, timeout: .seconds(3)) { $0.state == .stale } != nil)
            #expect(supervisor.status.snapshot.frames <= framesBefore + 1)
            for _ in 0..<3 {
                try pty.write(frame)
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await waitFor(supervisor, timeout: .seconds(2)) { $0.state == .streaming } != nil)
            let snapshot = supervisor.status.snapshot
            #expect(snapshot.opens == 1)
            #expect(snapshot.badFrames + snapshot.resyncs >= 1)
        }
    }

    /// A flood of random bytes (a wrong baud rate at full speed, a broken cable) is counted
    /// and skipped; real frames afterwards stream again on the same open port.
    @Test func aFloodOfGarbageIsSkippedAndFramesStreamAgain() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let pinned = ScaleIdentification(protocolName: "ad-st", settings: SerialSettings(), talk: .listen)
        let supervisor = try ScaleRig.supervisor(path: pty.slavePath, pinned: pinned)
        var generator = SystemRandomNumberGenerator()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await supervisor.run() }
            defer { group.cancelAll() }
            #expect(try await waitFor(supervisor) { $0.state == .probing && $0.opens == 1 } != nil)
            for _ in 0..<64 {
                // Random bytes without LF, so no line ever ends: the decoder must drop them
                // as they come rather than keep them.
                try pty.write((0..<1024).map { _ in UInt8.random(in: 0...255, using: &generator) }.map { $0 == 0x0A ? 0x0B : $0 })
            }
            for _ in 0..<5 {
                try pty.write(Array("ST,GS,+0003.25kg\r\n".utf8))
                try await Task.sleep(for: .milliseconds(50))
            }
            let streaming = try await waitFor(supervisor, timeout: .seconds(10)) { $0.state == .streaming && $0.lastWeight == Milligrams(3_250_000) }
            #expect(streaming != nil, "\(supervisor.status.snapshot)")
            let snapshot = supervisor.status.snapshot
            #expect(snapshot.bytes >= 64 * 1024)
            #expect(snapshot.resyncs + snapshot.badFrames >= 1)
            #expect(snapshot.opens == 1)
        }
    }
}
