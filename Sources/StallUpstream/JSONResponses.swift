import Hummingbird
import StallCore

/// Replies of the receiver. JSON bodies are written with `CanonicalJSON`, the project's one
/// JSON writer, so no Foundation encoder can turn an integer into a float on the way out.
enum JSONResponses {
    static func json(_ status: Int, _ body: JSONValue) -> Response {
        Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: CanonicalJSON.bytes(body))))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> Response {
        json(status, ["error": .string(code), "message": .string(message)])
    }

    /// JSON lines: each text followed by "\n" (SPEC.md section 9).
    static func jsonLines(_ lines: [String]) -> Response {
        var buffer = ByteBuffer()
        for line in lines {
            buffer.writeString(line)
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        return Response(
            status: .ok, headers: [.contentType: "application/x-ndjson; charset=utf-8"],
            body: ResponseBody(byteBuffer: buffer))
    }
}
