import Crypto

/// Who a box is: its raw 32-byte Ed25519 public key and the `device_id` derived from it
/// (lowercase hex of the first 16 bytes of the key's SHA-256).
public struct DeviceIdentity: Hashable, Sendable {
    public let publicKey: [UInt8]
    /// Derived once: every record carries it, thousands a second under load.
    public let deviceID: String

    public init?(publicKey: [UInt8]) {
        guard publicKey.count == 32 else { return nil }
        self.publicKey = publicKey
        self.deviceID = Self.deviceID(forPublicKey: publicKey)
    }

    public init?(publicKeyBase64: String) {
        guard let raw = Base64.decode(publicKeyBase64) else { return nil }
        self.init(publicKey: raw)
    }

    public var publicKeyBase64: String { Base64.encode(publicKey) }

    public static func deviceID(forPublicKey key: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: key).prefix(16))
    }
}
