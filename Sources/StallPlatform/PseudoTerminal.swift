import CStallSystem
import Glibc

/// A pseudo-terminal pair: the master end is ours (a simulated scale writes frames into
/// it), the slave path is what the daemon opens as if it were a real serial port.
public final class PseudoTerminal: Sendable {
    public let masterDescriptor: Int32
    public let slavePath: String
    /// Held open so the slave does not report hang-up between readers.
    private let slaveKeepAlive: Int32
    private let lane = BlockingLane()

    public init() throws(PlatformError) {
        let master = try retryingEINTR("posix_openpt") { stall_posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC) }
        guard stall_grantpt(master) == 0 else {
            let code = errno
            _ = Glibc.close(master)
            throw PlatformError(call: "grantpt", errno: code)
        }
        guard stall_unlockpt(master) == 0 else {
            let code = errno
            _ = Glibc.close(master)
            throw PlatformError(call: "unlockpt", errno: code)
        }
        var name = [CChar](repeating: 0, count: 128)
        let result = stall_ptsname_r(master, &name, name.count)
        guard result == 0 else {
            _ = Glibc.close(master)
            throw PlatformError(call: "ptsname_r", errno: result)
        }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slave: Int32
        do {
            slave = try retryingEINTR("open", subject: path) { Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC) }
        } catch {
            _ = Glibc.close(master)
            throw error
        }
        // Raw mode on the slave so the line discipline passes every byte (CR, 0x7F...) through.
        var attributes = termios()
        if tcgetattr(slave, &attributes) == 0 {
            cfmakeraw(&attributes)
            _ = tcsetattr(slave, TCSANOW, &attributes)
        }
        self.masterDescriptor = master
        self.slavePath = path
        self.slaveKeepAlive = slave
    }

    /// Writes bytes as the device would send them.
    public func write(_ bytes: [UInt8]) throws(PlatformError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                Glibc.write(masterDescriptor, raw.baseAddress! + written, bytes.count - written)
            }
            if result >= 0 {
                written += result
            } else if errno != EINTR {
                throw PlatformError(call: "write", errno: errno, subject: slavePath)
            }
        }
    }

    /// Reads what the host sent to the device, waiting up to `timeoutMs`.
    public func read(timeoutMs: Int32) throws(PlatformError) -> [UInt8] {
        var pollfd = Glibc.pollfd(fd: masterDescriptor, events: Int16(POLLIN), revents: 0)
        let ready = try retryingEINTR("poll", subject: slavePath) { poll(&pollfd, 1, timeoutMs) }
        if ready == 0 { return [] }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = try retryingEINTR("read", subject: slavePath) {
            buffer.withUnsafeMutableBytes { Glibc.read(masterDescriptor, $0.baseAddress, 512) }
        }
        return Array(buffer.prefix(count))
    }

    /// `read`, off the cooperative pool (a simulated scale inside a test process).
    public func receive(timeoutMs: Int32) async throws -> [UInt8] {
        try await lane.run { try self.read(timeoutMs: timeoutMs) }
    }

    /// The line settings the program on the slave side asked for, as far as a Linux
    /// pseudo-terminal keeps them: the speed and stop bits as set, parity from `INPCK`
    /// (which `SerialPort` sets with parity) and `PARODD`. Linux forces CS8 and clears
    /// PARENB on a pty, so data bits are inferred: 7 with parity, 8 without, which holds
    /// for every setting Stallbox probes. A simulated scale uses this to garble what a
    /// real line would garble when the two ends disagree.
    public func peerLineSettings() throws(PlatformError) -> SerialSettings {
        var attributes = termios()
        guard tcgetattr(masterDescriptor, &attributes) == 0 else {
            throw PlatformError(call: "tcgetattr", errno: errno, subject: slavePath)
        }
        let parity: SerialSettings.Parity =
            attributes.c_iflag & tcflag_t(INPCK) == 0 ? .none : (attributes.c_cflag & tcflag_t(PARODD) != 0 ? .odd : .even)
        let speed = cfgetospeed(&attributes)
        let baud = SerialSettings.supportedBauds.first { SerialPort.speed(for: $0) == speed } ?? 0
        return SerialSettings(
            baud: baud, dataBits: parity == .none ? 8 : 7, parity: parity,
            stopBits: attributes.c_cflag & tcflag_t(CSTOPB) != 0 ? 2 : 1)
    }

    public func close() {
        lane.stop()
        _ = Glibc.close(slaveKeepAlive)
        _ = Glibc.close(masterDescriptor)
    }
}
