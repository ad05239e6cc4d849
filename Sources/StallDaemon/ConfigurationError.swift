/// A configuration problem, named by file, line and key so a technician can fix it without
/// reading code: `/etc/stallbox/stallbox.toml:14: scale[0].baud: 9601 is not one of …`.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int?
    public var key: String?
    public var message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }

    /// The exit status for configuration errors (EX_CONFIG of sysexits.h), which systemd
    /// shows as such; `Restart=` policies can leave it alone.
    public static let exitCode: Int32 = 78
}
