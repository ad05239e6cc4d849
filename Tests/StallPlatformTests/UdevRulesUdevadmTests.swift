import Foundation
import Testing

/// udev-rules/60-stallbox.rules run by the real udev (`udevadm test`) against simulated
/// USB-serial adapters (umockdev descriptions in Tests/Fixtures/umockdev), through
/// udev-rules/tests/udevadm-test.sh. The script works in a private mount namespace with
/// its own tmpfs /dev, /run and rules directories, so udev's writes (node permissions,
/// symlinks, its database) never reach this machine's; every test here also checks that.
///
/// Needs root (mknod, mount) and unshare. udevadm (Debian package udev) and umockdev-run
/// (package umockdev) are expected to be installed like the other test dependencies: a
/// missing one fails the test rather than skipping it, so CI cannot pass without running it.
@Suite(.enabled(if: UdevadmTestMachine.canRun, "needs root and unshare (util-linux) for a private mount namespace"))
struct UdevRulesUdevadmTests {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        // Tests/StallPlatformTests/UdevRulesUdevadmTests.swift → repository root
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// What the script reported: udev's properties, the node's mode and group, the links.
    struct Report {
        var properties: [String: String] = [:]
        var nodeMode: String?
        var nodeOwnerGroup: String?
        var links: [String: String] = [:]
        var raw: String
    }

    /// What of the host's /dev the rules would touch: our directory and the /dev/char link
    /// udev makes for every node (188:0 is the fixtures' ttyUSB0).
    struct HostDevSnapshot: Equatable {
        var stallboxEntries: [String]?
        var charLink: String?

        static func take() -> HostDevSnapshot {
            HostDevSnapshot(
                stallboxEntries: try? FileManager.default.contentsOfDirectory(atPath: "/dev/stallbox").sorted(),
                charLink: try? FileManager.default.destinationOfSymbolicLink(atPath: "/dev/char/188:0")
            )
        }
    }

    /// Runs the script on a fixture; records an issue (and returns nil) when it did not
    /// run, and checks that the host's /dev is the same afterwards.
    static func udevadmTest(_ fixture: String, systemRules: Bool = false) throws -> Report? {
        let before = HostDevSnapshot.take()
        let script = repositoryRoot.appendingPathComponent("udev-rules/tests/udevadm-test.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + (systemRules ? ["--with-system-rules"] : [])
            + [repositoryRoot.appendingPathComponent("Tests/Fixtures/umockdev/\(fixture)").path]
        let output = Pipe()
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("udevadm-test-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorPath.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorPath) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorPath)
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorPath, encoding: .utf8)) ?? ""

        #expect(HostDevSnapshot.take() == before, "the host's /dev changed")
        guard process.terminationStatus == 0 else {
            Issue.record("udevadm-test.sh \(fixture) exited \(process.terminationStatus)\(process.terminationStatus == 77 ? " (a tool is missing; scripts/install-deps.sh installs udev and umockdev)" : ""): \(errors)")
            return nil
        }
        var report = Report(raw: text)
        for line in text.split(separator: "\n") {
            if line.hasPrefix("property "), let equals = line.firstIndex(of: "=") {
                report.properties[String(line[line.index(line.startIndex, offsetBy: 9)..<equals])] = String(line[line.index(after: equals)...])
            } else if line.hasPrefix("node ") {
                let fields = line.split(separator: " ")
                if fields.count == 4 {
                    report.nodeMode = String(fields[2])
                    report.nodeOwnerGroup = String(fields[3])
                }
            } else if line.hasPrefix("link "), let arrow = line.range(of: " -> ") {
                report.links[String(line[line.index(line.startIndex, offsetBy: 5)..<arrow.lowerBound])] = String(line[arrow.upperBound...])
            }
        }
        return report
    }

    static let ch340Link = "/dev/stallbox/scale-pci-0000_00_14_0-usb-0_2_1_0"

    @Test func aCH340GetsModemManagerFlagsTheSystemdTagTheStableLinkAndGroupDialout() throws {
        guard let report = try Self.udevadmTest("ch340-scale.umockdev") else { return }
        #expect(report.properties["ID_MM_DEVICE_IGNORE"] == "1", "\(report.raw)")
        #expect(report.properties["ID_MM_PORT_IGNORE"] == "1")
        #expect(report.properties["STALLBOX_ROLE"] == "scale")
        #expect(report.properties["TAGS"]?.split(separator: ":").contains("systemd") == true)
        // path_id walked the simulated tree: socket 2 of the xHCI controller at 0000:00:14.0.
        #expect(report.properties["ID_PATH_TAG"] == "pci-0000_00_14_0-usb-0_2_1_0")
        #expect(report.properties["DEVLINKS"]?.split(separator: " ").contains(Substring(Self.ch340Link)) == true)
        #expect(report.links[Self.ch340Link] == "../ttyUSB0")
        #expect(report.nodeMode == "660")
        #expect(report.nodeOwnerGroup == "root:dialout")
    }

    @Test func anAdapterOutsideTheCatalogGetsNoneOfIt() throws {
        guard let report = try Self.udevadmTest("aten-uc232a.umockdev") else { return }
        #expect(report.properties["DEVNAME"] == "/dev/ttyUSB0", "the device was processed: \(report.raw)")
        for key in ["ID_MM_DEVICE_IGNORE", "ID_MM_PORT_IGNORE", "STALLBOX_ROLE", "TAGS"] {
            #expect(report.properties[key] == nil, "\(key)")
        }
        #expect(!report.links.keys.contains { $0.hasPrefix("/dev/stallbox/") })
        // Our rules alone leave the node as the kernel made it (Debian's 50-udev-default
        // would still give every ttyUSB group dialout).
        #expect(report.nodeMode == "600")
        #expect(report.nodeOwnerGroup == "root:root")
    }

    /// With Debian's own rules present, as on a real box: udev's usb_id and path_id compute
    /// from the simulated tree the properties the catalog reads, equal to the fixture's
    /// (so the fixture says what a real CH340 says), and our treatment sits beside the
    /// standard /dev/serial links.
    @Test func withDebiansRulesTheFixturesPropertiesAreWhatUdevComputesAndOursStillApply() throws {
        guard let report = try Self.udevadmTest("ch340-scale.umockdev", systemRules: true) else { return }
        let expected = [
            "ID_BUS": "usb", "ID_VENDOR_ID": "1a86", "ID_MODEL_ID": "7523", "ID_USB_INTERFACE_NUM": "00",
            "ID_USB_DRIVER": "ch341", "ID_PATH": "pci-0000:00:14.0-usb-0:2:1.0", "ID_SERIAL": "1a86_USB_Serial",
        ]
        for (key, value) in expected {
            #expect(report.properties[key] == value, "\(key): \(report.raw)")
        }
        #expect(report.properties["ID_SERIAL_SHORT"] == nil, "a CH340 has no serial number")
        #expect(report.links["/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.0-port0"] == "../../ttyUSB0")
        #expect(report.links[Self.ch340Link] == "../ttyUSB0")
        #expect(report.properties["ID_MM_DEVICE_IGNORE"] == "1")
        #expect(report.nodeOwnerGroup == "root:dialout")
    }

    @Test func theLinkIsMadeInThePrivateDevAndTheHostsDevNeverSeesIt() throws {
        let hostHadIt = FileManager.default.fileExists(atPath: Self.ch340Link)
        guard let report = try Self.udevadmTest("ch340-scale.umockdev") else { return }
        #expect(report.links[Self.ch340Link] != nil)
        #expect(FileManager.default.fileExists(atPath: Self.ch340Link) == hostHadIt)
    }
}

/// Whether this machine can run the udevadm tests at all (a suite trait cannot refer to
/// the suite's own members).
enum UdevadmTestMachine {
    static var canRun: Bool { getuid() == 0 && executableInPath("unshare") }

    static func executableInPath(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }
}
