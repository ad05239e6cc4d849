import StallPlatform

/// Who may ask what on the diagnostic socket, decided from the peer's credentials.
/// Reading is for the diagnostic group; changing and injecting for root and the admin group.
/// The daemon's own user counts as admin (it could open its own files anyway).
public struct DiagAccess: Sendable {
    public enum Level: Int, Comparable, Sendable {
        case none = 0
        case read = 1
        case admin = 2
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var diagnosticGroup: String
    public var adminGroup: String

    public init(diagnosticGroup: String = "stallbox-diag", adminGroup: String = "stallbox-admin") {
        self.diagnosticGroup = diagnosticGroup
        self.adminGroup = adminGroup
    }

    public func level(for peer: PeerCredentials) -> Level {
        if peer.uid == 0 || peer.uid == PeerCredentials.currentUserID { return .admin }
        let groups = peer.groupIDs()
        if let admin = PeerCredentials.groupID(named: adminGroup), groups.contains(admin) { return .admin }
        if let diag = PeerCredentials.groupID(named: diagnosticGroup), groups.contains(diag) { return .read }
        return .none
    }
}
