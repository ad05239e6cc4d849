import StallProtocols
import Testing

/// The chip's side (firmware-protocols/uart-tts/SPEC.md 11): canned replies, speaking time,
/// busy, error and silence; then `TTSModuleMachine` driving the emulator through whole
/// sessions, the pure counterpart of the PTY simulator.
@Suite struct TTSChipEmulatorTests {
    typealias Emulator = TTSChipEmulator
    static let t0 = ContinuousClock.now
    static func at(_ milliseconds: Int) -> ContinuousClock.Instant { t0 + .milliseconds(milliseconds) }
    static let hex = TTSTestPhrases.hex

    static func frame(_ command: TTSCommand, _ chip: TTSChip = .syn6288) -> [UInt8] {
        try! TTSFrameEncoder.encode(command, for: chip)
    }

    static let worked = TTSTestPhrases.workedExample  // 10 characters: 2.5 s at 250 ms each

    /// Powered at 0, `4A` taken at 240 ms.
    static func ready(_ chip: TTSChip = .syn6288) -> Emulator {
        var chipEmulator = Emulator(configuration: .init(chip: chip))
        #expect(chipEmulator.powerUp(at: at(0)) == [])
        #expect(chipEmulator.nextEventTime == at(240))
        #expect(chipEmulator.advance(to: at(240)) == [0x4A])
        return chipEmulator
    }

    @Test func powerUpSendsInitAfterTheInitialisationTimeAndIgnoresFramesBeforeIt() {
        var chip = Emulator(configuration: .init(chip: .syn6658))
        #expect(chip.hostSent(Self.frame(.queryStatus, .syn6658), at: Self.at(0)) == [])  // unpowered
        _ = chip.powerUp(at: Self.at(0))
        #expect(chip.hostSent(Self.frame(.queryStatus, .syn6658), at: Self.at(100)) == [])
        #expect(chip.advance(to: Self.at(239)) == [])
        #expect(chip.advance(to: Self.at(240)) == [0x4A])
        #expect(chip.advance(to: Self.at(500)) == [])
    }

    @Test func aGoodFrameIsAcceptedAndIdleFollowsWhenTheTextHasBeenSpoken() throws {
        var chip = Self.ready()
        #expect(chip.hostSent(try TTSFrameEncoder.synthesize(Self.worked, for: .syn6288), at: Self.at(1000)) == [0x41])
        #expect(chip.isSpeaking)
        #expect(chip.nextEventTime == Self.at(3500))
        #expect(chip.advance(to: Self.at(3499)) == [])
        #expect(chip.advance(to: Self.at(3500)) == [0x4F])
        #expect(!chip.isSpeaking)
        #expect(chip.lastFrame == TTSFrame(chip: .syn6288, command: .synthesize(text: Self.worked)))
    }

    @Test func aStatusQueryIsBusyWhileSpeakingAndIdleAfterwardsWithTheSYN6288sAcknowledgement() throws {
        var chip = Self.ready()
        _ = chip.hostSent(try TTSFrameEncoder.synthesize(Self.worked, for: .syn6288), at: Self.at(1000))
        #expect(chip.hostSent(Self.frame(.queryStatus), at: Self.at(2000)) == [0x41, 0x4E])
        _ = chip.advance(to: Self.at(3500))
        #expect(chip.hostSent(Self.frame(.queryStatus), at: Self.at(4000)) == [0x41, 0x4F])
    }

    @Test(arguments: [TTSChip.syn6658, .xfs5152ce])
    func theOtherChipsAnswerAStatusQueryWithTheBareStatusByte(chip chipModel: TTSChip) throws {
        var chip = Self.ready(chipModel)
        #expect(chip.hostSent(Self.frame(.queryStatus, chipModel), at: Self.at(500)) == [0x4F])
        _ = chip.hostSent(try TTSFrameEncoder.synthesize(Self.worked, for: chipModel), at: Self.at(1000))
        #expect(chip.hostSent(Self.frame(.queryStatus, chipModel), at: Self.at(1500)) == [0x4E])
    }

    @Test func aBadChecksumIsAnsweredWithErrorAndTheRestOfThatWriteIsDropped() {
        var chip = Self.ready()
        var bad = Self.hex("FD 00 17 01 00 D6 A7 B8 B6 B1 A6 B5 BD D5 CB CA AE B6 FE B5 E3 CE E5 D4 AA BA")
        bad[9] ^= 0x01
        #expect(chip.hostSent(bad + Self.frame(.queryStatus), at: Self.at(1000)) == [0x45])
        #expect(chip.rejectedFrames == 1)
        #expect(!chip.isSpeaking)
        // After the inter-byte gap the next write is read normally.
        #expect(chip.hostSent(Self.frame(.queryStatus), at: Self.at(1020)) == [0x41, 0x4F])
    }

    @Test func aTooLongTextIsAnsweredWithErrorOnceEvenIfItsBytesHoldFrames() {
        var chip = Self.ready()
        let text = [UInt8](repeating: 0xB0, count: 150) + Self.frame(.queryStatus) + [UInt8](repeating: 0xB0, count: 50)
        let frame: [UInt8] = [0xFD, 0x00, UInt8(text.count + 3), 0x01, 0x00] + text + [0x00]
        #expect(chip.hostSent(frame, at: Self.at(1000)) == [0x45])
    }

    @Test func aFrameLeftIncompleteIsAnsweredWithErrorAfterTheInterByteTimeout() throws {
        var chip = Self.ready(.syn6658)
        let frame = try TTSFrameEncoder.synthesize(Self.worked, for: .syn6658)
        #expect(chip.hostSent(frame.prefix(12), at: Self.at(1000)) == [])
        #expect(chip.nextEventTime == Self.at(1015))
        #expect(chip.advance(to: Self.at(1015)) == [])
        #expect(chip.advance(to: Self.at(1016)) == [0x45])
        #expect(chip.hostSent(frame, at: Self.at(1100)) == [0x41])
    }

    @Test func aFrameSplitAcrossWritesWithinTheGapIsAccepted() throws {
        var chip = Self.ready(.syn6658)
        let frame = try TTSFrameEncoder.synthesize(Self.worked, for: .syn6658)
        #expect(chip.hostSent(frame.prefix(12), at: Self.at(1000)) == [])
        #expect(chip.hostSent(frame.dropFirst(12), at: Self.at(1005)) == [0x41])
    }

    @Test func noiseBetweenFramesIsIgnored() {
        var chip = Self.ready()
        #expect(chip.hostSent([0x00, 0x13, 0x37] + Self.frame(.queryStatus), at: Self.at(1000)) == [0x41, 0x4F])
    }

    @Test func aNewTextInterruptsTheOneBeingSpokenWhichNeverGetsItsIdle() throws {
        var chip = Self.ready()
        _ = chip.hostSent(try TTSFrameEncoder.synthesize(Self.worked, for: .syn6288), at: Self.at(1000))
        let short = TTSTestPhrases.encode("收款")
        #expect(chip.hostSent(try TTSFrameEncoder.synthesize(short, for: .syn6288), at: Self.at(2000)) == [0x41])
        #expect(chip.advance(to: Self.at(2500)) == [0x4F])  // the second text's end only
        #expect(chip.advance(to: Self.at(4000)) == [])
    }

    @Test func stopDropsTheTextWithoutIdleAndPauseHoldsIt() throws {
        var chip = Self.ready()
        _ = chip.hostSent(try TTSFrameEncoder.synthesize(Self.worked, for: .syn6288), at: Self.at(1000))
        #expect(chip.hostSent(Self.frame(.pause), at: Self.at(2000)) == [0x41])
        #expect(chip.advance(to: Self.at(5000)) == [])
        #expect(chip.hostSent(Self.frame(.queryStatus), at: Self.at(5000)) == [0x41, 0x4E])
        #expect(chip.hostSent(Self.frame(.resume), at: Self.at(6000)) == [0x41])
        #expect(chip.advance(to: Self.at(7499)) == [])
        #expect(chip.advance(to: Self.at(7500)) == [0x4F])
        _ = chip.hostSent(try TTSFrameEncoder.synthesize(Self.worked, for: .syn6288), at: Self.at(8000))
        #expect(chip.hostSent(Self.frame(.stop), at: Self.at(8100)) == [0x41])
        #expect(chip.advance(to: Self.at(20_000)) == [])
    }

    @Test func tagsTakeNoTimeAndTheVolumeTagIsApplied() throws {
        var chip = Self.ready()
        #expect(chip.hostSent(try TTSFrameEncoder.synthesize(Array("[v12]".utf8), for: .syn6288), at: Self.at(1000)) == [0x41, 0x4F])
        #expect(chip.volume == 12)
    }

    @Test func afterPowerDownTheNextFrameOnlyWakesTheChip() {
        var chip = Self.ready()
        #expect(chip.hostSent(Self.frame(.powerDown), at: Self.at(1000)) == [0x41])
        #expect(chip.isAsleep)
        #expect(chip.hostSent(Self.frame(.queryStatus), at: Self.at(2000)) == [])
        #expect(!chip.isAsleep)
        #expect(chip.hostSent(Self.frame(.queryStatus), at: Self.at(2100)) == [0x41, 0x4F])
    }

    @Test func theSYN6658WakeCommandSentTwiceGetsOneAcceptAsLibdriverExpects() {
        var chip = Self.ready(.syn6658)
        #expect(chip.hostSent(Self.frame(.standby, .syn6658), at: Self.at(1000)) == [0x41])
        #expect(chip.hostSent(Self.frame(.wake, .syn6658), at: Self.at(2000)) == [])
        #expect(chip.hostSent(Self.frame(.wake, .syn6658), at: Self.at(2100)) == [0x41])
    }

    @Test func setBaudIsAcceptedAndForgottenAtReset() {
        var chip = Self.ready()
        #expect(chip.hostSent(Self.frame(.setBaud(bitsPerSecond: 19200)), at: Self.at(1000)) == [0x41])
        #expect(chip.baud == 19200)
        _ = chip.reset(at: Self.at(2000))
        #expect(chip.baud == 9600)
        #expect(chip.advance(to: Self.at(2240)) == [0x4A])
    }

    @Test func aSilentChipAnswersNothingButKeepsWorking() throws {
        var chip = Self.ready()
        chip.silent = true
        #expect(chip.hostSent(try TTSFrameEncoder.synthesize(Self.worked, for: .syn6288), at: Self.at(1000)) == [])
        #expect(chip.isSpeaking)
        #expect(chip.advance(to: Self.at(3500)) == [])
        chip.silent = false
        #expect(chip.hostSent(Self.frame(.queryStatus), at: Self.at(4000)) == [0x41, 0x4F])
    }

    @Test func thePlayCacheCommandSpeaksTheCachedTextTheGivenNumberOfTimes() throws {
        var chip = Self.ready(.syn6658)
        let text = TTSTestPhrases.encode("收款")  // 2 characters
        #expect(chip.hostSent(Self.frame(.cacheText(segment: 0, text: text), .syn6658), at: Self.at(1000)) == [0x41])
        #expect(chip.hostSent(Self.frame(.playCache(repeat: 3), .syn6658), at: Self.at(1100)) == [0x41])
        #expect(chip.nextEventTime == Self.at(1100 + 3 * 2 * 250))
    }

    // MARK: The machine against the emulator

    /// One module on one line: machine and emulator exchange bytes at the instants they ask for.
    struct Rig {
        var machine: TTSModuleMachine
        var chip: TTSChipEmulator
        var now: ContinuousClock.Instant
        var actions: [TTSModuleMachine.Action] = []

        init(_ chipModel: TTSChip, setupText: [UInt8]) {
            machine = TTSModuleMachine(configuration: .init(chip: chipModel, setupText: setupText))
            chip = TTSChipEmulator(configuration: .init(chip: chipModel))
            now = TTSChipEmulatorTests.t0
            deliver(chip.powerUp(at: now))
            perform(machine.start(now: now))
        }

        mutating func perform(_ newActions: [TTSModuleMachine.Action]) {
            for action in newActions {
                actions.append(action)
                if case .send(let bytes) = action { deliver(chip.hostSent(bytes, at: now)) }
            }
        }

        mutating func deliver(_ bytes: [UInt8]) {
            if !bytes.isEmpty { perform(machine.received(bytes, now: now)) }
        }

        /// Runs both sides' timers up to `end`.
        mutating func run(until end: ContinuousClock.Instant) {
            while true {
                let next = [machine.nextDeadline, chip.nextEventTime].compactMap { $0 }.min()
                guard let next, next <= end else { break }
                now = max(now, next)
                deliver(chip.advance(to: now))
                perform(machine.timePassed(now: now))
            }
            now = end
        }

        mutating func speak(_ text: [UInt8], phrase: Int) { perform(machine.speak(text, phrase: phrase, now: now)) }

        var finished: [TTSModuleMachine.Action] { actions.filter { if case .finished = $0 { true } else { false } } }
        var reports: [TTSModuleStatus] { actions.compactMap { if case .report(let status) = $0 { status } else { nil } } }
    }

    @Test(arguments: TTSChip.allCases)
    func theMachineDrivesTheEmulatorThroughInitSetupAndTwoQueuedPhrases(chip: TTSChip) {
        var rig = Rig(chip, setupText: Array("[v5]".utf8))
        rig.run(until: Self.at(1000))
        #expect(rig.machine.status == .idle)
        #expect(rig.chip.volume == 5)
        rig.speak(Self.worked, phrase: 1)
        rig.speak(TTSTestPhrases.encode("微信收款一百点零一元"), phrase: 2)
        rig.run(until: Self.at(10_000))
        #expect(rig.finished == [.finished(phrase: 1, .spoken), .finished(phrase: 2, .spoken)])
        #expect(rig.reports == [.idle, .speaking, .idle])
        #expect(!rig.actions.contains { if case .unexpected = $0 { true } else { false } })
    }

    @Test func aModuleThatFallsSilentIsReportedAbsentAndFoundAgainWhenItAnswers() {
        var rig = Rig(.syn6288, setupText: [])
        rig.run(until: Self.at(1000))
        rig.chip.silent = true
        rig.speak(Self.worked, phrase: 1)
        rig.run(until: Self.at(2000))
        #expect(rig.finished == [.finished(phrase: 1, .noReply)])
        #expect(rig.machine.status == .absent)
        rig.chip.silent = false
        rig.run(until: Self.at(8000))  // the absent probe at about 6.5 s finds it
        #expect(rig.machine.status == .idle)
        #expect(rig.reports == [.idle, .absent, .idle])
    }

    @Test func aModuleResetMidPhraseIsNoticedByItsInitAndTheSetupIsSentAgain() {
        var rig = Rig(.syn6658, setupText: Array("[v3]".utf8))
        rig.run(until: Self.at(1000))
        rig.speak(Self.worked, phrase: 1)
        rig.run(until: Self.at(1500))
        rig.deliver(rig.chip.reset(at: rig.now))
        rig.run(until: Self.at(3000))
        #expect(rig.finished == [.finished(phrase: 1, .interrupted)])
        #expect(rig.machine.status == .idle)
        #expect(rig.chip.volume == 3)
        #expect(rig.chip.acceptedFrames == 1)  // the setup after the reset
    }

    @Test func aChipThatStartedBeforeThePortWasOpenedIsFoundByTheProbe() {
        var rig = Rig(.xfs5152ce, setupText: [])
        rig.chip = TTSChipEmulator(configuration: .init(chip: .xfs5152ce))
        _ = rig.chip.powerUp(at: rig.now - .seconds(10))
        _ = rig.chip.advance(to: rig.now)  // its 4A went out before the port was open
        rig.actions = []
        rig.run(until: Self.at(2000))
        #expect(rig.machine.status == .idle)
        #expect(rig.actions.first == .send(Self.frame(.queryStatus, .xfs5152ce)))
    }
}
