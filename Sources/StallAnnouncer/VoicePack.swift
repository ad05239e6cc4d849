import StallCore
import StallPlatform

/// A recorded voice: one clip per token (reference/announcement.md section 2), described by
/// `manifest.json` in the pack's folder. Every clip is decoded into memory when the pack is
/// loaded, so an announcement never touches the disk; a pack with a missing, unreadable or
/// wrongly formatted clip is refused at load with the name of what is wrong.
public struct VoicePack: Sendable {
    public struct Error: Swift.Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "voice pack \(path): \(reason)" }
    }

    /// Every token a phrase can contain; a pack must have a clip for each.
    public static let requiredTokens: [String] =
        AmountReading.digitWordsForPack + ["两", "十", "百", "千", "万", "亿", "点", "元", "角", "分"]
        + PaymentChannel.allCases.map(\.prefix)

    public let name: String
    public let version: Int64
    public let sampleRate: Int
    public let clips: [String: [Int16]]

    public init(name: String, version: Int64, sampleRate: Int, clips: [String: [Int16]]) {
        self.name = name
        self.version = version
        self.sampleRate = sampleRate
        self.clips = clips
    }

    public static func load(directory: String) throws -> VoicePack {
        func fail(_ reason: String) -> Error { Error(path: directory, reason: reason) }
        let manifestPath = directory + "/manifest.json"
        let manifest: JSONValue
        do {
            manifest = try JSONParser.parse(try FileSecurity.readAll(path: manifestPath))
        } catch let error as PlatformError {
            throw fail("cannot read manifest.json: \(error)")
        } catch {
            throw fail("manifest.json is not valid JSON: \(error)")
        }
        guard let rate = manifest["sample_rate"]?.intValue, rate > 0 else { throw fail("manifest has no sample_rate") }
        guard manifest["channels"]?.intValue ?? 1 == 1 else { throw fail("manifest channels must be 1") }
        guard manifest["format"]?.stringValue ?? "s16le" == "s16le" else { throw fail("manifest format must be s16le") }
        guard let files = manifest["clips"]?.objectValue else { throw fail("manifest has no clips object") }
        var clips: [String: [Int16]] = [:]
        let missing = requiredTokens.filter { files[$0] == nil }
        if !missing.isEmpty { throw fail("no clip for token(s) \(missing.joined(separator: " "))") }
        for (token, file) in files {
            guard let fileName = file.stringValue, !fileName.contains("/") else { throw fail("clip for \(token) must be a file name") }
            let path = directory + "/clips/" + fileName
            do {
                let samples = try WAVFile.samples(from: try FileSecurity.readAll(path: path, limit: 16 << 20), expectedRate: Int(rate))
                guard !samples.isEmpty else { throw fail("clip \(fileName) for \(token) is empty") }
                clips[token] = samples
            } catch let error as PlatformError {
                throw fail("clip \(fileName) for \(token) is unreadable: \(error)")
            } catch let error as WAVFile.Error {
                throw fail("clip \(fileName) for \(token): \(error)")
            }
        }
        return VoicePack(
            name: manifest["name"]?.stringValue ?? "unnamed", version: manifest["version"]?.intValue ?? 0,
            sampleRate: Int(rate), clips: clips)
    }

    /// The samples of a phrase: its clips in order with `gapSamples` of silence between
    /// them (pacing is one setting, not silence baked into the clips). Nil names the first
    /// token without a clip, which `load` makes impossible for the tokens of a phrase.
    public func render(tokens: [String], gapSamples: Int) -> Result<[Int16], MissingClip> {
        var out: [Int16] = []
        if let missing = render(tokens: tokens, gapSamples: gapSamples, into: &out) { return .failure(missing) }
        return .success(out)
    }

    /// Renders into `buffer`, replacing its contents but keeping its storage: the announcer
    /// passes the same buffer for every phrase, so once it has grown to the longest phrase
    /// no announcement allocates sample memory. Returns the first token without a clip.
    public func render(tokens: [String], gapSamples: Int, into buffer: inout [Int16]) -> MissingClip? {
        // Loops run over indices: iterating `[String]` with for-in allocates per element in
        // unoptimized builds, and the tests (debug) count this path's allocations.
        var total = 0
        for index in 0..<tokens.count {
            guard let clip = clips[tokens[index]] else { return MissingClip(token: tokens[index]) }
            total += clip.count
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(total + gapSamples * max(0, tokens.count - 1))
        for index in 0..<tokens.count {
            if index > 0 { for _ in 0..<gapSamples { buffer.append(0) } }
            buffer.append(contentsOf: clips[tokens[index]]!)
        }
        return nil
    }

    public struct MissingClip: Swift.Error, Equatable {
        public var token: String
        public init(token: String) { self.token = token }
    }
}
