import Glibc

/// Free space and size of the filesystem holding a path (statvfs), for the disk budget.
public struct FilesystemSpace: Sendable, Equatable {
    public var availableBytes: Int64
    public var totalBytes: Int64

    public init(availableBytes: Int64, totalBytes: Int64) {
        self.availableBytes = availableBytes
        self.totalBytes = totalBytes
    }

    public static func of(path: String) throws(PlatformError) -> FilesystemSpace {
        var info = statvfs()
        _ = try retryingEINTR("statvfs", subject: path) { statvfs(path, &info) }
        let unit = Int64(info.f_frsize == 0 ? info.f_bsize : info.f_frsize)
        return FilesystemSpace(availableBytes: Int64(info.f_bavail) * unit, totalBytes: Int64(info.f_blocks) * unit)
    }
}
