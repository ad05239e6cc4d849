import CUdev
import Glibc
import Synchronization

/// One device as udev describes it: from an enumeration (no action) or an event.
public struct UdevDevice: Hashable, Sendable {
    /// `add`, `remove`, `change`, `bind`…; nil for a device found by enumeration.
    public var action: String?
    public var subsystem: String
    public var sysPath: String
    /// E.g. /dev/ttyUSB0; nil for devices without a node (a sound card's parent).
    public var devNode: String?
    /// The udev database properties (ID_VENDOR_ID, ID_SERIAL_SHORT, ID_PATH, DEVLINKS…).
    public var properties: [String: String]
    /// For a sound card (`…/sound/cardN`): ALSA's card id (sysfs `id`, e.g. `Device`), the
    /// name `plughw:CARD=Device` uses.
    public var cardID: String?

    public init(action: String?, subsystem: String, sysPath: String, devNode: String?, properties: [String: String], cardID: String? = nil) {
        self.action = action
        self.subsystem = subsystem
        self.sysPath = sysPath
        self.devNode = devNode
        self.properties = properties
        self.cardID = cardID
    }

    /// The stable names udev rules gave the node (e.g. /dev/stallbox/scale-…, /dev/serial/by-id/…).
    public var devLinks: [String] {
        (properties["DEVLINKS"] ?? "").split(separator: " ").map(String.init)
    }

    /// Reads what libudev holds for `device` (which the caller still owns).
    static func from(_ device: OpaquePointer, action: String?) -> UdevDevice {
        var properties: [String: String] = [:]
        var entry = udev_device_get_properties_list_entry(device)
        while let current = entry {
            if let name = udev_list_entry_get_name(current) {
                properties[String(cString: name)] = udev_list_entry_get_value(current).map { String(cString: $0) } ?? ""
            }
            entry = udev_list_entry_get_next(current)
        }
        let subsystem = udev_device_get_subsystem(device).map { String(cString: $0) } ?? ""
        let sysName = udev_device_get_sysname(device).map { String(cString: $0) } ?? ""
        var cardID: String?
        if subsystem == "sound", sysName.hasPrefix("card") {
            // A removed card's sysfs is gone: the id is then unknown (nil), and the
            // watcher matches the removal by sysfs path instead.
            cardID = udev_device_get_sysattr_value(device, "id").map { String(cString: $0) }
        }
        return UdevDevice(
            action: action,
            subsystem: subsystem,
            sysPath: udev_device_get_syspath(device).map { String(cString: $0) } ?? "",
            devNode: udev_device_get_devnode(device).map { String(cString: $0) },
            properties: properties, cardID: cardID)
    }
}

/// Lists the devices udev knows now, in the given subsystems.
///
/// Not waiting for `udev_device_get_is_initialized`: under umockdev it is never set, and on
/// a real system a device still being set up arrives again as an `add` event.
public enum UdevEnumeration {
    public static func devices(subsystems: [String]) throws(PlatformError) -> [UdevDevice] {
        guard let udev = udev_new() else { throw PlatformError(call: "udev_new", errno: errno == 0 ? ENOMEM : errno) }
        defer { udev_unref(udev) }
        guard let enumerate = udev_enumerate_new(udev) else {
            throw PlatformError(call: "udev_enumerate_new", errno: errno == 0 ? ENOMEM : errno)
        }
        defer { udev_enumerate_unref(enumerate) }
        for subsystem in subsystems {
            let result = udev_enumerate_add_match_subsystem(enumerate, subsystem)
            if result < 0 { throw PlatformError(call: "udev_enumerate_add_match_subsystem", errno: -result, subject: subsystem) }
        }
        let result = udev_enumerate_scan_devices(enumerate)
        if result < 0 { throw PlatformError(call: "udev_enumerate_scan_devices", errno: -result) }
        var devices: [UdevDevice] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            if let path = udev_list_entry_get_name(current), let device = udev_device_new_from_syspath(udev, path) {
                devices.append(UdevDevice.from(device, action: nil))
                udev_device_unref(device)
            }
            entry = udev_list_entry_get_next(current)
        }
        return devices.sorted { $0.sysPath < $1.sysPath }
    }
}

/// Follows udev events (the ones udevd sends after its rules ran, not raw kernel uevents)
/// for some subsystems.
///
/// One owner reads it at a time (the device watcher's loop); the libudev handles are not
/// shared between threads concurrently, which is what libudev requires.
public final class UdevMonitor: @unchecked Sendable {
    private let udev: OpaquePointer
    private let monitor: OpaquePointer
    public let descriptor: Int32
    private let closed = Atomic<Bool>(false)
    private let lane = BlockingLane()

    public init(subsystems: [String]) throws(PlatformError) {
        guard let udev = udev_new() else { throw PlatformError(call: "udev_new", errno: errno == 0 ? ENOMEM : errno) }
        guard let monitor = udev_monitor_new_from_netlink(udev, "udev") else {
            let code = errno == 0 ? EPROTONOSUPPORT : errno
            udev_unref(udev)
            throw PlatformError(call: "udev_monitor_new_from_netlink", errno: code, subject: "udev")
        }
        do throws(PlatformError) {
            for subsystem in subsystems {
                let result = udev_monitor_filter_add_match_subsystem_devtype(monitor, subsystem, nil)
                if result < 0 { throw PlatformError(call: "udev_monitor_filter_add_match_subsystem_devtype", errno: -result, subject: subsystem) }
            }
            let result = udev_monitor_enable_receiving(monitor)
            if result < 0 { throw PlatformError(call: "udev_monitor_enable_receiving", errno: -result) }
        } catch {
            udev_monitor_unref(monitor)
            udev_unref(udev)
            throw error
        }
        let fd = udev_monitor_get_fd(monitor)
        self.udev = udev
        self.monitor = monitor
        self.descriptor = fd
    }

    /// Waits up to `timeoutMs` for one event; nil when none came.
    public func receiveBlocking(timeoutMs: Int32) throws(PlatformError) -> UdevDevice? {
        guard !closed.load(ordering: .acquiring) else { throw PlatformError(call: "udev_monitor_receive_device", errno: EBADF) }
        var pollfd = Glibc.pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = try retryingEINTR("poll", subject: "udev monitor") { poll(&pollfd, 1, timeoutMs) }
        if ready == 0 { return nil }
        errno = 0
        guard let device = udev_monitor_receive_device(monitor) else {
            // A message that was not for us (filtered, wrong sender) or a transient ENOBUFS
            // (events were lost: the caller enumerates again).
            let code = errno
            if code == 0 || code == EAGAIN || code == EINTR { return nil }
            throw PlatformError(call: "udev_monitor_receive_device", errno: code, subject: "udev monitor")
        }
        defer { udev_device_unref(device) }
        return UdevDevice.from(device, action: udev_device_get_action(device).map { String(cString: $0) })
    }

    /// Waits off the cooperative pool.
    public func receive(timeoutMs: Int32) async throws -> UdevDevice? {
        try await lane.run { try self.receiveBlocking(timeoutMs: timeoutMs) }
    }

    /// Releases the monitor; call once, after the last `receive` returned.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        lane.stop()
        udev_monitor_unref(monitor)
        udev_unref(udev)
    }
}

/// The loop every udev watcher runs (scale ports, the speaker's sound card): make a monitor,
/// enumerate (monitor first, so a device added in between is seen twice, harmlessly, rather
/// than never), then hand over events until `stopping`. A monitor that cannot be made or
/// that fails (events lost) is replaced and the devices enumerated again, so nothing that
/// happened meanwhile is missed.
public struct UdevFollower: Sendable {
    public let subsystems: [String]

    public init(subsystems: [String]) {
        self.subsystems = subsystems
    }

    /// - `enumerated`: every device present, after each (re)start of the monitor;
    /// - `event`: each event;
    /// - `failed`: the error and how many times in a row the monitor could not be made; the
    ///   caller logs and waits. `inARow` 0 means a monitor that had worked failed (events
    ///   lost): it is replaced at once, the caller only logs;
    /// - `waiting`: before each wait for an event (no event for hours is normal).
    public func run(
        stopping: () -> Bool,
        enumerated: ([UdevDevice]) async -> Void,
        event: (UdevDevice) async -> Void,
        failed: (any Error, _ inARow: Int) async -> Void,
        waiting: () -> Void = {}
    ) async {
        var failures = 0
        while !stopping() {
            let monitor: UdevMonitor
            let devices: [UdevDevice]
            do {
                monitor = try UdevMonitor(subsystems: subsystems)
                do {
                    devices = try UdevEnumeration.devices(subsystems: subsystems)
                } catch {
                    monitor.close()
                    throw error
                }
            } catch {
                failures += 1
                await failed(error, failures)
                continue
            }
            failures = 0
            await enumerated(devices)
            do {
                while !stopping() {
                    waiting()
                    if let device = try await monitor.receive(timeoutMs: 250) { await event(device) }
                }
            } catch {
                await failed(error, 0)
            }
            monitor.close()
        }
    }
}
