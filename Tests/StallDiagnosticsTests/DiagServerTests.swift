import Foundation
import Logging
import ServiceLifecycle
import StallCore
import StallDiagnostics
import StallPlatform
import Testing

/// A handler with one read command and one admin command, to test the socket itself.
struct EchoHandler: DiagCommandHandler {
    var requiredLevels: [String: DiagAccess.Level] { ["echo": .read, "inject": .admin] }
    func handle(_ request: DiagRequest) async -> DiagReply {
        DiagReply(id: request.id, result: .object(request.arguments))
    }
}

/// The diagnostic socket over a real Unix socket: framing, errors, limits.
@Suite(.serialized) struct DiagServerTests {
    func withServer(
        maxLineBytes: Int = 1024, idleTimeout: Duration = .seconds(30), access: DiagAccess = DiagAccess(),
        _ body: @escaping @Sendable (String) async throws -> Void
    ) async throws {
        let path = NSTemporaryDirectory() + "diag-\(UUID().uuidString.prefix(8)).sock"
        let server = DiagServer(
            socketPath: path, handler: EchoHandler(), access: access, logger: Logger(label: "test"), maxLineBytes: maxLineBytes,
            idleTimeout: idleTimeout)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            await server.listening.wait()
            try await body(path)
            group.cancelAll()
        }
    }

    func exchange(_ path: String, _ lines: [String]) throws -> [JSONValue] {
        let client = try UnixLineClient(path: path)
        var replies: [JSONValue] = []
        for line in lines {
            try client.send(line: Array(line.utf8))
            guard let reply = try client.readLine(timeoutMs: 5000) else { break }
            replies.append(try JSONParser.parse(reply))
        }
        return replies
    }

    @Test func aRequestIsAnsweredWithItsIDAndResult() async throws {
        try await withServer { path in
            let replies = try self.exchange(path, [#"{"id":7,"cmd":"echo","args":{"x":1}}"#])
            #expect(replies == [["id": 7, "ok": true, "result": ["x": 1]]])
        }
    }

    @Test func garbageUnknownCommandsAndBadArgsGetClearErrorsAndTheConnectionLives() async throws {
        try await withServer { path in
            let replies = try self.exchange(path, [
                "this is not json",
                #"{"id":"a","cmd":"launch-missiles"}"#,
                #"{"id":2}"#,
                #"{"id":3,"cmd":"echo","args":[1]}"#,
                #"{"id":4,"cmd":"echo"}"#,
            ])
            #expect(replies.map { $0["error"]?["code"]?.stringValue } == ["bad_request", "unknown_command", "bad_request", "bad_request", nil])
            #expect(replies.map { $0["id"] } == [.null, "a", 2, 3, 4])
        }
    }

    @Test func anEndlessLineIsRefusedAndTheConnectionClosed() async throws {
        try await withServer(maxLineBytes: 1024) { path in
            let client = try UnixLineClient(path: path)
            try client.send(line: [UInt8](repeating: UInt8(ascii: "x"), count: 5000))
            let reply = try JSONParser.parse(try #require(try client.readLine(timeoutMs: 5000)))
            #expect(reply["error"]?["code"] == "bad_request")
            #expect(try client.readLine(timeoutMs: 5000) == nil)
            // The server still serves others.
            #expect(try self.exchange(path, [#"{"id":1,"cmd":"echo"}"#]).first?["ok"] == true)
        }
    }

    @Test func aSilentClientIsDroppedAfterTheIdleTimeout() async throws {
        try await withServer(idleTimeout: .milliseconds(300)) { path in
            let client = try UnixLineClient(path: path)
            #expect(try client.readLine(timeoutMs: 3000) == nil)
        }
    }

    @Test func theSameUserAsTheDaemonMayInjectAndTheSocketIsOpenToAll() async throws {
        try await withServer { path in
            #expect(try self.exchange(path, [#"{"id":1,"cmd":"inject"}"#]).first?["ok"] == true)
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
            #expect(mode == 0o666)
        }
    }

    @Test func accessLevelsFollowUIDAndGroups() {
        let access = DiagAccess()
        #expect(access.level(for: PeerCredentials(pid: 1, uid: 0, gid: 0)) == .admin)
        #expect(access.level(for: PeerCredentials(pid: 1, uid: PeerCredentials.currentUserID, gid: 0)) == .admin)
        // nobody (65534) is in neither group on a stock system.
        if PeerCredentials.currentUserID != 65534 {
            #expect(access.level(for: PeerCredentials(pid: 1, uid: 65534, gid: 65534)) == .none)
        }
    }
}
