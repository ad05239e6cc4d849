import Logging
import StallCore
import StallDevices
import StallPlatform
import StallProtocols
import StallUplink
import TOMLKit

/// Everything `stallboxd` reads from its one TOML file (default /etc/stallbox/stallbox.toml).
/// See systemd/stallbox.toml for a commented example of every key.
public struct StallboxConfiguration: Sendable {
    public struct Speaker: Sendable, Equatable {
        /// ALSA PCM name; `{label}` is replaced by the payment id (for the `file` plugin).
        public var pcm: String?
        public var voicePack: String
        public var gapMs: Int
        public var maxAgeSeconds: Int
        public var style: AmountReading.Style
        public var liang: Bool
        /// A UART TTS module: its serial port, chip and line rate; nil for none.
        public var tts: TTSModule?
        /// Which speaker is tried first when both are configured: "alsa" or "tts".
        public var prefer: String
        /// Software volume of the ALSA speaker, percent.
        public var volumePercent: Int
        /// The ALSA card id whose udev events the ALSA speaker follows; by default the
        /// `CARD=` of `pcm`.
        public var card: String?
    }

    public struct TTSModule: Sendable, Equatable {
        public var port: String
        public var chip: TTSChip
        public var baud: Int
        /// 0–10 (SYN6288 `[v]`, 0–16) volume tag sent after every module reset; nil leaves the chip's.
        public var volume: Int?
    }

    /// How the daemon follows scales that come and go (`[hotplug]`).
    public struct Hotplug: Sendable, Equatable {
        /// Follow udev add/remove events for ttys.
        public var watchUdev: Bool
        /// Read any USB-serial port the device catalog lists, not only configured ones.
        public var adoptUSBSerial: Bool
        /// Where detected protocols and settings are remembered per device.
        public var memoryPath: String
    }

    /// `[ledger]` beyond its path and key: grouping, retention, budget, day boundary.
    public struct LedgerPolicy: Sendable, Equatable {
        public var groupMax: Int = 512
        public var groupWindowMs: Int = 0
        public var retentionDays: Int = 30
        public var budgetMiB: Int = 512
        public var minFreeMiB: Int = 64
        public var utcOffsetMinutes: Int = 480
        public var housekeepingSeconds: Int = 60

        public init(
            groupMax: Int = 512, groupWindowMs: Int = 0, retentionDays: Int = 30, budgetMiB: Int = 512, minFreeMiB: Int = 64,
            utcOffsetMinutes: Int = 480, housekeepingSeconds: Int = 60
        ) {
            self.groupMax = groupMax
            self.groupWindowMs = groupWindowMs
            self.retentionDays = retentionDays
            self.budgetMiB = budgetMiB
            self.minFreeMiB = minFreeMiB
            self.utcOffsetMinutes = utcOffsetMinutes
            self.housekeepingSeconds = housekeepingSeconds
        }
    }

    public var ledgerPath: String
    public var keyPath: String
    public var ledgerPolicy = LedgerPolicy()
    /// `[uplink] stale_ack_hours`.
    public var staleAckHours = 48
    public var logLevel: Logger.Level
    public var scales: [ScaleConfiguration]
    public var hotplug: Hotplug
    public var speaker: Speaker
    public var uplink: UplinkConfiguration?
    public var diagSocket: String

    public static let defaultPath = "/etc/stallbox/stallbox.toml"

    public static func load(path: String) throws(ConfigurationError) -> StallboxConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try FileSecurity.readAll(path: path, limit: 1 << 20)
        } catch {
            throw ConfigurationError(file: path, line: nil, key: nil, message: "cannot read the configuration: \(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(file: path, line: nil, key: nil, message: "the file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> StallboxConfiguration {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(file: file, line: error.source.begin.line, key: nil, message: "syntax error: \(error.description)")
        } catch {
            throw ConfigurationError(file: file, line: nil, key: nil, message: "syntax error: \(error)")
        }
        let reader = ConfigurationReader(file: file, lines: TOMLLines(text: text))
        return try reader.read(root)
    }
}

/// Reads tables with known keys: every unknown key, wrong type or bad value is an error
/// naming its line (typos in a technician's edit must not be silently ignored).
struct ConfigurationReader {
    let file: String
    let lines: TOMLLines

    struct Table {
        let name: String
        let index: Int?
        let table: TOMLTable
        var keyPath: (String) -> String {
            { key in index.map { "\(name)[\($0)].\(key)" } ?? (name.isEmpty ? key : "\(name).\(key)") }
        }
    }

    func fail(_ table: Table, _ key: String?, _ message: String) -> ConfigurationError {
        ConfigurationError(
            file: file, line: lines.line(table: table.name, index: table.index, key: key), key: key.map(table.keyPath) ?? table.name,
            message: message)
    }

    func checkKeys(_ table: Table, allowed: Set<String>) throws(ConfigurationError) {
        for key in table.table.keys.sorted() where !allowed.contains(key) {
            throw fail(table, key, "unknown key (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func string(_ table: Table, _ key: String, default fallback: String? = nil) throws(ConfigurationError) -> String {
        guard let value = table.table[key] else {
            if let fallback { return fallback }
            throw fail(table, nil, "missing required key '\(key)'")
        }
        guard let text = value.string else { throw fail(table, key, "must be a string") }
        guard !text.isEmpty else { throw fail(table, key, "must not be empty") }
        return text
    }

    func optionalString(_ table: Table, _ key: String) throws(ConfigurationError) -> String? {
        guard table.table[key] != nil else { return nil }
        return try string(table, key)
    }

    func int(_ table: Table, _ key: String, default fallback: Int, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = table.table[key] else { return fallback }
        guard let number = value.int else { throw fail(table, key, "must be an integer") }
        guard range.contains(number) else { throw fail(table, key, "\(number) is outside \(range.lowerBound)…\(range.upperBound)") }
        return number
    }

    func bool(_ table: Table, _ key: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let value = table.table[key] else { return fallback }
        guard let flag = value.bool else { throw fail(table, key, "must be true or false") }
        return flag
    }

    func subtable(_ root: TOMLTable, _ name: String) throws(ConfigurationError) -> Table? {
        guard let value = root[name] else { return nil }
        guard let table = value.table else {
            throw ConfigurationError(file: file, line: lines.line(table: "", key: name), key: name, message: "must be a table ([\(name)])")
        }
        return Table(name: name, index: nil, table: table)
    }

    func read(_ root: TOMLTable) throws(ConfigurationError) -> StallboxConfiguration {
        let top = Table(name: "", index: nil, table: root)
        try checkKeys(top, allowed: ["ledger", "log", "scale", "hotplug", "speaker", "uplink", "diag"])

        let empty = TOMLTable()
        let ledger = try subtable(root, "ledger") ?? Table(name: "ledger", index: nil, table: empty)
        try checkKeys(
            ledger,
            allowed: ["path", "key", "group_max", "group_window_ms", "retention_days", "budget_mb", "min_free_mb", "utc_offset_minutes", "housekeeping_s"])
        let ledgerPath = try string(ledger, "path", default: "/var/lib/stallbox/ledger.sqlite")
        let keyPath = try string(ledger, "key", default: "/var/lib/stallbox/device.key")
        let policy = StallboxConfiguration.LedgerPolicy(
            groupMax: try int(ledger, "group_max", default: 512, range: 1...10_000),
            groupWindowMs: try int(ledger, "group_window_ms", default: 0, range: 0...1000),
            retentionDays: try int(ledger, "retention_days", default: 30, range: 1...3650),
            budgetMiB: try int(ledger, "budget_mb", default: 512, range: 1...1_000_000),
            minFreeMiB: try int(ledger, "min_free_mb", default: 64, range: 0...1_000_000),
            utcOffsetMinutes: try int(ledger, "utc_offset_minutes", default: 480, range: -720...840),
            housekeepingSeconds: try int(ledger, "housekeeping_s", default: 60, range: 1...3600))

        let log = try subtable(root, "log") ?? Table(name: "log", index: nil, table: empty)
        try checkKeys(log, allowed: ["level"])
        let levelName = try string(log, "level", default: "info")
        guard let level = Logger.Level(rawValue: levelName) else {
            throw fail(log, "level", "'\(levelName)' is not one of trace, debug, info, notice, warning, error, critical")
        }

        var scales: [ScaleConfiguration] = []
        if let value = root["scale"] {
            guard let array = value.array else {
                throw ConfigurationError(file: file, line: lines.line(table: "scale"), key: "scale", message: "scales are written [[scale]]")
            }
            for (index, element) in array.enumerated() {
                guard let table = element.table else {
                    throw ConfigurationError(file: file, line: nil, key: "scale[\(index)]", message: "must be a table")
                }
                scales.append(try scale(Table(name: "scale", index: index, table: table), index: index))
            }
            let names = scales.map(\.name)
            if Set(names).count != names.count {
                throw ConfigurationError(file: file, line: lines.line(table: "scale"), key: "scale", message: "scale names must be unique")
            }
        }

        let hotplugTable = try subtable(root, "hotplug") ?? Table(name: "hotplug", index: nil, table: empty)
        try checkKeys(hotplugTable, allowed: ["watch_udev", "adopt_usb_serial", "memory"])
        let stateDirectory = ledgerPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let hotplug = StallboxConfiguration.Hotplug(
            watchUdev: try bool(hotplugTable, "watch_udev", default: true),
            adoptUSBSerial: try bool(hotplugTable, "adopt_usb_serial", default: true),
            memoryPath: try string(hotplugTable, "memory", default: (stateDirectory.isEmpty ? "." : stateDirectory) + "/scales.json"))

        let speakerTable = try subtable(root, "speaker") ?? Table(name: "speaker", index: nil, table: empty)
        try checkKeys(
            speakerTable,
            allowed: ["pcm", "voice_pack", "gap_ms", "max_age_s", "style", "liang", "tts_port", "tts_chip", "tts_baud", "tts_volume", "prefer", "volume", "card"])
        var tts: StallboxConfiguration.TTSModule?
        if let port = try optionalString(speakerTable, "tts_port") {
            let chipName = try string(speakerTable, "tts_chip", default: TTSChip.syn6288.rawValue)
            guard let chip = TTSChip(rawValue: chipName) else {
                throw fail(speakerTable, "tts_chip", "'\(chipName)' is not one of \(TTSChip.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let baud = try int(speakerTable, "tts_baud", default: 9600, range: 1...115_200)
            guard [9600, 19200, 38400].contains(baud) else { throw fail(speakerTable, "tts_baud", "\(baud) is not 9600, 19200 or 38400") }
            let volume: Int? = speakerTable.table["tts_volume"] == nil ? nil : try int(speakerTable, "tts_volume", default: 0, range: 0...10)
            tts = StallboxConfiguration.TTSModule(port: port, chip: chip, baud: baud, volume: volume)
        } else {
            for key in ["tts_chip", "tts_baud", "tts_volume"] where speakerTable.table[key] != nil {
                throw fail(speakerTable, key, "needs tts_port")
            }
        }
        let prefer = try string(speakerTable, "prefer", default: "alsa")
        guard prefer == "alsa" || prefer == "tts" else { throw fail(speakerTable, "prefer", "'\(prefer)' is not alsa or tts") }
        let styleName = try string(speakerTable, "style", default: "decimal")
        guard let style = AmountReading.Style(rawValue: styleName) else {
            throw fail(speakerTable, "style", "'\(styleName)' is not decimal or yuan")
        }
        let speaker = StallboxConfiguration.Speaker(
            pcm: try optionalString(speakerTable, "pcm"),
            voicePack: try string(speakerTable, "voice_pack", default: "/usr/share/stallbox/voice-packs/default"),
            gapMs: try int(speakerTable, "gap_ms", default: 40, range: 0...1000),
            maxAgeSeconds: try int(speakerTable, "max_age_s", default: 120, range: 1...86_400),
            style: style,
            liang: try bool(speakerTable, "liang", default: false),
            tts: tts,
            prefer: prefer,
            volumePercent: try int(speakerTable, "volume", default: 100, range: 0...100),
            card: try optionalString(speakerTable, "card"))

        var uplink: UplinkConfiguration?
        var staleAckHours = 48
        if let table = try subtable(root, "uplink") {
            try checkKeys(
                table,
                allowed: [
                    "url", "ca_file", "batch_size", "batch_max_kb", "gzip", "notifications", "connect_timeout_s", "request_timeout_s",
                    "client_cert", "client_key", "stale_ack_hours", "backoff_max_s", "rejected_backoff_s",
                ])
            let url = try string(table, "url")
            guard url.hasPrefix("https://") else { throw fail(table, "url", "must be an https:// URL") }
            let clientCertificate = try optionalString(table, "client_cert")
            let clientKey = try optionalString(table, "client_key")
            if (clientCertificate == nil) != (clientKey == nil) {
                throw fail(table, clientCertificate == nil ? "client_key" : "client_cert", "client_cert and client_key go together")
            }
            uplink = UplinkConfiguration(
                baseURL: url, caFile: try string(table, "ca_file"),
                batchSize: try int(table, "batch_size", default: 200, range: 1...5000),
                batchMaxBytes: try int(table, "batch_max_kb", default: 512, range: 16...16_384) * 1024,
                gzip: try bool(table, "gzip", default: true),
                connectTimeout: .seconds(try int(table, "connect_timeout_s", default: 5, range: 1...120)),
                requestTimeout: .seconds(try int(table, "request_timeout_s", default: 20, range: 1...600)),
                pollNotifications: try bool(table, "notifications", default: true),
                clientCertificate: clientCertificate, clientKey: clientKey,
                maxBackoff: .seconds(try int(table, "backoff_max_s", default: 300, range: 1...86_400)),
                rejectedBackoff: .seconds(try int(table, "rejected_backoff_s", default: 1800, range: 1...86_400)))
            staleAckHours = try int(table, "stale_ack_hours", default: 48, range: 1...8760)
        }

        let diag = try subtable(root, "diag") ?? Table(name: "diag", index: nil, table: empty)
        try checkKeys(diag, allowed: ["socket"])
        let socket = try string(diag, "socket", default: "/run/stallbox/diag.sock")

        return StallboxConfiguration(
            ledgerPath: ledgerPath, keyPath: keyPath, ledgerPolicy: policy, staleAckHours: staleAckHours, logLevel: level, scales: scales,
            hotplug: hotplug, speaker: speaker, uplink: uplink, diagSocket: socket)
    }

    func scale(_ table: Table, index: Int) throws(ConfigurationError) -> ScaleConfiguration {
        try checkKeys(
            table,
            allowed: [
                "name", "path", "protocol", "baud", "data_bits", "parity", "stop_bits", "zero_band_mg", "stable_ms", "stale_after_ms",
                "redetect_after_ms",
            ])
        let lineKeys = ["baud", "data_bits", "parity", "stop_bits"]
        let lineGiven = lineKeys.contains { table.table[$0] != nil }
        let parityName = try string(table, "parity", default: "none")
        guard let parity = SerialSettings.Parity(rawValue: parityName) else {
            throw fail(table, "parity", "'\(parityName)' is not none, even or odd")
        }
        let settings = SerialSettings(
            baud: try int(table, "baud", default: 9600, range: 1...4_000_000),
            dataBits: try int(table, "data_bits", default: 8, range: 5...8),
            parity: parity,
            stopBits: try int(table, "stop_bits", default: 1, range: 1...2))
        if let problem = settings.validate() { throw fail(table, "baud", problem) }
        let protocolName = try string(table, "protocol", default: "auto")
        var pinned: ScaleIdentification?
        if protocolName != "auto" {
            guard ScaleProtocols.decoder(named: protocolName) != nil else {
                throw fail(table, "protocol", "'\(protocolName)' is not auto or one of \(ScaleProtocols.names.joined(separator: ", "))")
            }
            // Pinned: no probing; the line settings are the ones given (9600 8N1 by default).
            pinned = ScaleIdentification(protocolName: protocolName, settings: settings, talk: ScaleConfiguration.pinnedTalk(for: protocolName))
        }
        return ScaleConfiguration(
            name: try string(table, "name", default: "scale\(index)"),
            path: try string(table, "path"),
            pinned: pinned,
            // Auto with line settings given: detect the protocol at those settings only.
            candidateSettings: lineGiven ? [settings] : ScaleProbe.candidateSettings,
            detector: WeighingDetector.Settings(
                zeroBand: Milligrams(Int64(try int(table, "zero_band_mg", default: 5_000, range: 0...1_000_000))),
                stableFor: .milliseconds(try int(table, "stable_ms", default: 800, range: 0...60_000))),
            staleAfter: .milliseconds(try int(table, "stale_after_ms", default: 3_000, range: 100...600_000)),
            redetectAfter: .milliseconds(try int(table, "redetect_after_ms", default: 15_000, range: 1_000...3_600_000)))
    }
}
