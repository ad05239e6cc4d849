import Glibc

/// The process environment as a dictionary (for NOTIFY_SOCKET, JOURNAL_STREAM and friends).
public enum ProcessEnvironment {
    public static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}

/// `print(…, to: &stream)` onto stderr, one write(2) per call.
public struct StandardErrorStream: TextOutputStream {
    public init() {}
    public mutating func write(_ string: String) {
        let bytes = Array(string.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                return
            }
            written += result
        }
    }
}

public enum ProcessSignals {
    /// A dead peer on a socket or pipe must be an error on the write, not a signal that
    /// kills the process.
    public static func ignoreBrokenPipe() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}
