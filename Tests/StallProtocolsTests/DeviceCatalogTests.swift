import StallProtocols
import StallTestSupport
import Testing

/// The USB device catalog: its table, the roles it gives udev devices, and the identity
/// keys detection results are remembered under.
@Suite struct DeviceCatalogTests {
    // MARK: The table

    @Test func everyIDIsFourLowercaseHexDigitsAsUdevWritesThem() {
        let hex = Set("0123456789abcdef")
        for entry in DeviceCatalog.entries {
            for id in [entry.vendor, entry.product] {
                #expect(id.count == 4 && id.allSatisfy { hex.contains($0) }, "\(entry.name): \(id)")
            }
        }
    }

    @Test func noVendorProductPairIsListedTwice() {
        let ids = DeviceCatalog.entries.map(\.usbID)
        #expect(Set(ids).count == ids.count)
    }

    /// The chips named in the issue (the common ones in scale cables) must stay listed as
    /// scale ports; deleting one is a behaviour change the rules and docs depend on.
    @Test(arguments: [
        "1a86:7523", "1a86:5523", "1a86:55d4", "067b:2303", "067b:23a3",
        "0403:6001", "0403:6010", "0403:6011", "0403:6014", "0403:6015", "10c4:ea60", "10c4:ea70",
    ])
    func theCommonUSBSerialChipsAreScalePorts(usbID: String) throws {
        let parts = usbID.split(separator: ":").map(String.init)
        let entry = try #require(DeviceCatalog.entry(vendor: parts[0], product: parts[1]))
        #expect(entry.role == .scalePort)
        #expect(entry.usbID == usbID)
    }

    @Test func everyEntryNamesItsDriverAndSerialEntriesAreExactlyTheTtyRoles() {
        for entry in DeviceCatalog.entries {
            #expect(!entry.name.isEmpty && !entry.driver.isEmpty, "\(entry.usbID)")
            #expect((entry.driver == "snd-usb-audio") == (entry.role == .speaker), "\(entry.usbID) \(entry.driver)")
        }
        #expect(DeviceCatalog.serialEntries.allSatisfy { $0.role.isSerialPort })
        #expect(DeviceCatalog.serialEntries.count == DeviceCatalog.entries.filter { $0.role != .speaker }.count)
    }

    @Test func theCatalogListsSomeSoundCardChips() {
        #expect(DeviceCatalog.entries.contains { $0.role == .speaker && $0.vendor == "0d8c" })
    }

    @Test func lookupIgnoresCaseBecauseVendorsDocumentIdsInUpperCase() {
        #expect(DeviceCatalog.entry(vendor: "10C4", product: "EA60")?.name == DeviceCatalog.entry(vendor: "10c4", product: "ea60")?.name)
        #expect(DeviceCatalog.entry(vendor: "10C4", product: "EA60") != nil)
    }

    @Test func anUnknownPairIsNotInTheCatalog() {
        #expect(DeviceCatalog.entry(vendor: "0557", product: "2008") == nil)
        #expect(DeviceCatalog.entry(vendor: "1a86", product: "") == nil)
        #expect(DeviceCatalog.entry(vendor: "", product: "") == nil)
    }

    // MARK: Roles of udev devices

    static func usbTty(_ vendor: String, _ product: String, bus: String = "usb") -> [String: String] {
        ["DEVNAME": "/dev/ttyUSB0", "ID_BUS": bus, "ID_VENDOR_ID": vendor, "ID_MODEL_ID": product,
         "DEVPATH": "/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/ttyUSB0/tty/ttyUSB0"]
    }

    static func soundCard(_ vendor: String, _ product: String) -> [String: String] {
        ["DEVPATH": "/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/sound/card1", "SOUND_INITIALIZED": "1",
         "ID_BUS": "usb", "ID_VENDOR_ID": vendor, "ID_MODEL_ID": product]
    }

    @Test func aCatalogedSerialChipsTtyIsAScalePort() {
        #expect(DeviceCatalog.role(subsystem: "tty", properties: Self.usbTty("1a86", "7523")) == .scalePort)
        #expect(DeviceCatalog.role(subsystem: "tty", properties: Self.usbTty("1a86", "55d4")) == .scalePort)
    }

    @Test func aTtyOfAnAdapterNotInTheCatalogIsLeftAlone() {
        #expect(DeviceCatalog.role(subsystem: "tty", properties: Self.usbTty("0557", "2008")) == nil)
    }

    @Test func aTtyWithoutUsbPropertiesIsLeftAlone() {
        #expect(DeviceCatalog.role(subsystem: "tty", properties: ["DEVNAME": "/dev/ttyS0"]) == nil)
        // A PCI serial card: 60-serial.rules sets ID_BUS=pci and ids like "0x1a86".
        #expect(DeviceCatalog.role(subsystem: "tty", properties: Self.usbTty("1a86", "7523", bus: "pci")) == nil)
    }

    @Test func aSoundCardChipsIdOnATtyIsNotAScalePort() {
        #expect(DeviceCatalog.role(subsystem: "tty", properties: Self.usbTty("0d8c", "013c")) == nil)
    }

    @Test func aFinishedUSBSoundCardIsASpeakerListedOrNot() {
        #expect(DeviceCatalog.role(subsystem: "sound", properties: Self.soundCard("0d8c", "013c")) == .speaker)
        #expect(DeviceCatalog.role(subsystem: "sound", properties: Self.soundCard("1234", "5678")) == .speaker)
    }

    @Test func aSoundCardIsNotASpeakerBeforeUdevFinishedIt() {
        var card = Self.soundCard("0d8c", "013c")
        card["SOUND_INITIALIZED"] = nil
        #expect(DeviceCatalog.role(subsystem: "sound", properties: card) == nil)
    }

    @Test func aCardsPcmAndControlNodesAreNotSpeakersThemselves() {
        for node in ["pcmC1D0p", "controlC1"] {
            var properties = Self.soundCard("0d8c", "013c")
            properties["DEVPATH"]! += "/\(node)"
            properties["DEVNAME"] = "/dev/snd/\(node)"
            #expect(DeviceCatalog.role(subsystem: "sound", properties: properties) == nil, "\(node)")
        }
    }

    @Test func aWebcamsOrMicrophonesSoundCardIsNotASpeaker() {
        for formFactor in ["webcam", "microphone"] {
            var card = Self.soundCard("046d", "0825")
            card["SOUND_FORM_FACTOR"] = formFactor
            #expect(DeviceCatalog.role(subsystem: "sound", properties: card) == nil, "\(formFactor)")
        }
        var speaker = Self.soundCard("046d", "0825")
        speaker["SOUND_FORM_FACTOR"] = "speaker"
        #expect(DeviceCatalog.role(subsystem: "sound", properties: speaker) == .speaker)
    }

    @Test func aSerialChipsIdOnASoundCardIsNotASpeaker() {
        #expect(DeviceCatalog.role(subsystem: "sound", properties: Self.soundCard("1a86", "7523")) == nil)
    }

    @Test func otherSubsystemsHaveNoRole() {
        #expect(DeviceCatalog.role(subsystem: "usb", properties: Self.usbTty("1a86", "7523")) == nil)
        #expect(DeviceCatalog.role(subsystem: "hidraw", properties: Self.usbTty("0922", "8009")) == nil)
    }

    // MARK: Identity keys

    @Test func anAdapterWithASerialNumberIsKnownByItWhereverItIsPlugged() {
        var ftdi = Self.usbTty("0403", "6001")
        ftdi["ID_SERIAL_SHORT"] = "A10K3XYZ"
        ftdi["ID_USB_INTERFACE_NUM"] = "00"
        ftdi["ID_PATH"] = "pci-0000:00:14.0-usb-0:2:1.0"
        #expect(DeviceCatalog.identityKey(properties: ftdi) == "serial:0403:6001:A10K3XYZ")
        ftdi["ID_PATH"] = "pci-0000:00:14.0-usb-0:3:1.0"
        #expect(DeviceCatalog.identityKey(properties: ftdi) == "serial:0403:6001:A10K3XYZ")
    }

    @Test func anAdapterWithoutSerialNumberIsKnownByItsUSBSocket() {
        var ch340 = Self.usbTty("1a86", "7523")
        ch340["ID_PATH"] = "pci-0000:00:14.0-usb-0:2:1.0"
        #expect(DeviceCatalog.identityKey(properties: ch340) == "path:pci-0000:00:14.0-usb-0:2:1.0")
        ch340["ID_SERIAL_SHORT"] = ""
        #expect(DeviceCatalog.identityKey(properties: ch340) == "path:pci-0000:00:14.0-usb-0:2:1.0")
    }

    @Test func aFactoryPlaceholderSerialNumberDoesNotIdentifyAnAdapter() {
        var cp2102 = Self.usbTty("10c4", "ea60")
        cp2102["ID_SERIAL_SHORT"] = "0001"
        cp2102["ID_PATH"] = "pci-0000:00:14.0-usb-0:4:1.0"
        #expect(DeviceCatalog.identityKey(properties: cp2102) == "path:pci-0000:00:14.0-usb-0:4:1.0")
        cp2102["ID_SERIAL_SHORT"] = "0123A7F2"
        #expect(DeviceCatalog.identityKey(properties: cp2102) == "serial:10c4:ea60:0123A7F2")
    }

    @Test func thePortsOfADualChipGetDifferentKeysFromOneSerialNumber() {
        var portA = Self.usbTty("0403", "6010")
        portA["ID_SERIAL_SHORT"] = "FT4ABCDE"
        portA["ID_USB_INTERFACE_NUM"] = "00"
        var portB = portA
        portB["ID_USB_INTERFACE_NUM"] = "01"
        #expect(DeviceCatalog.identityKey(properties: portA) == "serial:0403:6010:FT4ABCDE")
        #expect(DeviceCatalog.identityKey(properties: portB) == "serial:0403:6010:FT4ABCDE:if01")
    }

    @Test func idsInTheKeyAreLowerCase() {
        var ftdi = Self.usbTty("0403", "6001")
        ftdi["ID_MODEL_ID"] = "60A1"
        ftdi["ID_SERIAL_SHORT"] = "X1"
        #expect(DeviceCatalog.identityKey(properties: ftdi) == "serial:0403:60a1:X1")
    }

    @Test func aPortUdevKnowsNothingAboutIsKnownByItsDeviceNode() {
        #expect(DeviceCatalog.identityKey(properties: ["DEVNAME": "/dev/ttyS0"]) == "/dev/ttyS0")
        #expect(DeviceCatalog.identityKey(properties: [:]) == nil)
    }

    // MARK: The umockdev fixtures agree with the catalog

    /// One device of a umockdev description: its sysfs path and udev properties.
    struct FixtureDevice {
        var devpath: String
        var properties: [String: String]
        var subsystem: String { properties["SUBSYSTEM"] ?? "" }
    }

    /// Reads the `P:` and `E:` lines of a umockdev description (the format umockdev-record
    /// writes: one paragraph per device).
    static func fixture(_ name: String) throws -> [FixtureDevice] {
        let text = try RepositoryFiles.text("Tests/Fixtures/umockdev/\(name)")
        var devices: [FixtureDevice] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("P: ") {
                let devpath = String(line.dropFirst(3))
                devices.append(FixtureDevice(devpath: devpath, properties: ["DEVPATH": devpath]))
            } else if line.hasPrefix("E: "), !devices.isEmpty, let equals = line.firstIndex(of: "=") {
                let key = String(line[line.index(line.startIndex, offsetBy: 3)..<equals])
                devices[devices.count - 1].properties[key] = String(line[line.index(after: equals)...])
            }
        }
        return devices
    }

    @Test func theCH340FixturesTtyIsAScalePortKnownByItsUSBSocket() throws {
        let devices = try Self.fixture("ch340-scale.umockdev")
        let roles = devices.map { DeviceCatalog.role(subsystem: $0.subsystem, properties: $0.properties) }
        let expected: [DeviceRole?] = [.scalePort] + Array(repeating: nil, count: devices.count - 1)
        #expect(roles == expected)
        let tty = try #require(devices.first { $0.subsystem == "tty" })
        #expect(tty.properties["ID_SERIAL_SHORT"] == nil, "a CH340 has no serial number")
        #expect(DeviceCatalog.identityKey(properties: tty.properties) == "path:pci-0000:00:14.0-usb-0:2:1.0")
        #expect(DeviceCatalog.entry(vendor: tty.properties["ID_VENDOR_ID"]!, product: tty.properties["ID_MODEL_ID"]!)?.driver == tty.properties["ID_USB_DRIVER"])
    }

    @Test func theSpeakerFixturesCardIsASpeakerAndItsNodesAreNot() throws {
        let devices = try Self.fixture("usb-speaker.umockdev")
        let speakers = devices.filter { DeviceCatalog.role(subsystem: $0.subsystem, properties: $0.properties) == .speaker }
        #expect(speakers.map(\.devpath) == ["/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/sound/card1"])
        #expect(devices.contains { $0.properties["DEVNAME"] == "/dev/snd/pcmC1D0p" })
        #expect(DeviceCatalog.identityKey(properties: speakers[0].properties) == "path:pci-0000:00:14.0-usb-0:3:1.0")
    }

    @Test func theNonCatalogAdapterFixtureHasNoRoleAnywhere() throws {
        let devices = try Self.fixture("aten-uc232a.umockdev")
        #expect(devices.contains { $0.subsystem == "tty" })
        #expect(devices.allSatisfy { DeviceCatalog.role(subsystem: $0.subsystem, properties: $0.properties) == nil })
    }
}
