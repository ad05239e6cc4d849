import StallCore
import StallPlatform
import Synchronization

/// Remembers, per device, what auto-detection found, so that a replugged scale is tried
/// with its own protocol and settings first and reads again within a second instead of
/// after a search. Keyed by the device's udev identity (serial number where the adapter
/// has one, else its physical USB path), or by the configured path for a port udev does
/// not describe.
///
/// The file is a cache: losing it costs one search. A missing or unreadable file starts
/// empty (and says why); writes replace it atomically so a power cut never leaves half.
public final class ScaleMemory: Sendable {
    public let path: String?
    private let entries: Mutex<[String: ScaleIdentification]>
    /// Why the file could not be read at start, for the log; nil when it was fine or absent.
    public let loadProblem: String?

    /// `path` nil keeps the memory in this process only (tests, `--check-config`).
    public init(path: String?) {
        self.path = path
        var loaded: [String: ScaleIdentification] = [:]
        var problem: String?
        if let path {
            do {
                if try FileSecurity.status(path: path) != nil {
                    let text = String(decoding: try FileSecurity.readAll(path: path, limit: 1 << 20), as: UTF8.self)
                    loaded = try Self.decode(JSONParser.parse(text))
                }
            } catch {
                problem = "\(path): \(error); starting with no remembered scales"
            }
        }
        entries = Mutex(loaded)
        loadProblem = problem
    }

    public func identification(for key: String) -> ScaleIdentification? {
        entries.withLock { $0[key] }
    }

    /// Remembers `identification` for `key` and writes the file if it changed.
    public func remember(_ identification: ScaleIdentification, for key: String) throws(PlatformError) {
        let snapshot: [String: ScaleIdentification]? = entries.withLock { entries in
            guard entries[key] != identification else { return nil }
            entries[key] = identification
            return entries
        }
        guard let snapshot, let path else { return }
        try FileSecurity.replaceAtomically(path: path, bytes: CanonicalJSON.bytes(Self.encode(snapshot)) + [0x0A], mode: 0o644)
    }

    /// Forgets `key` (e.g. after its remembered settings stopped working).
    public func forget(_ key: String) throws(PlatformError) {
        let snapshot: [String: ScaleIdentification]? = entries.withLock { entries in
            entries.removeValue(forKey: key) == nil ? nil : entries
        }
        guard let snapshot, let path else { return }
        try FileSecurity.replaceAtomically(path: path, bytes: CanonicalJSON.bytes(Self.encode(snapshot)) + [0x0A], mode: 0o644)
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    static func encode(_ entries: [String: ScaleIdentification]) -> JSONValue {
        var devices: [String: JSONValue] = [:]
        for (key, identification) in entries {
            var member: [String: JSONValue] = [
                "protocol": .string(identification.protocolName),
                "baud": .int(Int64(identification.settings.baud)),
                "data_bits": .int(Int64(identification.settings.dataBits)),
                "parity": .string(identification.settings.parity.rawValue),
                "stop_bits": .int(Int64(identification.settings.stopBits)),
            ]
            switch identification.talk {
            case .listen:
                member["talk"] = "listen"
            case .poll(let request):
                member["talk"] = "poll"
                member["request_hex"] = .string(Hex.encode(request))
            case .enquire(let enquiry, let acknowledge, let notReady, let request):
                member["talk"] = "enquire"
                member["enquiry_hex"] = .string(Hex.encode(enquiry))
                member["acknowledge"] = .int(Int64(acknowledge))
                member["not_ready"] = .int(Int64(notReady))
                member["request_hex"] = .string(Hex.encode(request))
            }
            devices[key] = .object(member)
        }
        return ["version": 1, "devices": .object(devices)]
    }

    static func decode(_ value: JSONValue) throws -> [String: ScaleIdentification] {
        guard value["version"]?.intValue == 1, let devices = value["devices"]?.objectValue else {
            throw FormatError(description: "not a version 1 scale memory file")
        }
        var out: [String: ScaleIdentification] = [:]
        for (key, member) in devices {
            func string(_ name: String) throws -> String {
                guard let text = member[name]?.stringValue else { throw FormatError(description: "device \(key): \(name) missing") }
                return text
            }
            func int(_ name: String) throws -> Int {
                guard let number = member[name]?.intValue, let small = Int(exactly: number) else {
                    throw FormatError(description: "device \(key): \(name) missing")
                }
                return small
            }
            func bytes(_ name: String) throws -> [UInt8] {
                guard let decoded = Hex.decode(try string(name)), !decoded.isEmpty else {
                    throw FormatError(description: "device \(key): \(name) is not hex")
                }
                return decoded
            }
            func byte(_ name: String) throws -> UInt8 {
                guard let value = UInt8(exactly: try int(name)) else { throw FormatError(description: "device \(key): \(name) out of range") }
                return value
            }
            guard let parity = SerialSettings.Parity(rawValue: try string("parity")) else {
                throw FormatError(description: "device \(key): bad parity")
            }
            let settings = SerialSettings(baud: try int("baud"), dataBits: try int("data_bits"), parity: parity, stopBits: try int("stop_bits"))
            if let problem = settings.validate() { throw FormatError(description: "device \(key): \(problem)") }
            let talk: ScaleTalk
            switch try string("talk") {
            case "listen": talk = .listen
            case "poll": talk = .poll(request: try bytes("request_hex"))
            case "enquire":
                talk = .enquire(
                    enquiry: try bytes("enquiry_hex"), acknowledge: try byte("acknowledge"), notReady: try byte("not_ready"),
                    request: try bytes("request_hex"))
            default: throw FormatError(description: "device \(key): unknown talk")
            }
            out[key] = ScaleIdentification(protocolName: try string("protocol"), settings: settings, talk: talk)
        }
        return out
    }
}
