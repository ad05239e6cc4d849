import Glibc

/// A blocking client for line-oriented Unix stream sockets: `stallctl` talking to the
/// diagnostic socket. One request line out, reply lines in; every call bounded by a timeout.
public final class UnixLineClient {
    private let descriptor: Int32
    public let path: String
    private var pending: [UInt8] = []

    public init(path: String) throws(PlatformError) {
        self.path = path
        let fd = try retryingEINTR("socket", subject: path) { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            _ = Glibc.close(fd)
            throw PlatformError(call: "connect", errno: ENAMETOOLONG, subject: path)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if result != 0 {
            let code = errno
            _ = Glibc.close(fd)
            throw PlatformError(call: "connect", errno: code, subject: path)
        }
        descriptor = fd
    }

    deinit { _ = Glibc.close(descriptor) }

    public func send(line: [UInt8]) throws(PlatformError) {
        let bytes = line + [0x0A]
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + written, bytes.count - written, Int32(MSG_NOSIGNAL)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw PlatformError(call: "send", errno: errno, subject: path)
            }
            written += result
        }
    }

    /// Reads one line (without its newline), waiting at most `timeoutMs` for each chunk.
    /// Nil when the server closed the connection.
    public func readLine(timeoutMs: Int32, maxBytes: Int = 64 << 20) throws(PlatformError) -> [UInt8]? {
        while true {
            if let newline = pending.firstIndex(of: 0x0A) {
                let line = Array(pending[..<newline])
                pending.removeFirst(newline + 1)
                return line
            }
            guard pending.count <= maxBytes else { throw PlatformError(call: "recv", errno: EMSGSIZE, subject: path) }
            var pollfd = Glibc.pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = try retryingEINTR("poll", subject: path) { poll(&pollfd, 1, timeoutMs) }
            if ready == 0 { throw PlatformError(call: "recv", errno: ETIMEDOUT, subject: path) }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = try retryingEINTR("recv", subject: path) { chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, 65536, 0) } }
            if count == 0 { return nil }
            pending += chunk.prefix(count)
        }
    }
}
