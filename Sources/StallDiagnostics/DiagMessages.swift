import StallCore

/// One request line of the diagnostic protocol (firmware-protocols/diag/SPEC.md):
/// `{"id": …, "cmd": "status", "args": {…}}`.
public struct DiagRequest: Sendable, Equatable {
    public var id: JSONValue
    public var command: String
    public var arguments: [String: JSONValue]

    public init(id: JSONValue, command: String, arguments: [String: JSONValue] = [:]) {
        self.id = id
        self.command = command
        self.arguments = arguments
    }

    public var json: JSONValue {
        var members: [String: JSONValue] = ["id": id, "cmd": .string(command)]
        if !arguments.isEmpty { members["args"] = .object(arguments) }
        return .object(members)
    }

    /// Parses a line; a failure carries the error reply to send (with the id when readable).
    public static func parse(_ line: [UInt8]) -> Result<DiagRequest, DiagReply> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .failure(DiagReply(id: .null, error: .badRequest, message: "not a JSON object: \(error)"))
        }
        guard case .object = value else {
            return .failure(DiagReply(id: .null, error: .badRequest, message: "a request is a JSON object"))
        }
        let id = value["id"] ?? .null
        guard let command = value["cmd"]?.stringValue else {
            return .failure(DiagReply(id: id, error: .badRequest, message: "the request has no \"cmd\" string"))
        }
        var arguments: [String: JSONValue] = [:]
        if let args = value["args"] {
            guard let members = args.objectValue else {
                return .failure(DiagReply(id: id, error: .badRequest, message: "\"args\" must be an object"))
            }
            arguments = members
        }
        return .success(DiagRequest(id: id, command: command, arguments: arguments))
    }
}

/// Error codes of the diagnostic protocol; stable, for scripts.
public enum DiagErrorCode: String, Sendable {
    case badRequest = "bad_request"
    case unknownCommand = "unknown_command"
    case permissionDenied = "permission_denied"
    case unavailable
    case `internal`
}

/// One reply line: `{"id", "ok": true, "result"}` or `{"id", "ok": false, "error": {code, message}}`.
public struct DiagReply: Error, Sendable, Equatable {
    public var json: JSONValue

    public init(id: JSONValue, result: JSONValue) {
        json = ["id": id, "ok": true, "result": result]
    }

    public init(id: JSONValue, error code: DiagErrorCode, message: String) {
        json = ["id": id, "ok": false, "error": ["code": .string(code.rawValue), "message": .string(message)]]
    }

    public var line: [UInt8] { CanonicalJSON.bytes(json) + [0x0A] }
}
