import Glibc

/// File-mode checks for secrets: the device key must be readable by its owner only.
public enum FileSecurity {
    public struct Status: Sendable {
        public var mode: mode_t
        public var ownerID: uid_t
        public var size: Int64
    }

    public static func status(path: String) throws(PlatformError) -> Status? {
        var info = stat()
        if stat(path, &info) != 0 {
            if errno == ENOENT { return nil }
            throw PlatformError(call: "stat", errno: errno, subject: path)
        }
        return Status(mode: info.st_mode & 0o7777, ownerID: info.st_uid, size: Int64(info.st_size))
    }

    /// Creates a file with `mode` that must not exist yet, writes `bytes` and fsyncs it and
    /// its directory, so a power cut never leaves a half-written key behind a good name.
    public static func createExclusive(path: String, bytes: [UInt8], mode: mode_t) throws(PlatformError) {
        let temporary = path + ".tmp"
        try writeSynced(temporary, bytes: bytes, mode: mode)
        if link(temporary, path) != 0 {
            let code = errno
            _ = unlink(temporary)
            throw PlatformError(call: "link", errno: code, subject: path)
        }
        _ = unlink(temporary)
        try syncDirectory(of: path)
    }

    /// Replaces the file at `path` (or creates it) with `bytes` so that after a power cut
    /// it holds either the old or the new content, never a mix: write a temporary file,
    /// fsync it, rename it over the old one, fsync the directory.
    public static func replaceAtomically(path: String, bytes: [UInt8], mode: mode_t) throws(PlatformError) {
        let temporary = path + ".tmp"
        try writeSynced(temporary, bytes: bytes, mode: mode)
        if rename(temporary, path) != 0 {
            let code = errno
            _ = unlink(temporary)
            throw PlatformError(call: "rename", errno: code, subject: path)
        }
        try syncDirectory(of: path)
    }

    /// Writes a fresh file (removing a stale one left by a crash) and fsyncs it.
    private static func writeSynced(_ temporary: String, bytes: [UInt8], mode: mode_t) throws(PlatformError) {
        _ = unlink(temporary)
        let fd = try retryingEINTR("open", subject: temporary) { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                _ = close(fd)
                _ = unlink(temporary)
                throw PlatformError(call: "write", errno: code, subject: temporary)
            }
            written += result
        }
        // The umask may have narrowed the mode, never widened it; set it exactly.
        if fchmod(fd, mode) != 0 {
            let code = errno
            _ = close(fd)
            _ = unlink(temporary)
            throw PlatformError(call: "fchmod", errno: code, subject: temporary)
        }
        if fsync(fd) != 0 {
            let code = errno
            _ = close(fd)
            _ = unlink(temporary)
            throw PlatformError(call: "fsync", errno: code, subject: temporary)
        }
        _ = close(fd)
    }

    /// Renames a file (the same filesystem) and fsyncs its directory, so the move survives
    /// a power cut. A missing source is not an error when `missingOK`.
    public static func moveAside(from source: String, to destination: String, missingOK: Bool = false) throws(PlatformError) {
        if rename(source, destination) != 0 {
            let code = errno
            if code == ENOENT && missingOK { return }
            throw PlatformError(call: "rename", errno: code, subject: source)
        }
        try syncDirectory(of: destination)
    }

    public static func syncDirectory(of path: String) throws(PlatformError) {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let fd = try retryingEINTR("open", subject: directory) { open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { _ = close(fd) }
        if fsync(fd) != 0 && errno != EINVAL { throw PlatformError(call: "fsync", errno: errno, subject: directory) }
    }

    public static func readAll(path: String, limit: Int = 1 << 20) throws(PlatformError) -> [UInt8] {
        let fd = try retryingEINTR("open", subject: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { _ = close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while out.count <= limit {
            let count = try retryingEINTR("read", subject: path) { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) } }
            if count == 0 { break }
            out += chunk.prefix(count)
        }
        if out.count > limit { throw PlatformError(call: "read", errno: EFBIG, subject: path) }
        return out
    }
}

extension FileSecurity {
    public static func setMode(path: String, mode: mode_t) throws(PlatformError) {
        _ = try retryingEINTR("chmod", subject: path) { chmod(path, mode) }
    }
}

extension FileSecurity {
    /// Removes a socket file the process bound; gone already is fine.
    public static func removeSocket(path: String) {
        _ = unlink(path)
    }
}
