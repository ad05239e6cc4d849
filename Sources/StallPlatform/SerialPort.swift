import Glibc

/// A serial port opened with termios in raw mode.
///
/// Reads wait with poll(2) for at most a given time, so a silent scale never blocks a
/// thread forever; they run on NIO's blocking thread pool, off the cooperative pool.
/// Opening does not require a real TTY: under umockdev an emulated port is not a tty,
/// and a pseudo-terminal slave is; settings are applied where termios allows.
public final class SerialPort: Sendable {
    public let path: String
    public let descriptor: Int32
    private let lane = BlockingLane()

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    public static func open(path: String, settings: SerialSettings) throws(PlatformError) -> SerialPort {
        if let problem = settings.validate() {
            throw PlatformError(call: "configure", errno: EINVAL, subject: path, detail: problem)
        }
        let fd = try retryingEINTR("open", subject: path) { Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK) }
        let port = SerialPort(path: path, descriptor: fd)
        do {
            try port.apply(settings)
        } catch {
            port.close()
            throw error
        }
        return port
    }

    /// Changes the line settings of the open port and discards unread input (bytes read
    /// at the old settings mean nothing at the new ones). Auto-detection steps through
    /// candidate settings this way without reopening the device.
    public func reconfigure(_ settings: SerialSettings) throws(PlatformError) {
        if let problem = settings.validate() {
            throw PlatformError(call: "configure", errno: EINVAL, subject: path, detail: problem)
        }
        try apply(settings)
    }

    func apply(_ settings: SerialSettings) throws(PlatformError) {
        var attributes = termios()
        if tcgetattr(descriptor, &attributes) != 0 {
            // Not a terminal (an emulated device, a FIFO in tests): nothing to configure.
            if errno == ENOTTY || errno == EINVAL { return }
            throw PlatformError(call: "tcgetattr", errno: errno, subject: path)
        }
        cfmakeraw(&attributes)
        attributes.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        attributes.c_cflag |= tcflag_t(CLOCAL | CREAD)
        switch settings.dataBits {
        case 5: attributes.c_cflag |= tcflag_t(CS5)
        case 6: attributes.c_cflag |= tcflag_t(CS6)
        case 7: attributes.c_cflag |= tcflag_t(CS7)
        default: attributes.c_cflag |= tcflag_t(CS8)
        }
        switch settings.parity {
        case .none: break
        case .even: attributes.c_cflag |= tcflag_t(PARENB)
        case .odd: attributes.c_cflag |= tcflag_t(PARENB | PARODD)
        }
        attributes.c_iflag &= ~tcflag_t(INPCK | IGNPAR)
        if settings.parity != .none {
            // Check parity and drop bytes that fail it (or arrive with a framing error)
            // rather than passing corrupt bytes or NULs on to the decoder.
            attributes.c_iflag |= tcflag_t(INPCK | IGNPAR)
        }
        if settings.stopBits == 2 { attributes.c_cflag |= tcflag_t(CSTOPB) }
        attributes.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        // VMIN=0, VTIME=0: reads return what is there; waiting is done with poll(2).
        withUnsafeMutableBytes(of: &attributes.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        let speed = Self.speed(for: settings.baud)
        if cfsetispeed(&attributes, speed) != 0 { throw PlatformError(call: "cfsetispeed", errno: errno, subject: path) }
        if cfsetospeed(&attributes, speed) != 0 { throw PlatformError(call: "cfsetospeed", errno: errno, subject: path) }
        do {
            _ = try retryingEINTR("tcsetattr", subject: path) { tcsetattr(descriptor, TCSANOW, &attributes) }
        } catch where error.errno == EINVAL && alreadyApplied(attributes) {
            // A pseudo-terminal keeps CS8 without PARENB whatever is asked; asking again for
            // settings it already holds changes nothing, which Linux reports as EINVAL.
        }
        _ = try retryingEINTR("tcflush", subject: path) { tcflush(descriptor, TCIFLUSH) }
    }

    /// Whether the port already has `wanted`'s speed and input flags (the parts every tty
    /// keeps as asked).
    func alreadyApplied(_ wanted: termios) -> Bool {
        var current = termios()
        guard tcgetattr(descriptor, &current) == 0 else { return false }
        var wanted = wanted
        return cfgetispeed(&current) == cfgetispeed(&wanted) && cfgetospeed(&current) == cfgetospeed(&wanted)
            && current.c_iflag == wanted.c_iflag
    }

    static func speed(for baud: Int) -> speed_t {
        switch baud {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115200: speed_t(B115200)
        default: speed_t(B9600)
        }
    }

    /// Waits up to `timeoutMs` for bytes and returns what arrived (empty on timeout).
    /// Throws when the port failed or vanished (EIO, ENODEV, POLLHUP on an unplugged
    /// adapter or a closed PTY master).
    public func readBlocking(maxBytes: Int = 512, timeoutMs: Int32) throws(PlatformError) -> [UInt8] {
        var pollfd = Glibc.pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = try retryingEINTR("poll", subject: path) { poll(&pollfd, 1, timeoutMs) }
        if ready == 0 { return [] }
        if pollfd.revents & Int16(POLLNVAL) != 0 { throw PlatformError(call: "poll", errno: EBADF, subject: path) }
        var buffer = [UInt8](repeating: 0, count: maxBytes)
        let count: Int
        do {
            count = try retryingEINTR("read", subject: path) {
                buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, maxBytes) }
            }
        } catch where error.errno == EAGAIN {
            return []
        }
        if count == 0 {
            // Readable with nothing to read: the other side hung up.
            if pollfd.revents & Int16(POLLHUP | POLLERR) != 0 { throw PlatformError(call: "read", errno: EIO, subject: path, detail: "hang-up") }
            return []
        }
        return Array(buffer.prefix(count))
    }

    /// Reads off the cooperative pool, on the port's own thread.
    public func read(maxBytes: Int = 512, timeoutMs: Int32) async throws -> [UInt8] {
        try await lane.run { try self.readBlocking(maxBytes: maxBytes, timeoutMs: timeoutMs) }
    }

    /// Writes every byte, waiting while the driver's buffer is full.
    public func writeBlocking(_ bytes: [UInt8]) throws(PlatformError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                Glibc.write(descriptor, raw.baseAddress! + written, bytes.count - written)
            }
            if result >= 0 {
                written += result
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN {
                var pollfd = Glibc.pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = try retryingEINTR("poll", subject: path) { poll(&pollfd, 1, 1000) }
                continue
            }
            throw PlatformError(call: "write", errno: code, subject: path)
        }
    }

    public func write(_ bytes: [UInt8]) async throws {
        try await lane.run { try self.writeBlocking(bytes) }
    }

    public func close() {
        lane.stop()
        // close(2) must not be retried on EINTR on Linux: the descriptor is already gone.
        _ = Glibc.close(descriptor)
    }
}
