import Hummingbird
import Logging
import StallCore
import StallPlatform

/// The receiver's HTTP endpoints (SPEC.md sections 7 to 9). Handlers never throw: every
/// outcome, including a database failure, becomes a JSON reply and one log line, so a box
/// always gets a status it can act on and an operator can follow each exchange.
struct UpstreamRoutes: Sendable {
    let store: UpstreamStore
    let hold: Duration
    let maxBodyBytes: Int
    let logger: Logger
    var faults: UpstreamFaults? = nil

    func add(to router: Router<BasicRequestContext>) {
        router.get("healthz") { _, _ in JSONResponses.json(200, ["ok": true]) }
        router.post("v1/batches") { request, _ in
            await withFault(faults?.draw(), hangFor: faults?.hangFor ?? .zero) { await postBatch(request) }
        }
        router.get("v1/devices/:device/notifications") { request, context in
            await getNotifications(request, device: context.parameters.get("device"))
        }
        router.post("v1/devices/:device/payments") { request, context in
            await postPayment(request, device: context.parameters.get("device"))
        }
        router.get("v1/devices/:device/records") { request, context in
            await getRecords(request, device: context.parameters.get("device"))
        }
    }

    // MARK: POST /v1/batches

    func postBatch(_ request: Request) async -> Response {
        let body: [UInt8]
        switch await readBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let refusal): return refusal.response(logger: logger, event: "batch")
        }
        let batch: BatchRequest
        do throws(MalformedBatch) {
            batch = try BatchRequest(body: body)
        } catch {
            let reply = BatchReply.malformed(error.message)
            logger.warning("batch: \(body.count) bytes -> \(reply)")
            return JSONResponses.json(reply.status, reply.body)
        }
        let event = "batch \(batch.deviceID): \(batch.records.count) records, \(body.count) bytes"
        do {
            let reply = try await store.acceptBatch(
                deviceID: batch.deviceID, publicKey: batch.publicKey, records: batch.records)
            switch reply {
            case .acknowledged, .gap: logger.info("\(event) -> \(reply)")
            case .rejected, .malformed: logger.warning("\(event) -> \(reply)")
            }
            return JSONResponses.json(reply.status, reply.body)
        } catch {
            logger.error("\(event) -> 500: \(error)")
            return JSONResponses.error(500, "internal", "the receiver could not store the batch; resend it")
        }
    }

    // MARK: GET /v1/devices/{id}/notifications?after=CURSOR

    func getNotifications(_ request: Request, device: String?) async -> Response {
        guard let deviceID = validDeviceID(device) else { return badDevice(device, event: "notifications") }
        let cursor = request.uri.queryParameters.get("after").flatMap { $0.isEmpty ? nil : $0 }
        do {
            let page = try await store.waitForNotifications(deviceID: deviceID, after: cursor, hold: hold)
            if !page.notifications.isEmpty {
                let count = page.notifications.count
                logger.info("notifications: \(deviceID) after \(cursor ?? "start") -> \(count) delivered, next \(page.next)")
            } else {
                logger.debug("notifications: \(deviceID) after \(cursor ?? "start") -> none within the hold")
            }
            return JSONResponses.json(200, page.json)
        } catch {
            logger.error("notifications: \(deviceID): store failed: \(error)")
            return JSONResponses.error(500, "internal", "the receiver could not read notifications")
        }
    }

    // MARK: POST /v1/devices/{id}/payments (reference receiver only)

    func postPayment(_ request: Request, device: String?) async -> Response {
        guard let deviceID = validDeviceID(device) else { return badDevice(device, event: "payment") }
        let body: [UInt8]
        switch await readBody(request) {
        case .success(let bytes): body = bytes
        case .failure(let refusal): return refusal.response(logger: logger, event: "payment")
        }
        let order: PaymentOrder
        do throws(InvalidPayment) {
            order = try PaymentOrder(body: body)
        } catch {
            logger.warning("payment: \(deviceID): refused: \(error.message)")
            return JSONResponses.error(400, "bad_request", error.message)
        }
        do throws(UpstreamStoreError) {
            let queued = try await store.enqueuePayment(
                deviceID: deviceID, amountFen: order.amountFen, channel: order.channel, paymentID: order.paymentID)
            let what = "\(queued.paymentID) \(Fen(order.amountFen)) yuan \(order.channel)"
            logger.info("payment: \(deviceID): queued \(what) at cursor \(queued.cursor)")
            return JSONResponses.json(200, queued.json)
        } catch let error where error.underlying is InvalidPayment {
            logger.warning("payment: \(deviceID): refused: \(error.underlying)")
            return JSONResponses.error(400, "bad_request", "\(error.underlying)")
        } catch {
            logger.error("payment: \(deviceID): store failed: \(error)")
            return JSONResponses.error(500, "internal", "the receiver could not queue the payment")
        }
    }

    // MARK: GET /v1/devices/{id}/records?from=SEQ (reference receiver only)

    func getRecords(_ request: Request, device: String?) async -> Response {
        guard let deviceID = validDeviceID(device) else { return badDevice(device, event: "records") }
        let fromText = request.uri.queryParameters.get("from")
        var from: Int64 = 1
        if let fromText, !fromText.isEmpty {
            guard let parsed = Int64(fromText), parsed >= 1 else {
                return JSONResponses.error(400, "bad_request", "from must be an integer >= 1, got '\(fromText)'")
            }
            from = parsed
        }
        do {
            let lines = try await store.records(deviceID: deviceID, from: from)
            logger.info("records: \(deviceID) from \(from) -> \(lines.count) records")
            return JSONResponses.jsonLines(lines)
        } catch {
            logger.error("records: \(deviceID): store failed: \(error)")
            return JSONResponses.error(500, "internal", "the receiver could not read records")
        }
    }

    // MARK: Helpers

    /// Why a body was not read; each maps to one reply.
    enum BodyRefusal: Error {
        case tooLarge(limit: Int)
        case encoded(String)
        case unreadable(String)

        func response(logger: Logger, event: String) -> Response {
            switch self {
            case .tooLarge(let limit):
                logger.warning("\(event): body larger than \(limit) bytes -> 413")
                return JSONResponses.error(413, "too_large", "the body is larger than \(limit) bytes; send smaller batches")
            case .encoded(let encoding):
                logger.warning("\(event): Content-Encoding \(encoding) -> 415")
                return JSONResponses.error(415, "unsupported_encoding", "Content-Encoding \(encoding) is not supported")
            case .unreadable(let why):
                logger.warning("\(event): body unreadable: \(why)")
                return JSONResponses.error(400, "bad_request", "the body could not be read: \(why)")
            }
        }
    }

    /// Reads the body, inflating `Content-Encoding: gzip` (SPEC.md section 6). The limit
    /// holds for the body as sent and again for the inflated body, so a small compressed
    /// body cannot expand without bound.
    func readBody(_ request: Request) async -> Result<[UInt8], BodyRefusal> {
        let encoding = request.headers[.contentEncoding]?.lowercased() ?? "identity"
        guard encoding == "identity" || encoding == "gzip" else { return .failure(.encoded(encoding)) }
        let bytes: [UInt8]
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            bytes = Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return .failure(.tooLarge(limit: maxBodyBytes))
        } catch {
            return .failure(.unreadable("\(error)"))
        }
        guard encoding == "gzip" else { return .success(bytes) }
        do throws(Gzip.Error) {
            return .success(try Gzip.decompress(bytes, limit: maxBodyBytes))
        } catch {
            if case .tooLarge = error { return .failure(.tooLarge(limit: maxBodyBytes)) }
            return .failure(.unreadable("gzip: \(error)"))
        }
    }

    /// A `device_id` as SPEC.md section 4 writes it: 32 lowercase hex digits.
    func validDeviceID(_ text: String?) -> String? {
        guard let text, text.utf8.count == 32,
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return text
    }

    func badDevice(_ text: String?, event: String) -> Response {
        logger.warning("\(event): bad device id '\(text ?? "")' -> 400")
        return JSONResponses.error(400, "bad_request", "the device id must be 32 lowercase hex digits")
    }
}

/// The body of `POST /v1/devices/{id}/payments`: `{"amount_fen": N, "channel": "alipay",
/// "payment_id": optional}`, parsed strictly (an amount in yuan or with a fraction is refused).
struct PaymentOrder {
    var amountFen: Int64
    var channel: String
    var paymentID: String?

    init(body: [UInt8]) throws(InvalidPayment) {
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONParser.parse(body)
        } catch where error.code == .floatNotAllowed {
            throw InvalidPayment("amount_fen must be an integer number of fen, not a fraction (byte \(error.offset))")
        } catch {
            throw InvalidPayment("the body is not JSON: \(error)")
        }
        guard case .object = value else { throw InvalidPayment("the body must be a JSON object") }
        guard let amount = value["amount_fen"]?.intValue else {
            throw InvalidPayment("amount_fen must be an integer number of fen")
        }
        amountFen = amount
        switch value["channel"] {
        case nil, .null?: channel = PaymentChannel.alipay.rawValue
        case .string(let name)?:
            guard PaymentChannel(rawValue: name) != nil else {
                throw InvalidPayment("channel must be one of \(PaymentChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            channel = name
        default: throw InvalidPayment("channel must be a string")
        }
        switch value["payment_id"] {
        case nil, .null?: paymentID = nil
        case .string(let id)?: paymentID = id
        default: throw InvalidPayment("payment_id must be a string")
        }
    }
}
