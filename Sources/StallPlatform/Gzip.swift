import CZlib

/// gzip (RFC 1952) through zlib, for `Content-Encoding: gzip` upload batches: the box
/// compresses, the receiver inflates with a limit on the inflated size, so a small body
/// cannot expand into gigabytes (a "zip bomb").
public enum Gzip {
    public enum Error: Swift.Error, Equatable, CustomStringConvertible {
        /// zlib refused the data or failed; `call` and zlib's code say where.
        case zlib(call: String, code: Int32)
        /// The inflated data would exceed the caller's limit.
        case tooLarge(limit: Int)
        /// The stream ended before gzip's trailer.
        case truncated

        public var description: String {
            switch self {
            case .zlib(let call, let code): "\(call) failed (zlib \(code))"
            case .tooLarge(let limit): "inflated body exceeds \(limit) bytes"
            case .truncated: "gzip stream is truncated"
            }
        }
    }

    /// windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    private static let gzipWindowBits: Int32 = 15 + 16

    public static func compress(_ input: [UInt8], level: Int32 = 6) throws(Error) -> [UInt8] {
        var stream = z_stream()
        var result = deflateInit2_(
            &stream, level, Z_DEFLATED, gzipWindowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard result == Z_OK else { throw .zlib(call: "deflateInit2", code: result) }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        result = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = uInt(destination.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        // deflateBound guarantees one call with Z_FINISH completes.
        guard result == Z_STREAM_END else { throw .zlib(call: "deflate", code: result) }
        output.removeLast(Int(stream.avail_out))
        return output
    }

    /// Inflates a gzip stream; fails rather than produce more than `limit` bytes.
    public static func decompress(_ input: [UInt8], limit: Int) throws(Error) -> [UInt8] {
        var stream = z_stream()
        var result = inflateInit2_(&stream, gzipWindowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard result == Z_OK else { throw .zlib(call: "inflateInit2", code: result) }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return try input.withUnsafeBufferPointer { (source) throws(Error) -> [UInt8] in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let produced = chunk.withUnsafeMutableBufferPointer { destination -> Int in
                    stream.next_out = destination.baseAddress
                    stream.avail_out = uInt(destination.count)
                    result = inflate(&stream, Z_NO_FLUSH)
                    return destination.count - Int(stream.avail_out)
                }
                guard result == Z_OK || result == Z_STREAM_END || (result == Z_BUF_ERROR && produced > 0) else {
                    if result == Z_BUF_ERROR { throw .truncated }
                    throw .zlib(call: "inflate", code: result)
                }
                if output.count + produced > limit { throw .tooLarge(limit: limit) }
                output.append(contentsOf: chunk[0..<produced])
                if result == Z_STREAM_END { return output }
                if stream.avail_in == 0 && produced == 0 { throw .truncated }
            }
        }
    }
}
