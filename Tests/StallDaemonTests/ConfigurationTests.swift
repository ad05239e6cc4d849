import StallDaemon
import StallDevices
import StallProtocols
import StallTestSupport
import Testing

@Suite struct ConfigurationTests {
    static let valid = """
        [ledger]
        path = "/tmp/l.sqlite"
        key = "/tmp/k"

        [[scale]]
        name = "scale0"
        path = "/dev/ttyUSB0"
        baud = 9600
        data_bits = 7
        parity = "even"

        [speaker]
        pcm = "null"
        voice_pack = "/x"

        [uplink]
        url = "https://bank.example"
        ca_file = "/etc/ca.pem"
        """

    @Test func aValidFileGivesItsValues() throws {
        let configuration = try StallboxConfiguration.parse(Self.valid, file: "s.toml")
        #expect(configuration.scales.count == 1)
        // No protocol named: auto-detection, at the one line setting given.
        #expect(configuration.scales.first?.pinned == nil)
        #expect(configuration.scales.first?.candidateSettings.map(\.description) == ["9600 7E1"])
        #expect(configuration.hotplug.memoryPath == "/tmp/scales.json")
        #expect(configuration.hotplug.watchUdev && configuration.hotplug.adoptUSBSerial)
        #expect(configuration.speaker.pcm == "null")
        #expect(configuration.uplink?.baseURL == "https://bank.example")
        #expect(configuration.diagSocket == "/run/stallbox/diag.sock")
    }

    @Test func aSyntaxErrorNamesItsLine() {
        #expect {
            try StallboxConfiguration.parse("[ledger]\npath = \"x\"\nkey = = 3\n", file: "s.toml")
        } throws: { error in
            (error as? ConfigurationError)?.line == 3 && "\(error)".hasPrefix("s.toml:3:")
        }
    }

    @Test func aBadValueNamesItsLineAndKey() {
        let text = Self.valid.replacingOccurrences(of: "baud = 9600", with: "baud = 9601")
        #expect {
            try StallboxConfiguration.parse(text, file: "s.toml")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.line == 8 && error.key == "scale[0].baud"
        }
    }

    @Test func anUnknownKeyIsAnErrorNotIgnored() {
        let text = Self.valid.replacingOccurrences(of: "parity = \"even\"", with: "partiy = \"even\"")
        #expect {
            try StallboxConfiguration.parse(text, file: "s.toml")
        } throws: { error in
            (error as? ConfigurationError)?.key == "scale[0].partiy" && (error as? ConfigurationError)?.line == 10
        }
    }

    @Test func aWrongTypeIsNamed() {
        let text = Self.valid.replacingOccurrences(of: "data_bits = 7", with: "data_bits = \"7\"")
        #expect {
            try StallboxConfiguration.parse(text, file: "s.toml")
        } throws: { error in
            "\(error)".contains("scale[0].data_bits: must be an integer")
        }
    }

    @Test func plainHTTPUpstreamIsRefused() {
        let text = Self.valid.replacingOccurrences(of: "https://bank.example", with: "http://bank.example")
        #expect(throws: ConfigurationError.self) { try StallboxConfiguration.parse(text, file: "s.toml") }
    }

    @Test func aMissingFileIsAClearError() {
        #expect {
            try StallboxConfiguration.load(path: "/nonexistent/stallbox.toml")
        } throws: { error in
            "\(error)".contains("/nonexistent/stallbox.toml") && ConfigurationError.exitCode == 78
        }
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }

    func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.range(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

@Suite struct ConfigurationProtocolTests {
    @Test func anUnknownScaleProtocolIsNamedWithTheKnownOnes() {
        let text = ConfigurationTests.valid.replacingOccurrences(of: "baud = 9600", with: "baud = 9600\nprotocol = \"toledo-8217x\"")
        #expect {
            try StallboxConfiguration.parse(text, file: "s.toml")
        } throws: { error in
            "\(error)".contains("scale[0].protocol") && "\(error)".contains("toledo-continuous")
        }
    }
}

@Suite struct ConfigurationScaleDetectionTests {
    @Test func withoutProtocolOrLineSettingsEverySettingIsSearched() throws {
        let text = ConfigurationTests.valid.replacingOccurrences(of: "baud = 9600\ndata_bits = 7\nparity = \"even\"\n", with: "")
        let scale = try #require(try StallboxConfiguration.parse(text, file: "s.toml").scales.first)
        #expect(scale.pinned == nil)
        #expect(scale.candidateSettings.count == 6)
    }

    @Test func aNamedProtocolPinsProtocolSettingsAndTalk() throws {
        let text = ConfigurationTests.valid.replacingOccurrences(of: "baud = 9600", with: "baud = 9600\nprotocol = \"toledo-8217\"")
        let scale = try #require(try StallboxConfiguration.parse(text, file: "s.toml").scales.first)
        #expect(scale.pinned?.protocolName == "toledo-8217")
        #expect(scale.pinned?.settings.description == "9600 7E1")
        #expect(scale.pinned?.talk == .poll(request: Array("W".utf8)))
    }

    @Test func hotplugKeysAreRead() throws {
        let text = ConfigurationTests.valid + "\n[hotplug]\nwatch_udev = false\nadopt_usb_serial = false\nmemory = \"/var/lib/x/s.json\"\n"
        let configuration = try StallboxConfiguration.parse(text, file: "s.toml")
        #expect(!configuration.hotplug.watchUdev && !configuration.hotplug.adoptUSBSerial)
        #expect(configuration.hotplug.memoryPath == "/var/lib/x/s.json")
    }

    @Test func anUnknownHotplugKeyIsNamed() {
        let text = ConfigurationTests.valid + "\n[hotplug]\nadopt = true\n"
        #expect {
            try StallboxConfiguration.parse(text, file: "s.toml")
        } throws: { error in
            "\(error)".contains("hotplug.adopt") && "\(error)".contains("adopt_usb_serial")
        }
    }
}

@Suite struct ShippedConfigurationTests {
    /// The commented example installed as /etc/stallbox/stallbox.toml must load as it is.
    @Test func theExampleConfigurationLoads() throws {
        let configuration = try StallboxConfiguration.load(path: RepositoryFiles.path("systemd/stallbox.toml"))
        #expect(configuration.scales.isEmpty)
        #expect(configuration.hotplug.adoptUSBSerial)
        #expect(configuration.hotplug.memoryPath == "/var/lib/stallbox/scales.json")
    }
}

@Suite struct ConfigurationSpeakerTests {
    @Test func aTTSModuleIsReadWithItsChipRateVolumeAndPreference() throws {
        let text = ConfigurationTests.valid.replacingOccurrences(
            of: "pcm = \"null\"", with: "pcm = \"null\"\ntts_port = \"/dev/ttyUSB1\"\ntts_chip = \"syn6658\"\ntts_baud = 19200\ntts_volume = 7\nprefer = \"tts\"")
        let speaker = try StallboxConfiguration.parse(text, file: "s.toml").speaker
        #expect(speaker.tts?.port == "/dev/ttyUSB1")
        #expect(speaker.tts?.chip == .syn6658)
        #expect(speaker.tts?.baud == 19200)
        #expect(speaker.tts?.volume == 7)
        #expect(speaker.prefer == "tts")
    }

    @Test(arguments: [
        ("tts_chip = \"syn6288\"", "needs tts_port"),
        ("tts_port = \"/dev/ttyUSB1\"\ntts_chip = \"syn9999\"", "syn6288, syn6658, xfs5152ce"),
        ("tts_port = \"/dev/ttyUSB1\"\ntts_baud = 4800", "not 9600, 19200 or 38400"),
        ("prefer = \"loud\"", "not alsa or tts"),
    ])
    func aBadTTSSettingIsNamed(line: String, message: String) {
        let text = ConfigurationTests.valid.replacingOccurrences(of: "pcm = \"null\"", with: "pcm = \"null\"\n" + line)
        #expect {
            try StallboxConfiguration.parse(text, file: "s.toml")
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}

@Suite struct ConfigurationLedgerAndUplinkTests {
    @Test func theLedgerPolicyAndUplinkSettingsAreRead() throws {
        let text = ConfigurationTests.valid
            .replacingOccurrences(
                of: "key = \"/tmp/k\"",
                with: "key = \"/tmp/k\"\ngroup_max = 64\ngroup_window_ms = 2\nretention_days = 7\nbudget_mb = 100\nmin_free_mb = 10\nutc_offset_minutes = 60\nhousekeeping_s = 5")
            .replacingOccurrences(
                of: "ca_file = \"/etc/ca.pem\"",
                with: "ca_file = \"/etc/ca.pem\"\nbatch_max_kb = 64\ngzip = false\nclient_cert = \"/c.pem\"\nclient_key = \"/c.key\"\nstale_ack_hours = 12\nbackoff_max_s = 30\nrejected_backoff_s = 600")
        let configuration = try StallboxConfiguration.parse(text, file: "s.toml")
        #expect(configuration.ledgerPolicy == .init(
            groupMax: 64, groupWindowMs: 2, retentionDays: 7, budgetMiB: 100, minFreeMiB: 10, utcOffsetMinutes: 60, housekeepingSeconds: 5))
        let uplink = try #require(configuration.uplink)
        #expect(uplink.batchMaxBytes == 64 * 1024)
        #expect(uplink.gzip == false)
        #expect(uplink.clientCertificate == "/c.pem" && uplink.clientKey == "/c.key")
        #expect(uplink.maxBackoff == .seconds(30) && uplink.rejectedBackoff == .seconds(600))
        #expect(configuration.staleAckHours == 12)
    }

    @Test func aClientCertificateWithoutItsKeyIsNamed() {
        let text = ConfigurationTests.valid.replacingOccurrences(
            of: "ca_file = \"/etc/ca.pem\"", with: "ca_file = \"/etc/ca.pem\"\nclient_cert = \"/c.pem\"")
        #expect {
            _ = try StallboxConfiguration.parse(text, file: "s.toml")
        } throws: { error in
            "\(error)".contains("client_cert and client_key go together")
        }
    }
}
