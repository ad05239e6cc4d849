import Foundation
import StallDevices
import StallPlatform
import Testing

@Suite struct ScaleMemoryTests {
    func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("stallbox-memory-\(UInt32.random(in: 0...UInt32.max)).json").path
    }

    @Test func remembersEveryKindOfTalkAcrossRestarts() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let entries: [String: ScaleIdentification] = [
            "serial:1a86:7523:A1": ScaleIdentification(protocolName: "toledo-continuous", settings: SerialSettings(baud: 9600, dataBits: 7, parity: .even), talk: .listen),
            "path:pci-0000:00:14.0-usb-0:2:1.0": ScaleIdentification(protocolName: "mt-sics", settings: SerialSettings(baud: 2400), talk: .poll(request: Array("SI\r\n".utf8))),
            "/dev/ttyS0": ScaleIdentification(
                protocolName: "cas-dc1", settings: SerialSettings(baud: 19200, stopBits: 2),
                talk: .enquire(enquiry: [0x05], acknowledge: 0x06, notReady: 0x15, request: [0x11])),
        ]
        let memory = ScaleMemory(path: path)
        #expect(memory.loadProblem == nil)
        for (key, value) in entries { try memory.remember(value, for: key) }
        let reloaded = ScaleMemory(path: path)
        #expect(reloaded.loadProblem == nil)
        for (key, value) in entries { #expect(reloaded.identification(for: key) == value) }
        try reloaded.forget("/dev/ttyS0")
        #expect(ScaleMemory(path: path).identification(for: "/dev/ttyS0") == nil)
    }

    @Test(arguments: ["", "{", "[1,2]", "{\"version\":2,\"devices\":{}}", "{\"version\":1,\"devices\":{\"k\":{\"protocol\":\"x\",\"baud\":12345}}}"])
    func aBrokenFileStartsEmptyAndSaysWhy(content: String) throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        let memory = ScaleMemory(path: path)
        #expect(memory.loadProblem?.contains(path) == true)
        // Still usable: the next detection rewrites the file whole.
        try memory.remember(ScaleIdentification(protocolName: "ad-st", settings: SerialSettings(), talk: .listen), for: "k")
        #expect(ScaleMemory(path: path).identification(for: "k")?.protocolName == "ad-st")
    }
}
