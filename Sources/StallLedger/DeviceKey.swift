import Crypto
import Glibc
import StallCore
import StallPlatform

/// The box's Ed25519 signing key, kept in one file of 32 raw bytes (the private seed).
///
/// Invariants: the file is created with mode 0600 and written atomically (temporary file,
/// fsync, link); a key file that group or others can read or write is refused, because a
/// copied key could sign records in the box's name.
public struct DeviceKey: Sendable {
    public enum Error: Swift.Error, CustomStringConvertible {
        case unsafePermissions(path: String, mode: mode_t)
        case malformed(path: String, size: Int)
        case io(PlatformError)

        public var description: String {
            switch self {
            case .unsafePermissions(let path, let mode):
                "key file \(path) has mode \(String(mode, radix: 8)); it must be readable by its owner only (chmod 600)"
            case .malformed(let path, let size):
                "key file \(path) holds \(size) bytes, not a 32-byte Ed25519 seed"
            case .io(let error): "key file: \(error)"
            }
        }
    }

    /// Expanded once: building the key from its seed derives the public key (a scalar
    /// multiplication), which would double the cost of every signature.
    private let privateKey: ExpandedKey
    public let identity: DeviceIdentity

    /// swift-crypto does not mark the key Sendable; it is an immutable value (the seed and
    /// its expansion), and signing only reads it, so sharing it across threads is safe.
    private final class ExpandedKey: @unchecked Sendable {
        let key: Curve25519.Signing.PrivateKey
        init(_ key: Curve25519.Signing.PrivateKey) { self.key = key }
    }

    public init(seed: [UInt8]) throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        self.privateKey = ExpandedKey(key)
        self.identity = DeviceIdentity(publicKey: Array(key.publicKey.rawRepresentation))!
    }

    /// Loads the key, creating it on first start. `created` tells whether it was new.
    public static func loadOrCreate(path: String) throws -> (key: DeviceKey, created: Bool) {
        do {
            if let status = try FileSecurity.status(path: path) {
                if status.mode & 0o077 != 0 { throw Error.unsafePermissions(path: path, mode: status.mode) }
                let bytes = try FileSecurity.readAll(path: path, limit: 64)
                guard bytes.count == 32 else { throw Error.malformed(path: path, size: bytes.count) }
                return (try DeviceKey(seed: bytes), false)
            }
            let fresh = Curve25519.Signing.PrivateKey()
            try FileSecurity.createExclusive(path: path, bytes: Array(fresh.rawRepresentation), mode: 0o600)
            return (try DeviceKey(seed: Array(fresh.rawRepresentation)), true)
        } catch let error as PlatformError {
            throw Error.io(error)
        }
    }

    public func sign(_ bytes: [UInt8]) throws -> [UInt8] {
        Array(try privateKey.key.signature(for: bytes))
    }

    public var deviceID: String { identity.deviceID }
}
