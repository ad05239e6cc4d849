import Glibc

/// Sends sd_notify(3) messages (`READY=1`, `WATCHDOG=1`, `STOPPING=1`, `STATUS=...`) to the
/// socket systemd names in `NOTIFY_SOCKET`. Without that variable every call is a no-op,
/// so the daemon runs the same under systemd, in tests and by hand.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?

    public init(environment: [String: String]) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The watchdog interval systemd expects pings within, from `WATCHDOG_USEC`.
    public static func watchdogMicroseconds(environment: [String: String]) -> UInt64? {
        guard let text = environment["WATCHDOG_USEC"], let value = UInt64(text), value > 0 else { return nil }
        if let pid = environment["WATCHDOG_PID"], let owner = Int32(pid), owner != getpid() { return nil }
        return value
    }

    public var isActive: Bool { socketPath != nil }

    public func notify(_ state: String) throws(PlatformError) {
        guard let socketPath else { return }
        let fd = try retryingEINTR("socket", subject: socketPath) { socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { _ = Glibc.close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        // A leading '@' names an abstract socket: its first byte is NUL on the wire.
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw PlatformError(call: "sendto", errno: ENAMETOOLONG, subject: socketPath)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let message = Array(state.utf8)
        _ = try retryingEINTR("sendto", subject: socketPath) {
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    message.withUnsafeBytes { sendto(fd, $0.baseAddress, message.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
                }
            }
        }
    }
}
