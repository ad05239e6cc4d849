import Glibc

/// A failed system call: which call, on what, and the `errno` it left. Every C call in
/// Stallbox reports failure through this type so a log line says exactly what broke.
public struct PlatformError: Error, Hashable, Sendable, CustomStringConvertible {
    public var call: String
    public var errno: Int32
    /// The device path, socket path or PCM name the call was about, if any.
    public var subject: String?
    /// For library calls that return their own error text (ALSA), that text.
    public var detail: String?

    public init(call: String, errno: Int32, subject: String? = nil, detail: String? = nil) {
        self.call = call
        self.errno = errno
        self.subject = subject
        self.detail = detail
    }

    public var description: String {
        let what = detail ?? String(cString: strerror(errno))
        return "\(call)(\(subject ?? "")): \(what) (errno \(errno))"
    }

    /// The device is gone (unplugged USB adapter, vanished sound card).
    public var meansDeviceGone: Bool { errno == ENODEV || errno == ENXIO || errno == EIO || errno == ENOENT }
}

/// Runs a C call that returns -1 and sets errno on failure, retrying on EINTR.
@inline(__always)
func retryingEINTR<T: BinaryInteger>(_ call: String, subject: String? = nil, _ body: () -> T) throws(PlatformError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = Glibc.errno
        if code == EINTR { continue }
        throw PlatformError(call: call, errno: code, subject: subject)
    }
}
