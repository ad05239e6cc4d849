import Foundation
import StallCore
import StallTestSupport
import Testing

/// libudev for real, under umockdev: enumeration of an emulated CH340 scale adapter, a
/// scripted byte stream read through the emulated /dev/ttyUSB0, and add/remove events sent
/// through libumockdev to a running daemon. Serialized: umockdev testbeds are per process
/// tree, but the timings are real.
@Suite(.serialized, .enabled(if: UmockdevTestbed.available, "umockdev is not installed (scripts/install-deps.sh)"))
struct UdevHotplugTests {
    static let fixtures = RepositoryFiles.path("Tests/Fixtures/umockdev")
    static let umockdevRun = "/usr/bin/umockdev-run"

    func lines(_ text: String) throws -> [JSONValue] {
        try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    @Test func enumerationSeesTheCH340ScaleWithItsProperties() throws {
        let result = try ChildProcess.run(
            Self.umockdevRun, ["-d", Self.fixtures + "/ch340-scale.umockdev", "--", ChildProcess.binDirectory + "/stallctl", "devices"])
        #expect(result.status == 0, "\(result.error)")
        let devices = try lines(result.output)
        #expect(devices.count == 1, "\(result.output)")
        let port = try #require(devices.first)
        #expect(port["node"]?.stringValue == "/dev/ttyUSB0")
        #expect(port["subsystem"]?.stringValue == "tty")
        #expect(port["usb_id"]?.stringValue == "1a86:7523")
        #expect(port["model"]?.stringValue == "WCH CH340")
        #expect(port["role"]?.stringValue == "scale_port")
        // No serial number on a CH340: remembered by its USB path.
        #expect(port["identity"]?.stringValue == "path:pci-0000:00:14.0-usb-0:2:1.0")
    }

    @Test func enumerationSeesAUSBSoundCardAsASpeaker() throws {
        let result = try ChildProcess.run(
            Self.umockdevRun, ["-d", Self.fixtures + "/usb-speaker.umockdev", "--", ChildProcess.binDirectory + "/stallctl", "devices"])
        #expect(result.status == 0, "\(result.error)")
        let speakers = try lines(result.output).filter { $0["subsystem"]?.stringValue == "sound" && $0["role"]?.stringValue == "speaker" }
        #expect(!speakers.isEmpty, "\(result.output)")
        #expect(speakers.allSatisfy { $0["usb_id"]?.stringValue == "0d8c:013c" })
    }

    @Test func anAdapterOutsideTheCatalogIsListedOnlyWithAll() throws {
        let fixture = Self.fixtures + "/aten-uc232a.umockdev"
        let plain = try ChildProcess.run(Self.umockdevRun, ["-d", fixture, "--", ChildProcess.binDirectory + "/stallctl", "devices"])
        #expect(plain.status == 0)
        #expect(plain.output.isEmpty, "\(plain.output)")
        let all = try ChildProcess.run(Self.umockdevRun, ["-d", fixture, "--", ChildProcess.binDirectory + "/stallctl", "devices", "--all"])
        let port = try #require(try lines(all.output).first { $0["node"]?.stringValue == "/dev/ttyUSB0" })
        #expect(port["usb_id"]?.stringValue == "0557:2008")
        #expect(port["role"] == .null)
    }

    /// An A&D indicator streaming on the emulated port, as a umockdev script: `stallctl
    /// probe` finds the protocol and settings by sniffing and prints the readings.
    @Test func aScriptedStreamIsReadThroughTheEmulatedPort() throws {
        let directory = NSTemporaryDirectory() + "stallbox-umockdev-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // umockdev script: `r <ms after the previous line> <bytes>`, control bytes as ^M ^J.
        // The first line waits for the program to open (and flush) the port.
        var script = "r 400 ST,GS,+0012.34kg^M^J\n"
        for index in 0..<40 {
            script += "r 120 \(index % 10 == 9 ? "US" : "ST"),GS,+0012.34kg^M^J\n"
        }
        try script.write(toFile: directory + "/scale.script", atomically: true, encoding: .utf8)
        let result = try ChildProcess.run(
            Self.umockdevRun,
            ["-d", Self.fixtures + "/ch340-scale.umockdev", "-s", "/dev/ttyUSB0=" + directory + "/scale.script", "--",
             ChildProcess.binDirectory + "/stallctl", "probe", "/dev/ttyUSB0", "--seconds", "5", "--frames", "3"])
        #expect(result.status == 0, "\(result.output)\n\(result.error)")
        let output = try lines(result.output)
        let summary = try #require(output.last)
        #expect(summary["protocol"]?.stringValue == "ad-st")
        // umockdev's pty passes bytes unchanged at any line setting, so the first setting
        // whose sniff heard two lines wins: 9600 8N1 (tried first) unless the run was slow.
        #expect(summary["settings"]?.stringValue?.hasPrefix("9600 ") == true)
        #expect(summary["talk"]?.stringValue == "listen")
        #expect(output.dropLast().contains { $0["reading_mg"]?.intValue == 12_340_000 })
    }

    /// The daemon in a testbed: the CH340 is plugged (uevent add) while it runs, is adopted,
    /// detected and streams; a remove event moves it to `absent`; an add brings readings back
    /// within 2 s from its remembered settings.
    @Test func addAndRemoveEventsMoveTheScaleAndBringItBack() async throws {
        let testbed = try UmockdevTestbed()
        defer { testbed.close() }
        let rig = try StallboxRig()
        try """
            [ledger]
            path = "\(rig.directory)/ledger.sqlite"
            key = "\(rig.directory)/device.key"

            [log]
            level = "debug"

            [hotplug]
            memory = "\(rig.directory)/scales.json"

            [speaker]
            voice_pack = "\(RepositoryFiles.path("voice-packs/default"))"

            [diag]
            socket = "\(rig.diagSocket)"
            """.write(toFile: rig.directory + "/stallbox.toml", atomically: true, encoding: .utf8)
        rig.daemon = try ChildProcess(
            "stallboxd", ["--config", rig.directory + "/stallbox.toml"], outputDirectory: rig.directory, environment: testbed.environment)
        defer { rig.daemon?.kill9() }
        let watching = await eventually(timeout: .seconds(30)) { rig.daemon?.output.contains("watching udev") == true }
        try #require(watching, "\(rig.logs())")

        func scale() throws -> JSONValue? {
            try rig.ctlJSON(["status"])["scales"]?.arrayValue?.first
        }
        func describe() -> String {
            ((try? scale()) ?? nil).map(CanonicalJSON.string) ?? "no scale"
        }
        func feed(until condition: (JSONValue) -> Bool, timeout: Duration) async throws -> Duration? {
            let start = ContinuousClock.now
            while ContinuousClock.now - start < timeout {
                try testbed.command("write /dev/ttyUSB0 ST,GS,+0001.50kg\\r\\n")
                if let current = try scale(), condition(current) { return ContinuousClock.now - start }
                try await Task.sleep(for: .milliseconds(100))
            }
            return nil
        }

        let nodes = try testbed.command("plug " + Self.fixtures + "/ch340-scale.umockdev")
        #expect(nodes.contains("/dev/ttyUSB0"))
        let detected = try await feed(until: { $0["state"]?.stringValue == "streaming" }, timeout: .seconds(10))
        #expect(detected != nil, "\(describe())\n\(rig.logs())")
        let first = try #require(try scale())
        #expect(first["name"]?.stringValue == "usb-ttyUSB0")
        #expect(first["protocol"]?.stringValue == "ad-st")
        #expect(first["settings"]?.stringValue == "9600 8N1")
        #expect(first["last_weight_mg"]?.intValue == 1_500_000)

        let tty = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0"
        try testbed.command("event \(tty) remove")
        let gone = try await feed(until: { $0["state"]?.stringValue == "absent" }, timeout: .seconds(3))
        #expect(gone != nil, "\(describe())")

        try testbed.command("event \(tty) add")
        let back = try await feed(until: { $0["state"]?.stringValue == "streaming" && $0["opens"]?.intValue == 2 }, timeout: .seconds(5))
        let elapsed = try #require(back, "\(describe())\n\(rig.logs())")
        #expect(elapsed < .seconds(2), "readings came back \(elapsed) after the add")
        let again = try #require(try scale())
        #expect(again["source"]?.stringValue == "remembered")
        #expect(try rig.ctlJSON(["status"])["scales"]?.arrayValue?.count == 1)
        let memory = try String(contentsOfFile: rig.directory + "/scales.json", encoding: .utf8)
        #expect(memory.contains("path:pci-0000:00:14.0-usb-0:2:1.0") && memory.contains("ad-st"))
        await rig.stopAll()
    }

    /// The ALSA speaker follows its card through udev: absent before the card is plugged,
    /// opened when udev adds it, absent on its removal, back on the next add. (The audio
    /// goes to ALSA's `null` PCM: umockdev emulates the card's udev side, not its PCM.)
    @Test func aSoundCardsAddAndRemoveMoveTheSpeaker() async throws {
        let testbed = try UmockdevTestbed()
        defer { testbed.close() }
        let rig = try StallboxRig()
        try """
            [ledger]
            path = "\(rig.directory)/ledger.sqlite"
            key = "\(rig.directory)/device.key"

            [speaker]
            pcm = "null"
            card = "Device"
            voice_pack = "\(RepositoryFiles.path("voice-packs/default"))"

            [diag]
            socket = "\(rig.diagSocket)"
            """.write(toFile: rig.directory + "/stallbox.toml", atomically: true, encoding: .utf8)
        rig.daemon = try ChildProcess(
            "stallboxd", ["--config", rig.directory + "/stallbox.toml"], outputDirectory: rig.directory, environment: testbed.environment)
        defer { rig.daemon?.kill9() }
        let watching = await eventually(timeout: .seconds(30)) { rig.daemon?.output.contains("watching udev for the sound card") == true }
        try #require(watching, "\(rig.logs())")
        func state() -> String? {
            (try? rig.ctlJSON(["status"]))?["speakers"]?.arrayValue?.first?["state"]?.stringValue
        }
        #expect(await eventually(timeout: .seconds(5)) { state() == "absent" }, "\(rig.logs())")

        try testbed.command("plug " + Self.fixtures + "/usb-speaker.umockdev")
        #expect(await eventually(timeout: .seconds(5)) { state() == "ok" }, "\(rig.logs())")

        let card = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/sound/card1"
        try testbed.command("event \(card) remove")
        #expect(await eventually(timeout: .seconds(5)) { state() == "absent" }, "\(rig.logs())")
        try testbed.command("event \(card) add")
        #expect(await eventually(timeout: .seconds(5)) { state() == "ok" }, "\(rig.logs())")
        await rig.stopAll()
    }
}
