import Glibc

/// Who is on the other end of a Unix socket (SO_PEERCRED), and the groups that user is in,
/// which decide what the diagnostic socket lets them do.
public struct PeerCredentials: Sendable, Equatable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// The peer's primary and supplementary group ids, from the user database.
    public func groupIDs() -> Set<UInt32> {
        var groups: Set<UInt32> = [gid]
        var passwd = Glibc.passwd()
        var result: UnsafeMutablePointer<Glibc.passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &passwd, &buffer, buffer.count, &result) == 0, result != nil, let name = passwd.pw_name else {
            return groups
        }
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &list, &count) == -1 {
            list = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, gid, &list, &count) != -1 else { return groups }
        }
        for group in list.prefix(Int(count)) { groups.insert(group) }
        return groups
    }

    /// The id of a group by name, if it exists on this system.
    public static func groupID(named name: String) -> UInt32? {
        var group = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrnam_r(name, &group, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return group.gr_gid
    }

    public static var currentUserID: UInt32 { getuid() }
}

/// The kernel's `struct ucred` (pid_t, uid_t, gid_t) as SO_PEERCRED returns it. Declared
/// here because the Swift Glibc module hides it behind _GNU_SOURCE; the layout is fixed
/// by the Linux ABI.
public struct KernelUCred: Sendable {
    public var pid: Int32 = 0
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0
    public init() {}

    /// getsockopt(2) level and name that return this struct.
    public static let optionLevel = Int32(SOL_SOCKET)
    public static let optionName = Int32(SO_PEERCRED)
}
