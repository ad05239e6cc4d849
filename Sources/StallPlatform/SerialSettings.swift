/// Line settings of a serial port, as scales document them (e.g. 9600 7E1).
public struct SerialSettings: Hashable, Sendable, CustomStringConvertible {
    public enum Parity: String, Hashable, Sendable {
        case none, even, odd
        var letter: String {
            switch self {
            case .none: "N"
            case .even: "E"
            case .odd: "O"
            }
        }
    }

    public var baud: Int
    public var dataBits: Int
    public var parity: Parity
    public var stopBits: Int

    public init(baud: Int = 9600, dataBits: Int = 8, parity: Parity = .none, stopBits: Int = 1) {
        self.baud = baud
        self.dataBits = dataBits
        self.parity = parity
        self.stopBits = stopBits
    }

    public static let supportedBauds = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200]

    /// Checks what termios can express; the message names the bad value.
    public func validate() -> String? {
        if !Self.supportedBauds.contains(baud) {
            return "baud \(baud) is not one of \(Self.supportedBauds.map(String.init).joined(separator: ", "))"
        }
        if !(5...8).contains(dataBits) { return "data_bits \(dataBits) must be 5, 6, 7 or 8" }
        if stopBits != 1 && stopBits != 2 { return "stop_bits \(stopBits) must be 1 or 2" }
        return nil
    }

    public var description: String { "\(baud) \(dataBits)\(parity.letter)\(stopBits)" }

    /// Reads the form scales' manuals and `description` use: "9600 7E1" (or "9600,7E1").
    public init?(parsing text: String) {
        let parts = text.split { $0 == " " || $0 == "," }
        guard parts.count == 2, let baud = Int(parts[0]) else { return nil }
        let frame = Array(parts[1].uppercased())
        guard frame.count == 3, let dataBits = Int(String(frame[0])), let stopBits = Int(String(frame[2])) else { return nil }
        let parity: Parity
        switch frame[1] {
        case "N": parity = .none
        case "E": parity = .even
        case "O": parity = .odd
        default: return nil
        }
        self.init(baud: baud, dataBits: dataBits, parity: parity, stopBits: stopBits)
        if validate() != nil { return nil }
    }
}
