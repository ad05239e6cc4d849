import Foundation
import StallPlatform
import Testing

/// Real termios I/O over pseudo-terminals: the daemon's side opens the slave exactly as it
/// would open /dev/ttyUSB0.
@Suite struct SerialPortTests {
    @Test(arguments: [
        SerialSettings(baud: 9600, dataBits: 8, parity: .none),
        SerialSettings(baud: 9600, dataBits: 7, parity: .even),
        SerialSettings(baud: 4800, dataBits: 7, parity: .odd, stopBits: 2),
    ])
    func bytesWrittenByTheDeviceArriveUnchangedAtEverySetting(settings: SerialSettings) async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort.open(path: pty.slavePath, settings: settings)
        defer { port.close() }
        // CR, LF, 0x7F and 0x11/0x13 (XON/XOFF) must pass through a raw port untouched.
        let frame: [UInt8] = [0x02, 0x2D, 0x30, 0x20, 0x0D, 0x0A, 0x7F, 0x11, 0x13, 0x03]
        try pty.write(frame)
        var received: [UInt8] = []
        for _ in 0..<20 where received.count < frame.count {
            received += try await port.read(timeoutMs: 100)
        }
        #expect(received == frame)
    }

    @Test func theHostsWritesReachTheDevice() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        defer { port.close() }
        try await port.write(Array("W\r".utf8))
        #expect(try pty.read(timeoutMs: 1000) == Array("W\r".utf8))
    }

    @Test func aSilentPortTimesOutWithNoBytes() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        defer { port.close() }
        let started = ContinuousClock.now
        #expect(try await port.read(timeoutMs: 150).isEmpty)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
    }

    @Test func aMissingPortIsAnErrorNamingTheCallPathAndErrno() {
        #expect {
            try SerialPort.open(path: "/dev/stallbox-no-such-port", settings: SerialSettings())
        } throws: { error in
            guard let error = error as? PlatformError else { return false }
            return error.call == "open" && error.errno == ENOENT && "\(error)".contains("/dev/stallbox-no-such-port")
        }
    }

    @Test func impossibleLineSettingsAreRefusedBeforeOpening() {
        #expect(throws: PlatformError.self) { try SerialPort.open(path: "/dev/null", settings: SerialSettings(baud: 9601)) }
        #expect(throws: PlatformError.self) { try SerialPort.open(path: "/dev/null", settings: SerialSettings(dataBits: 9)) }
    }

    @Test func aVanishedDeviceIsAReadErrorNotAHang() async throws {
        let pty = try PseudoTerminal()
        let port = try SerialPort.open(path: pty.slavePath, settings: SerialSettings())
        defer { port.close() }
        pty.close()
        await #expect(throws: PlatformError.self) {
            for _ in 0..<10 { _ = try await port.read(timeoutMs: 100) }
        }
    }
}
