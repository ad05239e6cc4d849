import StallProtocols
import StallTestSupport
import Testing

/// udev-rules/60-stallbox.rules against the device catalog: the rules match exactly the
/// catalog's serial entries, and every match gets the whole treatment (group, mode,
/// ModemManager flags, systemd tag, the stable symlink). The rules are read as udev reads
/// them and run through a small evaluator of the keys they use; a key the evaluator does
/// not know fails the test, so a new kind of rule gets looked at here. (The same file run
/// by the real udev: Tests/StallPlatformTests/UdevRulesUdevadmTests.swift.)
@Suite struct UdevRulesCatalogTests {
    static let rulesPath = "udev-rules/60-stallbox.rules"

    // MARK: Reading rules

    struct Key: Equatable, CustomStringConvertible {
        var name: String
        var op: String
        var value: String
        var description: String { "\(name)\(op)\"\(value)\"" }
    }

    struct Rule {
        var line: Int
        var keys: [Key]
    }

    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "\(UdevRulesCatalogTests.rulesPath):\(line): \(message)" }
    }

    /// Splits a rules file into rules of `NAME{attr}OP"value"` keys, as udev does: one
    /// rule per line, a trailing backslash continues it, `#` starts a comment line.
    static func parse(_ text: String) throws -> [Rule] {
        var rules: [Rule] = []
        var pending = ""
        var pendingLine = 0
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if pending.isEmpty && (line.isEmpty || line.hasPrefix("#")) { continue }
            if pending.isEmpty { pendingLine = index + 1 }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            pending += line
            rules.append(Rule(line: pendingLine, keys: try parseKeys(pending, line: pendingLine)))
            pending = ""
        }
        return rules
    }

    static func parseKeys(_ text: String, line: Int) throws -> [Key] {
        let chars = Array(text)
        var keys: [Key] = []
        var i = 0
        func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
        while i < chars.count {
            while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "," { i += 1 }
            guard i < chars.count else { break }
            var name = ""
            while i < chars.count, isNameChar(chars[i]) { name.append(chars[i]); i += 1 }
            if i < chars.count, chars[i] == "{" {
                while i < chars.count, chars[i] != "}" { name.append(chars[i]); i += 1 }
                guard i < chars.count else { throw ParseError(line: line, message: "unclosed { in \(name)") }
                name.append("}")
                i += 1
            }
            guard !name.isEmpty else { throw ParseError(line: line, message: "expected a key at column \(i + 1)") }
            var op = ""
            while i < chars.count, "=!+-:".contains(chars[i]), op.count < 2 { op.append(chars[i]); i += 1 }
            guard ["==", "!=", "=", "+=", "-=", ":="].contains(op) else {
                throw ParseError(line: line, message: "bad operator '\(op)' after \(name)")
            }
            guard i < chars.count, chars[i] == "\"" else { throw ParseError(line: line, message: "\(name)\(op) needs a quoted value") }
            i += 1
            var value = ""
            while i < chars.count, chars[i] != "\"" {
                if chars[i] == "\\", i + 1 < chars.count { value.append(chars[i]); i += 1 }
                value.append(chars[i])
                i += 1
            }
            guard i < chars.count else { throw ParseError(line: line, message: "unclosed value of \(name)") }
            i += 1
            keys.append(Key(name: name, op: op, value: value))
        }
        return keys
    }

    static func rules() throws -> [Rule] { try parse(try RepositoryFiles.text(rulesPath)) }

    // MARK: Evaluating rules for one simulated event

    /// A device in the sysfs chain above the event's device (or the device itself), with
    /// the attributes `ATTRS{}` can see.
    struct SysDevice {
        var subsystem: String
        var attributes: [String: String]
    }

    struct Event {
        var action = "add"
        var subsystem = "tty"
        var kernel = "ttyUSB0"
        /// The device itself first, then its parents up to the root.
        var chain: [SysDevice]
        var environment: [String: String] = [:]
        /// What `IMPORT{builtin}="path_id"` would add.
        var pathIDResult: [String: String] = [:]
    }

    struct Outcome: Equatable {
        var group: String?
        var mode: String?
        var tags: [String] = []
        var symlinks: [String] = []
        /// Properties the rules set (not those the event came with).
        var assigned: [String: String] = [:]
        var isUntouched: Bool { self == Outcome() }
    }

    struct UnknownKey: Error, CustomStringConvertible {
        var key: Key
        var line: Int
        var description: String { "line \(line): the test's evaluator does not know \(key); teach it before using it in the rules" }
    }

    /// udev's pattern match for the subset the rules use: `*`, `?` and `|` alternatives;
    /// an empty pattern matches an empty or missing value.
    static func matches(_ value: String, pattern: String) -> Bool {
        pattern.split(separator: "|", omittingEmptySubsequences: false).contains { glob(Array(value), Array($0)) }
    }

    static func glob(_ value: [Character], _ pattern: [Character]) -> Bool {
        guard let first = pattern.first else { return value.isEmpty }
        switch first {
        case "*": return (0...value.count).contains { glob(Array(value[$0...]), Array(pattern.dropFirst())) }
        case "?": return !value.isEmpty && glob(Array(value.dropFirst()), Array(pattern.dropFirst()))
        default: return value.first == first && glob(Array(value.dropFirst()), Array(pattern.dropFirst()))
        }
    }

    static func substitute(_ value: String, environment: [String: String]) -> String {
        var result = value
        while let start = result.firstRange(of: "$env{"), let end = result[start.upperBound...].firstIndex(of: "}") {
            let name = String(result[start.upperBound..<end])
            result.replaceSubrange(start.lowerBound...end, with: environment[name] ?? "")
        }
        return result
    }

    static func run(_ rules: [Rule], _ event: Event) throws -> Outcome {
        var outcome = Outcome()
        var environment = event.environment
        var index = 0
        var skippingTo: String?
        while index < rules.count {
            let rule = rules[index]
            index += 1
            if let label = skippingTo {
                if rule.keys.contains(Key(name: "LABEL", op: "=", value: label)) { skippingTo = nil }
                continue
            }
            // Match keys; the parent keys (SUBSYSTEMS, ATTRS) must all match one device of the chain.
            var matched = true
            var parentKeys: [Key] = []
            for key in rule.keys where key.op == "==" || key.op == "!=" {
                let positive = key.op == "=="
                switch key.name {
                case "ACTION": matched = matched && (matches(event.action, pattern: key.value) == positive)
                case "SUBSYSTEM": matched = matched && (matches(event.subsystem, pattern: key.value) == positive)
                case "KERNEL": matched = matched && (matches(event.kernel, pattern: key.value) == positive)
                case let name where name.hasPrefix("ENV{"):
                    let variable = String(name.dropFirst(4).dropLast())
                    matched = matched && (matches(environment[variable] ?? "", pattern: key.value) == positive)
                case let name where name == "SUBSYSTEMS" || name.hasPrefix("ATTRS{"):
                    guard positive else { throw UnknownKey(key: key, line: rule.line) }
                    parentKeys.append(key)
                default:
                    throw UnknownKey(key: key, line: rule.line)
                }
            }
            if !parentKeys.isEmpty {
                matched = matched && event.chain.contains { device in
                    parentKeys.allSatisfy { key in
                        if key.name == "SUBSYSTEMS" { return matches(device.subsystem, pattern: key.value) }
                        let attribute = String(key.name.dropFirst(6).dropLast())
                        return device.attributes[attribute].map { matches($0, pattern: key.value) } ?? false
                    }
                }
            }
            guard matched else { continue }
            // Assignments, in order.
            for key in rule.keys where key.op != "==" && key.op != "!=" {
                let value = substitute(key.value, environment: environment)
                switch (key.name, key.op) {
                case ("LABEL", "="): break
                case ("GOTO", "="): skippingTo = key.value
                case ("GROUP", "="), ("GROUP", ":="): outcome.group = value
                case ("MODE", "="), ("MODE", ":="): outcome.mode = value
                case ("TAG", "+="): outcome.tags.append(value)
                case ("SYMLINK", "+="): outcome.symlinks.append(value)
                case ("IMPORT{builtin}", "=") where value == "path_id":
                    for (name, result) in event.pathIDResult {
                        environment[name] = result
                        outcome.assigned[name] = result
                    }
                case (let name, "=") where name.hasPrefix("ENV{"):
                    let variable = String(name.dropFirst(4).dropLast())
                    environment[variable] = value
                    outcome.assigned[variable] = value
                default:
                    throw UnknownKey(key: key, line: rule.line)
                }
            }
        }
        return outcome
    }

    /// A tty behind a USB device with this vendor:product, plugged into socket 2 of the
    /// first root hub (the layout of Tests/Fixtures/umockdev/ch340-scale.umockdev).
    static func usbSerialEvent(vendor: String, product: String) -> Event {
        Event(
            chain: [
                SysDevice(subsystem: "tty", attributes: ["dev": "188:0"]),
                SysDevice(subsystem: "usb-serial", attributes: ["port_number": "0"]),
                SysDevice(subsystem: "usb", attributes: ["bInterfaceNumber": "00", "bInterfaceClass": "ff"]),
                SysDevice(subsystem: "usb", attributes: ["idVendor": vendor, "idProduct": product, "busnum": "1", "devnum": "2"]),
                SysDevice(subsystem: "usb", attributes: ["idVendor": "1d6b", "idProduct": "0002"]),
                SysDevice(subsystem: "pci", attributes: ["class": "0x0c0330"]),
            ],
            pathIDResult: ["ID_PATH": "pci-0000:00:14.0-usb-0:2:1.0", "ID_PATH_TAG": "pci-0000_00_14_0-usb-0_2_1_0"]
        )
    }

    static let fullTreatment = Outcome(
        group: "dialout", mode: "0660", tags: ["systemd"],
        symlinks: ["stallbox/scale-pci-0000_00_14_0-usb-0_2_1_0"],
        assigned: [
            "STALLBOX_ROLE": "scale", "ID_MM_DEVICE_IGNORE": "1", "ID_MM_PORT_IGNORE": "1",
            "ID_PATH": "pci-0000:00:14.0-usb-0:2:1.0", "ID_PATH_TAG": "pci-0000_00_14_0-usb-0_2_1_0",
        ]
    )

    // MARK: Tests

    @Test func theRulesMatchExactlyTheCatalogsSerialPortsEachOnce() throws {
        var matched: [String] = []
        for rule in try Self.rules() {
            let vendor = rule.keys.first { $0.name == "ATTRS{idVendor}" && $0.op == "==" }?.value
            let product = rule.keys.first { $0.name == "ATTRS{idProduct}" && $0.op == "==" }?.value
            #expect((vendor == nil) == (product == nil), "line \(rule.line) matches only half an id")
            if let vendor, let product { matched.append("\(vendor):\(product)") }
        }
        let catalog = DeviceCatalog.serialEntries.map(\.usbID)
        #expect(Set(matched) == Set(catalog), "in the rules only: \(Set(matched).subtracting(catalog).sorted()); in the catalog only: \(Set(catalog).subtracting(matched).sorted())")
        #expect(matched.count == Set(matched).count, "an id is matched twice")
    }

    @Test(arguments: DeviceCatalog.serialEntries.map(\.usbID))
    func everyCatalogedSerialPortGetsTheWholeTreatment(usbID: String) throws {
        let parts = usbID.split(separator: ":").map(String.init)
        let outcome = try Self.run(try Self.rules(), Self.usbSerialEvent(vendor: parts[0], product: parts[1]))
        #expect(outcome == Self.fullTreatment)
    }

    @Test func aChangeEventKeepsTheTreatmentSoTheSymlinkSurvivesIt() throws {
        var event = Self.usbSerialEvent(vendor: "1a86", product: "7523")
        event.action = "change"
        #expect(try Self.run(try Self.rules(), event) == Self.fullTreatment)
    }

    @Test func thePathTagUdevAlreadyHasIsUsedWithoutImportingItAgain() throws {
        var event = Self.usbSerialEvent(vendor: "0403", product: "6001")
        event.environment["ID_PATH_TAG"] = "platform-3f980000_usb-usb-0_1_2_1_0"
        event.pathIDResult = ["ID_PATH_TAG": "must-not-be-used"]
        let outcome = try Self.run(try Self.rules(), event)
        #expect(outcome.symlinks == ["stallbox/scale-platform-3f980000_usb-usb-0_1_2_1_0"])
        #expect(outcome.assigned["ID_PATH_TAG"] == nil)
    }

    @Test func anAdapterOutsideTheCatalogIsUntouched() throws {
        // ATEN UC-232A: a PL2303-based adapter with its own id (Linux pl2303.h
        // ATEN_VENDOR_ID 0x0557, ATEN_PRODUCT_ID 0x2008), deliberately not catalogued.
        let outcome = try Self.run(try Self.rules(), Self.usbSerialEvent(vendor: "0557", product: "2008"))
        #expect(outcome.isUntouched, "\(outcome)")
    }

    @Test func aRemoveEventIsUntouched() throws {
        var event = Self.usbSerialEvent(vendor: "1a86", product: "7523")
        event.action = "remove"
        #expect(try Self.run(try Self.rules(), event).isUntouched)
    }

    @Test func theUSBDeviceOfACatalogedChipIsNotTreatedOnlyItsTty() throws {
        var event = Self.usbSerialEvent(vendor: "1a86", product: "7523")
        event.subsystem = "usb"
        event.kernel = "1-2"
        event.chain.removeFirst(3)
        #expect(try Self.run(try Self.rules(), event).isUntouched)
    }

    @Test func everyGotoLandsOnALabelThatComesLater() throws {
        let rules = try Self.rules()
        var labels: [String: Int] = [:]
        for (index, rule) in rules.enumerated() {
            for key in rule.keys where key.name == "LABEL" {
                #expect(labels[key.value] == nil, "label \(key.value) defined twice")
                labels[key.value] = index
            }
        }
        for (index, rule) in rules.enumerated() {
            for key in rule.keys where key.name == "GOTO" {
                let target = try #require(labels[key.value], "line \(rule.line): GOTO to missing label \(key.value)")
                #expect(target > index, "line \(rule.line): GOTO \(key.value) jumps backwards")
            }
        }
    }

    @Test func theEvaluatorReadsContinuationLinesAndRejectsAnUnknownKey() throws {
        let rules = try Self.parse("# comment\nSUBSYSTEM==\"tty\", \\\n  GROUP=\"dialout\"\nRUN+=\"/bin/true\"\n")
        #expect(rules.count == 2)
        #expect(rules[0].keys == [Key(name: "SUBSYSTEM", op: "==", value: "tty"), Key(name: "GROUP", op: "=", value: "dialout")])
        #expect(rules[0].line == 2)
        #expect(throws: UnknownKey.self) { try Self.run(rules, Self.usbSerialEvent(vendor: "1a86", product: "7523")) }
    }
}
