import Foundation
import StallCore
import StallTestSupport
import Testing

/// stallboxd as systemd runs it: exit codes, READY/STOPPING on NOTIFY_SOCKET.
@Suite(.serialized) struct DaemonLifecycleTests {
    @Test func aBrokenConfigurationExitsWithSeventyEightNamingTheLine() throws {
        let directory = NSTemporaryDirectory() + "stallbox-cfg-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "[ledger]\npath = \"/tmp/x\"\n\n[speaker]\ngap_ms = \"forty\"\n".write(toFile: directory + "/s.toml", atomically: true, encoding: .utf8)
        let result = try ChildProcess.run("stallboxd", ["--config", directory + "/s.toml"])
        #expect(result.status == 78)
        #expect(result.error.contains("s.toml:5: speaker.gap_ms: must be an integer"), "\(result.error)")
        let missing = try ChildProcess.run("stallboxd", ["--config", directory + "/absent.toml"])
        #expect(missing.status == 78)
        #expect(missing.error.contains("absent.toml"))
    }

    @Test func readyIsSentAfterTheSocketListensAndStoppingOnSigterm() async throws {
        let rig = try StallboxRig()
        let notifySocket = rig.directory + "/notify.sock"
        let messages = rig.directory + "/notify.log"
        // socat receives the datagrams systemd would, one per line in the log.
        let receiver = Process()
        receiver.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        receiver.arguments = ["-u", "UNIX-RECV:\(notifySocket)", "CREATE:\(messages)"]
        // Not the test's own stdout: a leftover receiver must not hold the runner's pipe open.
        receiver.standardOutput = FileHandle.nullDevice
        receiver.standardError = FileHandle.nullDevice
        try receiver.run()
        defer { receiver.terminate() }
        #expect(await eventually(timeout: .seconds(5)) { FileManager.default.fileExists(atPath: notifySocket) })
        try rig.startSim(weights: "0.100")
        try rig.writeConfiguration(uplinkPort: 9)
        rig.daemon = try ChildProcess(
            "stallboxd", ["--config", rig.directory + "/stallbox.toml"], outputDirectory: rig.directory,
            environment: ["NOTIFY_SOCKET": notifySocket, "JOURNAL_STREAM": "8:1234"])
        let ready = await eventually(timeout: .seconds(30)) {
            ((try? String(contentsOfFile: messages, encoding: .utf8)) ?? "").contains("READY=1")
        }
        #expect(ready, "\(rig.logs())")
        // Once READY=1 is out, the diagnostic socket answers at once.
        #expect((try? rig.ctl(["identity"])) != nil)
        let status = await rig.daemon?.stop()
        #expect(status == 0)
        let log = (try? String(contentsOfFile: messages, encoding: .utf8)) ?? ""
        #expect(log.contains("STOPPING=1"), "\(log)")
        // Under journald every line carries its priority.
        let lines = rig.daemon?.output.split(separator: "\n") ?? []
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("<") }, "\(rig.daemon?.output ?? "")")
        await rig.stopAll()
    }
}
