import Glibc
import Logging
import Synchronization

/// One line per event on stderr. Under systemd (`JOURNAL_STREAM` set) each line starts with
/// the syslog priority (`<6>` for info) so journald files it at the right level, and carries
/// no timestamp (journald adds its own); otherwise lines start with an ISO-8601 time.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let journal: Bool
    private static let output = Mutex(())

    public init(label: String, level: Logger.Level, journal: Bool) {
        self.label = label
        self.logLevel = level
        self.journal = journal
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// syslog(3) priorities.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let bytes = Array(Self.format(level: event.level, message: "\(event.message)", metadata: merged, journal: journal).utf8)
        // One write(2) per line under a lock: lines from concurrent tasks never interleave.
        Self.output.withLock { _ in
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { write(2, $0.baseAddress! + written, bytes.count - written) }
                if result < 0 {
                    if errno == EINTR { continue }
                    return  // stderr is gone; logging must never take the daemon down
                }
                written += result
            }
        }
    }

    /// The line for one event, newline included.
    public static func format(level: Logger.Level, message: String, metadata: Logger.Metadata, journal: Bool) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted("\($0.value)"))" }.joined(separator: " ")
        let text = singleLine(message)
        var line = journal ? "<\(priority(level))>" : "\(timestamp()) \(level) "
        line += fields.isEmpty ? text : "\(text) \(fields)"
        return line + "\n"
    }

    /// Keeps an event on one line whatever its text holds.
    static func singleLine(_ text: String) -> String {
        text.contains("\n") ? text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\\n") : text
    }

    static func quoted(_ value: String) -> String {
        // Escape first, then fold newlines, so a folded newline is one backslash, not two.
        let flat = singleLine(value.replacingQuotes())
        return flat.contains(" ") || flat.isEmpty ? "\"\(flat)\"" : flat
    }

    static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var time = tm()
        var seconds = spec.tv_sec
        gmtime_r(&seconds, &time)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(time.tm_year + 1900)-\(pad(time.tm_mon + 1, 2))-\(pad(time.tm_mday, 2))T\(pad(time.tm_hour, 2)):\(pad(time.tm_min, 2)):\(pad(time.tm_sec, 2)).\(pad(Int32(spec.tv_nsec / 1_000_000), 3))Z"
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for char in self {
            if char == "\"" || char == "\\" { out.append("\\") }
            out.append(char)
        }
        return out
    }
}
