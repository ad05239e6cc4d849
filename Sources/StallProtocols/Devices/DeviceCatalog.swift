/// What a USB device plugged into a Stallbox is for.
public enum DeviceRole: Hashable, Sendable {
    /// A USB-serial bridge chip. The chips are generic (the same cable drives a GPS, a modem
    /// or a scale), but on a Stallbox their port is where a price scale's cable ends, so the
    /// daemon sniffs it and may send probe requests to it. Probe bytes go only to ports the
    /// catalog or the technician marked as scales, never to an unknown tty
    /// (reference/anchors.md 3.1).
    case scalePort
    /// A scale whose own USB interface is a serial port, with the protocol it is known to
    /// speak (a name from `ScaleProtocols`), so detection tries that protocol first.
    case scale(protocolHint: String)
    /// A USB sound card that can be the payment speaker.
    case speaker

    /// True for the roles whose device is a serial port (a tty).
    public var isSerialPort: Bool {
        switch self {
        case .scalePort, .scale: true
        case .speaker: false
        }
    }
}

/// The USB devices Stallbox knows by vendor:product id, and the role each one plays.
///
/// Ids are written the way udev gives them in `ID_VENDOR_ID` / `ID_MODEL_ID` and the way
/// `udev-rules/60-stallbox.rules` matches `ATTRS{idVendor}` / `ATTRS{idProduct}`: four
/// lowercase hex digits. Every serial entry here has a matching line in the rules file, and
/// no other line is there (checked by `UdevRulesCatalogTests`).
///
/// Sources, per group, are named where the group starts. Where usb.ids (shipped as
/// systemd's `hwdb.d/20-usb-vendor-model.hwdb`, the `ID_MODEL_FROM_DATABASE` text) and the
/// Linux driver disagree about a name, the driver's name is used, because the driver is
/// what binds the chip.
public enum DeviceCatalog {
    public struct Entry: Hashable, Sendable {
        /// `ID_VENDOR_ID`: four lowercase hex digits.
        public var vendor: String
        /// `ID_MODEL_ID`: four lowercase hex digits.
        public var product: String
        /// Maker and chip or model, for logs and `stallctl`.
        public var name: String
        /// The Linux driver that binds it (`ID_USB_DRIVER`); `cdc_acm` ports are ttyACM*,
        /// the usb-serial drivers' ports ttyUSB*.
        public var driver: String
        public var role: DeviceRole
        /// Serial numbers that whole batches of this chip ship with, so they do not tell one
        /// adapter from another (see `identityKey(properties:)`).
        public var placeholderSerials: Set<String>

        public init(vendor: String, product: String, name: String, driver: String, role: DeviceRole, placeholderSerials: Set<String> = []) {
            self.vendor = vendor
            self.product = product
            self.name = name
            self.driver = driver
            self.role = role
            self.placeholderSerials = placeholderSerials
        }

        /// `vendor:product`, as lsusb prints it.
        public var usbID: String { "\(vendor):\(product)" }
    }

    public static let entries: [Entry] = wch + prolific + ftdi + siliconLabs + scalesWithUSBSerial + speakers

    // MARK: USB-serial bridge chips (role .scalePort)

    /// WCH (QinHeng). 7523, 7522, 5523: Linux drivers/usb/serial/ch341.c id_table; the chip
    /// names are the comments of WCH's own driver (ch341ser: "ch340 chip", "ch340k chip",
    /// "ch341 chip"). 55d4: WCH's ch343ser driver ("ch9102 chip"); Linux drives it with
    /// cdc_acm, since it is a CDC-ACM device (Johan Hovold on linux-usb, 8 Jan 2025, "Re:
    /// [PATCH] USB: serial: ch341: Add product ID for CH9102"). These chips carry no serial
    /// number (dmesg shows "SerialNumber=0"; arduino.stackexchange.com question 6617).
    static let wch: [Entry] = [
        Entry(vendor: "1a86", product: "7523", name: "WCH CH340", driver: "ch341", role: .scalePort),
        Entry(vendor: "1a86", product: "7522", name: "WCH CH340K", driver: "ch341", role: .scalePort),
        Entry(vendor: "1a86", product: "5523", name: "WCH CH341", driver: "ch341", role: .scalePort),
        Entry(vendor: "1a86", product: "55d4", name: "WCH CH9102", driver: "cdc_acm", role: .scalePort),
    ]

    /// Prolific. 2303: Linux drivers/usb/serial/pl2303.h PL2303_PRODUCT_ID (the H/HX/TA
    /// generations share it). 23a3…23f3: PL2303_PRODUCT_ID_GC/GB/GT/GL/GE/GS, added for the
    /// PL2303G ("HXN") family by Prolific's Charles Yeh ("USB:serial:pl2303:Add new PID to
    /// support PL2303HXN (TYPE_HXN)", linux-usb, 29 Apr 2019). usb.ids calls 23a3 "ATEN
    /// Serial Bridge"; the driver's name is used here. Most PL2303 cables have no serial
    /// number (Klipper3d/klipper#4975).
    static let prolific: [Entry] = [
        Entry(vendor: "067b", product: "2303", name: "Prolific PL2303", driver: "pl2303", role: .scalePort),
        Entry(vendor: "067b", product: "23a3", name: "Prolific PL2303GC", driver: "pl2303", role: .scalePort),
        Entry(vendor: "067b", product: "23b3", name: "Prolific PL2303GB", driver: "pl2303", role: .scalePort),
        Entry(vendor: "067b", product: "23c3", name: "Prolific PL2303GT", driver: "pl2303", role: .scalePort),
        Entry(vendor: "067b", product: "23d3", name: "Prolific PL2303GL", driver: "pl2303", role: .scalePort),
        Entry(vendor: "067b", product: "23e3", name: "Prolific PL2303GE", driver: "pl2303", role: .scalePort),
        Entry(vendor: "067b", product: "23f3", name: "Prolific PL2303GS", driver: "pl2303", role: .scalePort),
    ]

    /// FTDI: Linux drivers/usb/serial/ftdi_sio_ids.h, "original" FTDI device PIDs
    /// (FTDI_8U232AM_PID 6001, FTDI_8U2232C_PID 6010 dual channel, FTDI_4232H_PID 6011 quad
    /// channel, FTDI_232H_PID 6014, FTDI_FTX_PID 6015 "FT-X series (FT201X, FT230X, FT231X,
    /// etc)"); chip names as in usb.ids. FTDI chips carry a factory serial number.
    static let ftdi: [Entry] = [
        Entry(vendor: "0403", product: "6001", name: "FTDI FT232R / FT232BM", driver: "ftdi_sio", role: .scalePort),
        Entry(vendor: "0403", product: "6010", name: "FTDI FT2232 (dual)", driver: "ftdi_sio", role: .scalePort),
        Entry(vendor: "0403", product: "6011", name: "FTDI FT4232H (quad)", driver: "ftdi_sio", role: .scalePort),
        Entry(vendor: "0403", product: "6014", name: "FTDI FT232H", driver: "ftdi_sio", role: .scalePort),
        Entry(vendor: "0403", product: "6015", name: "FTDI FT-X (FT230X/FT231X)", driver: "ftdi_sio", role: .scalePort),
    ]

    /// Silicon Labs: Linux drivers/usb/serial/cp210x.c id_table ("Silicon Labs factory
    /// default" for ea60 and ea70); usb.ids names ea70 "CP2105 Dual UART Bridge". An
    /// unprogrammed CP210x reports serial number "0001" (SILABS_DEFAULT_EEPROM_SERIAL in
    /// tadmorgan/mac-cp210x CP210x/usbdevs.h), and boards built on it share one serial
    /// (espressif/esptool#1026), so "0001" identifies nothing.
    static let siliconLabs: [Entry] = [
        Entry(vendor: "10c4", product: "ea60", name: "Silicon Labs CP210x", driver: "cp210x", role: .scalePort, placeholderSerials: ["0001"]),
        Entry(vendor: "10c4", product: "ea70", name: "Silicon Labs CP2105 (dual)", driver: "cp210x", role: .scalePort, placeholderSerials: ["0001"]),
    ]

    // MARK: Scales with a USB serial interface of their own (role .scale)

    /// None yet. The USB scales usb.ids knows by id (Dymo 0922:8003/8004/8009, Mettler
    /// Toledo 0eb8:f000 "BC60 Scale", Stamps.com 1446:6a73, …) are USB HID point-of-sale
    /// scales: they appear as hidraw devices, not ttys, and speak none of the serial
    /// protocols (erjiang/usbscale, a reader for such HID scales, lists these ids in its
    /// scales.h, erjiang/usbscale#15; #8 shows a Dymo S250 bound by hid-generic as hidraw0).
    /// A scale goes here only with a public source for both its id and that it presents a
    /// serial port speaking a known protocol.
    static let scalesWithUSBSerial: [Entry] = []

    // MARK: USB sound cards (role .speaker)

    /// Chips of common cheap USB sound cards, names from usb.ids (systemd's
    /// hwdb.d/20-usb-vendor-model.hwdb). All are USB Audio Class devices bound by
    /// snd-usb-audio, which is why `role(subsystem:properties:)` also takes a USB sound card
    /// that is not listed here; this list gives known ones their name.
    static let speakers: [Entry] = [
        Entry(vendor: "0d8c", product: "000c", name: "C-Media Audio Adapter", driver: "snd-usb-audio", role: .speaker),
        Entry(vendor: "0d8c", product: "0014", name: "C-Media Audio Adapter (Unitek Y-247A)", driver: "snd-usb-audio", role: .speaker),
        Entry(vendor: "0d8c", product: "0102", name: "C-Media CM106", driver: "snd-usb-audio", role: .speaker),
        Entry(vendor: "0d8c", product: "013c", name: "C-Media CM108", driver: "snd-usb-audio", role: .speaker),
        Entry(vendor: "08bb", product: "2704", name: "Texas Instruments PCM2704", driver: "snd-usb-audio", role: .speaker),
        Entry(vendor: "08bb", product: "2902", name: "Texas Instruments PCM2902", driver: "snd-usb-audio", role: .speaker),
    ]

    // MARK: Lookup

    private static let byUSBID: [String: Entry] = {
        var table: [String: Entry] = [:]
        for entry in entries { table[entry.usbID] = entry }
        return table
    }()

    /// The entry for a vendor:product pair; case does not matter (lsusb and the kernel log
    /// print lowercase, Windows and some vendors' docs uppercase).
    public static func entry(vendor: String, product: String) -> Entry? {
        byUSBID["\(vendor.lowercased()):\(product.lowercased())"]
    }

    /// The entries whose device is a serial port: exactly what the udev rules match.
    public static var serialEntries: [Entry] { entries.filter { $0.role.isSerialPort } }

    // MARK: Classifying a udev device

    /// The role of a device udev reported, from its subsystem and properties (as
    /// `udev_device_get_properties_list_entry` lists them), or nil when Stallbox should
    /// leave it alone.
    ///
    /// - `tty`: a USB port (`ID_BUS=usb`) whose `ID_VENDOR_ID:ID_MODEL_ID` is a serial entry
    ///   of the catalog. Any other tty (a modem, a GPS, the console) is not touched.
    /// - `sound`: a USB sound card, once udev finished it (`SOUND_INITIALIZED=1`, set with
    ///   the `ID_*` properties on the card's change event by systemd's
    ///   78-sound-card.rules). The card device stands for the whole card: its pcm and
    ///   control nodes return nil. Listed cards take the catalog's role; unlisted USB
    ///   cards are speakers too (USB Audio Class is standard), except those udev itself
    ///   marks as a webcam's or a microphone's (`SOUND_FORM_FACTOR`).
    ///
    /// Properties our own udev rules add (`STALLBOX_ROLE`) are not needed: this works on
    /// a box where the rules are not installed.
    public static func role(subsystem: String, properties: [String: String]) -> DeviceRole? {
        guard properties["ID_BUS"] == "usb" else { return nil }
        let listed = entry(vendor: properties["ID_VENDOR_ID"] ?? "", product: properties["ID_MODEL_ID"] ?? "")
        switch subsystem {
        case "tty":
            guard let listed, listed.role.isSerialPort else { return nil }
            return listed.role
        case "sound":
            guard isFinishedSoundCard(properties) else { return nil }
            if let listed { return listed.role == .speaker ? .speaker : nil }
            switch properties["SOUND_FORM_FACTOR"] {
            case "webcam", "microphone": return nil
            default: return .speaker
            }
        default:
            return nil
        }
    }

    /// The card device itself (`…/sound/cardN`, which has no device node), after udev's
    /// change event filled it in.
    static func isFinishedSoundCard(_ properties: [String: String]) -> Bool {
        guard properties["SOUND_INITIALIZED"] == "1", properties["DEVNAME"] == nil,
              let devpath = properties["DEVPATH"], let last = devpath.split(separator: "/").last,
              last.hasPrefix("card") else { return false }
        let number = last.dropFirst(4)
        return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
    }

    // MARK: Identity

    /// A name for a device that survives unplugging and reboots, used to remember what
    /// auto-detection found for it (`ScaleMemory`):
    ///
    /// 1. `serial:<ID_VENDOR_ID>:<ID_MODEL_ID>:<ID_SERIAL_SHORT>` when the device has a
    ///    serial number that is not a batch-wide placeholder. It follows the adapter to any
    ///    USB socket. On a chip with several ports per USB device (FT2232, FT4232H, CP2105)
    ///    every port but the first (interface 00) gets `:if<ID_USB_INTERFACE_NUM>` after it,
    ///    since the ports share the serial number.
    /// 2. `path:<ID_PATH>` otherwise: the physical USB socket. Cheap CH340 and PL2303
    ///    adapters, the most common in scale cables, have no serial number at all, so two
    ///    of them differ only by where they are plugged in; a scale moved to another socket
    ///    is detected again (one search, a few seconds).
    /// 3. The device node (`DEVNAME`) when udev gives neither, e.g. a built-in ttyS port; it
    ///    equals the configured path, the key `ScaleConfiguration` uses by default.
    ///
    /// Nil when there is not even a device node (nothing to open). A collision (two
    /// adapters sharing a real serial number) costs one wrong first guess, since the
    /// memory is a cache that detection corrects.
    public static func identityKey(properties: [String: String]) -> String? {
        if let serial = nonEmpty(properties["ID_SERIAL_SHORT"]),
           let vendor = nonEmpty(properties["ID_VENDOR_ID"]), let product = nonEmpty(properties["ID_MODEL_ID"]),
           !(entry(vendor: vendor, product: product)?.placeholderSerials.contains(serial) ?? false) {
            var key = "serial:\(vendor.lowercased()):\(product.lowercased()):\(serial)"
            if let interface = nonEmpty(properties["ID_USB_INTERFACE_NUM"]), interface != "00" {
                key += ":if\(interface)"
            }
            return key
        }
        if let path = nonEmpty(properties["ID_PATH"]) { return "path:\(path)" }
        return nonEmpty(properties["DEVNAME"])
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
