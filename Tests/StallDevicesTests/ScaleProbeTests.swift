import StallCore
import StallDevices
import StallPlatform
import StallProtocols
import Testing

/// The probe state machine alone, in virtual time: a scale emulator behind a simulated
/// line (`SerialLineSimulation`), stepped 5 ms at a time. No port, no clock, no flakiness.
struct ProbeDriver {
    var probe: ScaleProbe
    var scale: any ScaleEmulator
    let line: SerialSettings
    var host = SerialSettings(baud: 38400)
    var now = ContinuousClock.now
    let start: ContinuousClock.Instant
    var nextUpdate: ContinuousClock.Instant
    var pending: [UInt8] = []
    var sent: [[UInt8]] = []
    let reading = WeighingScript.Reading(weight: Milligrams(2_500_000), motion: false)
    /// Bytes that arrive at the port unasked, if the scale is not speaking (noise).
    var noise: [UInt8] = []
    /// Display update period (a continuous scale's frame rate).
    var period = Duration.milliseconds(143)

    init(emulator: (any ScaleEmulator.Type)?, line: SerialSettings, remembered: ScaleIdentification? = nil) {
        probe = ScaleProbe(remembered: remembered)
        scale = (emulator ?? SilentEmulator.self).init()
        self.line = line
        start = now
        nextUpdate = now
    }

    mutating func run(limit: Duration = .seconds(30)) -> (ScaleIdentification?, Duration) {
        var actions = probe.start(at: now)
        while now - start < limit {
            var next: [ScaleProbe.Action] = []
            outer: for action in actions {
                switch action {
                case .configure(let settings):
                    host = settings
                    pending = []
                case .send(let bytes):
                    sent.append(bytes)
                    let heard = SerialLineSimulation.deliver(bytes, sentWith: host, readWith: line)
                    pending += SerialLineSimulation.deliver(scale.hostSent(heard, showing: reading), sentWith: line, readWith: host)
                case .listen(let deadline):
                    while true {
                        now += .milliseconds(5)
                        if now >= nextUpdate {
                            pending += SerialLineSimulation.deliver(scale.displayUpdate(reading), sentWith: line, readWith: host)
                            pending += noise
                            nextUpdate += period
                        }
                        if now >= deadline {
                            next = probe.listenEnded(at: now)
                            break outer
                        }
                        if !pending.isEmpty {
                            let bytes = pending
                            pending = []
                            let reaction = probe.received(bytes, at: now)
                            if !reaction.isEmpty {
                                next = reaction
                                break outer
                            }
                        }
                    }
                case .identified(let identification): return (identification, now - start)
                case .exhausted: return (nil, now - start)
                }
            }
            actions = next
        }
        return (nil, now - start)
    }
}

/// A port with nothing on it.
struct SilentEmulator: ScaleEmulator {
    static let protocolName = "none"
    mutating func displayUpdate(_ reading: WeighingScript.Reading) -> [UInt8] { [] }
    mutating func hostSent(_ bytes: [UInt8], showing reading: WeighingScript.Reading) -> [UInt8] { [] }
}

@Suite struct ScaleProbeTests {
    @Test(arguments: ScaleEmulators.all.map { $0.emulatorName }, ScaleProbe.candidateSettings)
    func identifiesEveryEmulatorAtEverySetting(emulator name: String, line: SerialSettings) throws {
        let emulator = try #require(ScaleEmulators.emulator(named: name))
        var driver = ProbeDriver(emulator: emulator, line: line)
        let (found, elapsed) = driver.run()
        let identification = try #require(found)
        #expect(identification.protocolName == emulator.protocolName)
        #expect(identification.settings == line)
        #expect(elapsed < .seconds(5), "virtual time \(elapsed)")
        // A scale that spoke unasked is listened to; one that answered is asked again.
        var fresh = emulator.init()
        let spokeUnasked = !fresh.displayUpdate(driver.reading).isEmpty
        #expect((identification.talk == .listen) == spokeUnasked)
    }

    /// A slow scale (3 frames a second) whose second frame falls after the 400 ms window:
    /// the window is extended once instead of moving on to the next setting.
    @Test func aSniffThatHeardOneFrameListensLonger() throws {
        var driver = ProbeDriver(emulator: ToledoContinuousEmulator.self, line: SerialSettings())
        // 5 frames a second, the first 100 ms in: a frame is known complete when the next
        // one starts, so the two frames identification needs end at 300 and 500 ms.
        driver.period = .milliseconds(200)
        driver.nextUpdate = driver.start + .milliseconds(100)
        let (found, elapsed) = driver.run()
        #expect(found?.protocolName == "toledo-continuous")
        #expect(elapsed < .milliseconds(600), "virtual time \(elapsed)")
    }

    /// A slow continuous scale missed by every sniff must not pass for a Toledo 8217 when
    /// a garbled frame follows the `W`: the echo confirmation fails and the search goes on.
    @Test(arguments: [333, 500, 1000])
    func aSlowContinuousScaleIsNeverTakenForAToledo8217(periodMs: Int) {
        var driver = ProbeDriver(emulator: ToledoContinuousEmulator.self, line: SerialSettings())
        driver.period = .milliseconds(periodMs)
        let (found, _) = driver.run()
        #expect(found == nil || found?.protocolName == "toledo-continuous")
    }

    @Test func theToledo8217EchoConfirmationIsSentAndEnded() throws {
        var driver = ProbeDriver(emulator: Toledo8217Emulator.self, line: SerialSettings(baud: 9600, dataBits: 7, parity: .even))
        let (found, _) = driver.run()
        #expect(found?.protocolName == "toledo-8217")
        #expect(driver.sent.suffix(2) == [Array("Ehello".utf8), Array("F".utf8)])
    }

    @Test func aSilentLineIsExhaustedAfterTheRequestsWithoutRepeatingTheSniffs() {
        var driver = ProbeDriver(emulator: nil, line: SerialSettings())
        let (found, elapsed) = driver.run()
        #expect(found == nil)
        // One sniff (400 ms), then 5 requests at 6 settings (120 ms each, the CAS enquiry twice).
        #expect(elapsed < .seconds(5))
        #expect(driver.sent.count >= 30)
    }

    @Test func noiseNeverIdentifiesAProtocol() {
        var driver = ProbeDriver(emulator: nil, line: SerialSettings())
        driver.noise = Array("\u{1}\u{7f}xyz 12.3 ?? ST,,kg\r\n".utf8) + [0xFF, 0x00, 0x02, 0x41]
        let (found, _) = driver.run()
        #expect(found == nil)
    }

    @Test func aRememberedIdentificationIsConfirmedFirst() throws {
        let line = SerialSettings(baud: 2400, dataBits: 8, parity: .none)
        let remembered = ScaleIdentification(protocolName: "cas-dc1", settings: line, talk: ProbeRequest.standard.last!.talk)
        var driver = ProbeDriver(emulator: CASDC1Emulator.self, line: line, remembered: remembered)
        let (found, elapsed) = driver.run()
        #expect(found == remembered)
        #expect(elapsed < .milliseconds(300), "virtual time \(elapsed)")
    }

    @Test func aStaleMemoryFallsBackToTheSearch() throws {
        let remembered = ScaleIdentification(protocolName: "cas-dc1", settings: SerialSettings(baud: 2400), talk: .listen)
        var driver = ProbeDriver(emulator: YaohuaA23PEmulator.self, line: SerialSettings(baud: 19200), remembered: remembered)
        let (found, _) = driver.run()
        #expect(found?.protocolName == "yaohua-a23p")
        #expect(found?.settings.baud == 19200)
    }
}
