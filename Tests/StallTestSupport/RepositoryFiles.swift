import Foundation

/// Paths into the repository for tests: captures, vectors, the voice pack.
public enum RepositoryFiles {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        // Tests/StallTestSupport/RepositoryFiles.swift → repository root
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    public static func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    public static func text(_ relative: String) throws -> String {
        String(decoding: try bytes(relative), as: UTF8.self)
    }

    public static func list(_ relativeDirectory: String, suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path(relativeDirectory))
            .filter { $0.hasSuffix(suffix) }.sorted()
    }
}
