import ArgumentParser
import Logging
import StallCore
import StallDevices
import StallPlatform
import StallProtocols

/// `stallctl devices`: what udev sees now, as the daemon sees it: one JSON line per tty
/// and sound device, with the role the device catalog gives it and the identity under
/// which a detected scale is remembered.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List serial ports and sound cards as udev and the device catalog see them.")

    @Flag(name: .long, help: "Also list devices the catalog does not know (built-in UARTs, other USB devices).")
    var all = false

    func run() throws {
        let devices: [UdevDevice]
        do {
            devices = try UdevEnumeration.devices(subsystems: ["tty", "sound"])
        } catch {
            throw fail("cannot enumerate udev devices: \(error)")
        }
        for device in devices {
            guard device.subsystem == "sound" || device.devNode != nil else { continue }
            let role = DeviceCatalog.role(subsystem: device.subsystem, properties: device.properties)
            guard all || role != nil else { continue }
            let usb = device.properties["ID_VENDOR_ID"].flatMap { vendor in device.properties["ID_MODEL_ID"].map { "\(vendor):\($0)" } }
            let entry = usb.flatMap { _ in DeviceCatalog.entry(vendor: device.properties["ID_VENDOR_ID"] ?? "", product: device.properties["ID_MODEL_ID"] ?? "") }
            let line: JSONValue = [
                "subsystem": .string(device.subsystem),
                "node": device.devNode.map(JSONValue.string) ?? .null,
                "links": .array(device.devLinks.map(JSONValue.string)),
                "usb_id": usb.map(JSONValue.string) ?? .null,
                "model": (entry?.name ?? device.properties["ID_MODEL_FROM_DATABASE"] ?? device.properties["ID_MODEL"]).map(JSONValue.string) ?? .null,
                "role": role.map { JSONValue.string(Self.name($0)) } ?? .null,
                "identity": DeviceCatalog.identityKey(properties: device.properties).map(JSONValue.string) ?? .null,
                "syspath": .string(device.sysPath),
            ]
            print(CanonicalJSON.string(line))
        }
    }

    static func name(_ role: DeviceRole) -> String {
        switch role {
        case .scalePort: "scale_port"
        case .scale(let hint): "scale:" + hint
        case .speaker: "speaker"
        }
    }
}

/// `stallctl probe PORT`: runs the daemon's detection on one port (stop the daemon first,
/// or pick a port it does not read) and prints what answered and the first readings.
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Find the protocol and line settings of the scale on a serial port, and show its readings.")

    @Argument(help: "The serial port, e.g. /dev/ttyUSB0.")
    var port: String

    @Option(name: .long, help: "Give up after this many seconds.")
    var seconds: Int = 8

    @Option(name: .long, help: "Readings to print once identified.")
    var frames: Int = 3

    @Flag(name: .long, help: "Log each step of the search on stderr.")
    var verbose = false

    func run() async throws {
        let memory = ScaleMemory(path: nil)
        // Progress to stderr; stdout carries only the JSON lines.
        var logger = Logger(label: "stallctl") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .debug : .warning
        let supervisor = try ScaleSupervisor(
            configuration: ScaleConfiguration(name: "probe", path: port, redetectAfter: .seconds(3600)), memory: memory,
            liveness: Liveness(), logger: logger, onTrade: { _, _ in })
        let start = ContinuousClock.now
        let wanted = Int64(max(1, frames))
        let snapshot = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await supervisor.run() }
            defer { group.cancelAll() }
            var printed: Int64 = 0
            while ContinuousClock.now - start < .seconds(max(1, seconds)) {
                let snapshot = supervisor.status.snapshot
                if snapshot.frames > printed, let weight = snapshot.lastWeight {
                    printed = snapshot.frames
                    print(CanonicalJSON.string(["reading_mg": .int(weight.value), "frames": .int(snapshot.frames)]))
                    if printed >= wanted { return snapshot }
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return supervisor.status.snapshot
        }
        let elapsed = ContinuousClock.now - start
        let result: JSONValue = [
            "port": .string(port),
            "protocol": snapshot.protocolName.map(JSONValue.string) ?? .null,
            "settings": snapshot.settings.map(JSONValue.string) ?? .null,
            "talk": memory.identification(for: supervisor.configuration.memoryKey).map { JSONValue.string(Self.talk($0.talk)) } ?? .null,
            "state": .string(snapshot.state.rawValue),
            "frames": .int(snapshot.frames), "bad_frames": .int(snapshot.badFrames), "resyncs": .int(snapshot.resyncs),
            "bytes": .int(snapshot.bytes),
            "elapsed_ms": .int(elapsed.wholeMilliseconds),
            "last_error": snapshot.lastError.map(JSONValue.string) ?? .null,
        ]
        print(CanonicalJSON.string(result))
        if snapshot.protocolName == nil || snapshot.frames == 0 { throw ExitCode(1) }
    }

    static func talk(_ talk: ScaleTalk) -> String {
        switch talk {
        case .listen: "listen"
        case .poll(let request): "poll " + Hex.encode(request)
        case .enquire(let enquiry, _, _, let request): "enquire " + Hex.encode(enquiry) + " then " + Hex.encode(request)
        }
    }
}
