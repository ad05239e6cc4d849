import StallProtocols
import Testing

/// `TTSModuleMachine` driven event by event with no serial port and no clock: each step
/// feeds one event and asserts the actions (firmware-protocols/uart-tts/SPEC.md 10).
@Suite struct TTSModuleMachineTests {
    typealias Machine = TTSModuleMachine
    static let t0 = ContinuousClock.now
    static func at(_ milliseconds: Int) -> ContinuousClock.Instant { t0 + .milliseconds(milliseconds) }

    static let setupText = Array("[v12]".utf8)
    static let phrase = TTSTestPhrases.workedExample
    static let query6288 = TTSTestPhrases.hex("FD 00 02 21 DE")
    static let query6658 = TTSTestPhrases.hex("FD 00 01 21")
    static let stop6288 = TTSTestPhrases.hex("FD 00 02 02 FD")

    static func frame(_ text: [UInt8], _ chip: TTSChip = .syn6288) -> [UInt8] {
        try! TTSFrameEncoder.synthesize(text, for: chip)
    }

    static func machine(_ chip: TTSChip = .syn6288, setup: Bool = true) -> Machine {
        Machine(configuration: .init(chip: chip, setupText: setup ? setupText : []))
    }

    /// A SYN6288 machine that has seen `4A` at 240 ms (and, with setup, its `41 4F` at
    /// 300 ms) and is idle; its idle probe is due 60 s later.
    static func idleMachine(setup: Bool = false) -> Machine {
        var machine = Self.machine(setup: setup)
        _ = machine.start(now: at(0))
        _ = machine.received([0x4A], now: at(240))
        if setup { _ = machine.received([0x41, 0x4F], now: at(300)) }
        #expect(machine.status == .idle)
        return machine
    }

    // MARK: Normal

    @Test func afterInitTheSetupTagsGoFirstThenAPhraseIsAcceptedSpokenAndReportedIdle() {
        var machine = Self.machine()
        #expect(machine.start(now: Self.at(0)) == [])
        #expect(machine.status == nil)
        #expect(machine.received([0x4A], now: Self.at(240)) == [.send(Self.frame(Self.setupText))])
        #expect(machine.received([0x41], now: Self.at(260)) == [])
        #expect(machine.received([0x4F], now: Self.at(270)) == [.report(.idle)])
        #expect(machine.speak(Self.phrase, phrase: 1, now: Self.at(1000)) == [.send(Self.frame(Self.phrase))])
        #expect(machine.received([0x41], now: Self.at(1040)) == [.report(.speaking)])
        #expect(machine.pendingPhrases == 1)
        #expect(machine.received([0x4F], now: Self.at(3500)) == [.finished(phrase: 1, .spoken), .report(.idle)])
        #expect(machine.pendingPhrases == 0)
        #expect(machine.nextDeadline == Self.at(3500) + .seconds(60))
    }

    @Test func aSecondPhraseWaitsForTheFirstOnesIdleBecauseAFrameWouldInterruptIt() {
        var machine = Self.idleMachine()
        let second = TTSTestPhrases.encode("微信收款一百点零一元")
        #expect(machine.speak(Self.phrase, phrase: 1, now: Self.at(1000)) == [.send(Self.frame(Self.phrase))])
        #expect(machine.speak(second, phrase: 2, now: Self.at(1010)) == [])
        #expect(machine.received([0x41], now: Self.at(1040)) == [.report(.speaking)])
        #expect(machine.received([0x4F], now: Self.at(3500)) == [.finished(phrase: 1, .spoken), .send(Self.frame(second))])
        #expect(machine.received([0x41], now: Self.at(3530)) == [])  // still speaking: no new report
        #expect(machine.received([0x4F], now: Self.at(6000)) == [.finished(phrase: 2, .spoken), .report(.idle)])
    }

    @Test func theSYN6658sBareStatusAnswerIsUnderstoodLikeTheSYN6288sAcknowledgedOne() {
        var machine = Self.machine(.syn6658, setup: false)
        _ = machine.start(now: Self.at(0))
        #expect(machine.timePassed(now: Self.at(1000)) == [.send(Self.query6658)])
        #expect(machine.received([0x4F], now: Self.at(1010)) == [.report(.idle)])
        var other = Self.machine(.syn6288, setup: false)
        _ = other.start(now: Self.at(0))
        #expect(other.timePassed(now: Self.at(1000)) == [.send(Self.query6288)])
        #expect(other.received([0x41], now: Self.at(1010)) == [])
        #expect(other.received([0x4F], now: Self.at(1011)) == [.report(.idle)])
    }

    @Test func aModulePoweredBeforeThePortWasOpenedIsFoundByAProbeAndGetsTheSetup() {
        var machine = Self.machine()
        _ = machine.start(now: Self.at(0))
        #expect(machine.timePassed(now: Self.at(999)) == [])
        #expect(machine.timePassed(now: Self.at(1000)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4F], now: Self.at(1010)) == [.send(Self.frame(Self.setupText))])
        #expect(machine.received([0x41, 0x4F], now: Self.at(1030)) == [.report(.idle)])
    }

    @Test func aPhraseHandedOverBeforeInitWaitsForItAndTheSetup() {
        var machine = Self.machine()
        _ = machine.start(now: Self.at(0))
        #expect(machine.speak(Self.phrase, phrase: 1, now: Self.at(10)) == [])
        #expect(machine.received([0x4A], now: Self.at(240)) == [.send(Self.frame(Self.setupText))])
        #expect(machine.received([0x41, 0x4F], now: Self.at(260)) == [.send(Self.frame(Self.phrase))])
        #expect(machine.received([0x41], now: Self.at(290)) == [.report(.speaking)])
    }

    // MARK: Busy

    @Test func aProbeAnsweredBusyIsReportedAndPolledUntilTheChipIsIdle() {
        var machine = Self.machine(setup: false)
        _ = machine.start(now: Self.at(0))
        #expect(machine.timePassed(now: Self.at(1000)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4E], now: Self.at(1010)) == [.report(.busy)])
        #expect(machine.nextDeadline == Self.at(1510))
        #expect(machine.timePassed(now: Self.at(1510)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4E], now: Self.at(1520)) == [])
        #expect(machine.timePassed(now: Self.at(2020)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4F], now: Self.at(2030)) == [.report(.idle)])
    }

    @Test func aPhraseForABusyChipIsSentAtOnceAndInterruptsTheForeignText() {
        var machine = Self.machine(setup: false)
        _ = machine.start(now: Self.at(0))
        _ = machine.timePassed(now: Self.at(1000))
        #expect(machine.received([0x41, 0x4E], now: Self.at(1010)) == [.report(.busy)])
        #expect(machine.speak(Self.phrase, phrase: 7, now: Self.at(1100)) == [.send(Self.frame(Self.phrase))])
        #expect(machine.received([0x41], now: Self.at(1130)) == [.report(.speaking)])
    }

    @Test func anUnaskedIdleWhileBusyMeansTheForeignTextEnded() {
        var machine = Self.machine(setup: false)
        _ = machine.start(now: Self.at(0))
        _ = machine.timePassed(now: Self.at(1000))
        _ = machine.received([0x41, 0x4E], now: Self.at(1010))
        #expect(machine.received([0x4F], now: Self.at(1200)) == [.report(.idle)])
    }

    @Test func aLateIdleIsCheckedWithAStatusQueryAndBusyAnswersWaitLonger() {
        var machine = Self.idleMachine()
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(1000))
        _ = machine.received([0x41], now: Self.at(1040))
        // allowance: 2 s + 150 ms × 20 bytes = 5 s after the 41
        #expect(machine.nextDeadline == Self.at(6040))
        #expect(machine.timePassed(now: Self.at(6040)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4E], now: Self.at(6050)) == [])
        #expect(machine.timePassed(now: Self.at(6550)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4F], now: Self.at(6560)) == [.finished(phrase: 1, .spoken), .report(.idle)])
    }

    @Test func speechThatOverrunsItsAllowanceIsStopped() {
        var machine = Machine(configuration: .init(chip: .syn6288, speakingBase: .seconds(1), speakingPerTextByte: .zero, overrunLimit: .seconds(1)))
        _ = machine.start(now: Self.at(0))
        _ = machine.received([0x4A], now: Self.at(100))
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(200))
        _ = machine.received([0x41], now: Self.at(220))
        var now = 1220
        #expect(machine.timePassed(now: Self.at(now)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4E], now: Self.at(now + 10)) == [])
        now += 510
        #expect(machine.timePassed(now: Self.at(now)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4E], now: Self.at(now + 10)) == [])
        now += 510
        #expect(machine.timePassed(now: Self.at(now)) == [.send(Self.query6288)])
        // past 1220 + 1000 ms: give up on this text
        #expect(machine.received([0x41, 0x4E], now: Self.at(now + 10)) == [.finished(phrase: 1, .interrupted), .send(Self.stop6288)])
        #expect(machine.received([0x41], now: Self.at(now + 30)) == [.report(.idle)])
    }

    // MARK: Error (45)

    @Test func aRejectedFrameIsSentAgainAndThenSpoken() {
        var machine = Self.idleMachine()
        let frame = Self.frame(Self.phrase)
        #expect(machine.speak(Self.phrase, phrase: 1, now: Self.at(1000)) == [.send(frame)])
        #expect(machine.received([0x45], now: Self.at(1030)) == [.send(frame)])
        #expect(machine.received([0x41], now: Self.at(1060)) == [.report(.speaking)])
        #expect(machine.received([0x4F], now: Self.at(4000)) == [.finished(phrase: 1, .spoken), .report(.idle)])
    }

    @Test func aFrameRejectedOnEveryAttemptEndsRejectedReportsErrorAndTheNextPhraseStillGoes() {
        var machine = Self.idleMachine()
        let second = TTSTestPhrases.encode("收款零点零五元")
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(1000))
        _ = machine.speak(second, phrase: 2, now: Self.at(1001))
        #expect(machine.received([0x45], now: Self.at(1030)) == [.send(Self.frame(Self.phrase))])
        #expect(
            machine.received([0x45], now: Self.at(1060)) == [
                .report(.error), .finished(phrase: 1, .rejected), .send(Self.frame(second)),
            ])
        #expect(machine.status == .error)
        #expect(machine.received([0x41], now: Self.at(1090)) == [.report(.speaking)])
    }

    @Test func anErrorStatusStandsUntilSomethingSucceeds() {
        var machine = Self.idleMachine()
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(1000))
        _ = machine.received([0x45, 0x45], now: Self.at(1030))
        #expect(machine.status == .error)
        #expect(machine.timePassed(now: Self.at(2000)) == [])
        #expect(machine.status == .error)
    }

    @Test func aTextTooLongForTheChipIsRefusedWithoutSendingAnything() {
        var machine = Self.idleMachine()
        let actions = machine.speak([UInt8](repeating: 0xB0, count: 202), phrase: 3, now: Self.at(1000))
        guard case .finished(3, .refused(let error)) = actions.first, actions.count == 1 else {
            Issue.record("expected one refusal, got \(actions)")
            return
        }
        #expect(error.code == .textTooLong)
        #expect(machine.pendingPhrases == 0)
    }

    // MARK: No reply

    @Test func aModuleThatStopsReplyingIsAbsentAndEveryWaitingPhraseFailsWithNoReply() {
        var machine = Self.idleMachine()
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(1000))
        _ = machine.speak(Self.phrase, phrase: 2, now: Self.at(1001))
        // reply window: 500 ms + 26 bytes at 9600 baud (27 ms)
        #expect(machine.nextDeadline == Self.at(1000) + .milliseconds(500) + .microseconds(27_083))
        #expect(machine.timePassed(now: Self.at(1526)) == [])
        #expect(
            machine.timePassed(now: Self.at(1528)) == [
                .finished(phrase: 1, .noReply), .finished(phrase: 2, .noReply), .report(.absent),
            ])
        #expect(machine.pendingPhrases == 0)
        // Probed every 5 s; a probe that goes unanswered reports nothing new.
        #expect(machine.timePassed(now: Self.at(6528)) == [.send(Self.query6288)])
        #expect(machine.timePassed(now: Self.at(7100)) == [])
        #expect(machine.status == .absent)
        #expect(machine.timePassed(now: Self.at(12100)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4F], now: Self.at(12110)) == [.report(.idle)])
    }

    @Test func aPhraseForAnAbsentModuleIsStillTriedInCaseItCameBack() {
        var machine = Self.idleMachine()
        #expect(machine.timePassed(now: Self.at(60_240)) == [.send(Self.query6288)])  // idle probe
        #expect(machine.timePassed(now: Self.at(61_000)) == [.report(.absent)])
        #expect(machine.speak(Self.phrase, phrase: 5, now: Self.at(62_000)) == [.send(Self.frame(Self.phrase))])
        #expect(machine.received([0x41], now: Self.at(62_030)) == [.report(.speaking)])
    }

    @Test func anIdleModuleIsProbedSoAnUnplugShowsBeforeThePaymentNeedsIt() {
        var machine = Self.idleMachine()
        #expect(machine.nextDeadline == Self.at(60_240))
        #expect(machine.timePassed(now: Self.at(60_239)) == [])
        #expect(machine.timePassed(now: Self.at(60_240)) == [.send(Self.query6288)])
        #expect(machine.received([0x41, 0x4F], now: Self.at(60_250)) == [])
        #expect(machine.nextDeadline == Self.at(120_250))
    }

    // MARK: Init after reset

    @Test func aResetWhileSpeakingInterruptsThePhraseAndSendsTheSetupAgain() {
        var machine = Self.idleMachine(setup: true)
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(1000))
        _ = machine.received([0x41], now: Self.at(1030))
        #expect(machine.received([0x4A], now: Self.at(1500)) == [.finished(phrase: 1, .interrupted), .send(Self.frame(Self.setupText))])
        #expect(machine.received([0x41], now: Self.at(1520)) == [])
        #expect(machine.received([0x4F], now: Self.at(1530)) == [.report(.idle)])
    }

    @Test func startAgainAfterAResetPulseInterruptsThePhraseInHandAndKeepsTheQueue() {
        var machine = Self.idleMachine()
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(1000))
        _ = machine.speak(Self.phrase, phrase: 2, now: Self.at(1001))
        #expect(machine.start(now: Self.at(1100)) == [.finished(phrase: 1, .interrupted)])
        #expect(machine.pendingPhrases == 1)
        #expect(machine.received([0x4A], now: Self.at(1340)) == [.send(Self.frame(Self.phrase))])
    }

    // MARK: Stop, noise

    @Test func stopSilencesThePhraseInHandAndEmptiesTheQueue() {
        var machine = Self.idleMachine()
        _ = machine.speak(Self.phrase, phrase: 1, now: Self.at(1000))
        _ = machine.speak(Self.phrase, phrase: 2, now: Self.at(1001))
        _ = machine.received([0x41], now: Self.at(1030))
        #expect(
            machine.stop(now: Self.at(1200)) == [
                .finished(phrase: 2, .interrupted), .finished(phrase: 1, .interrupted), .send(Self.stop6288),
            ])
        #expect(machine.received([0x41], now: Self.at(1220)) == [.report(.idle)])
        #expect(machine.stop(now: Self.at(1300)) == [])
    }

    @Test func noiseAndRepliesWithoutAPurposeAreReportedAsUnexpectedAndChangeNothing() {
        var machine = Self.idleMachine()
        #expect(machine.received([0x00, 0x41, 0x4E], now: Self.at(1000)) == [.unexpected(0x00), .unexpected(0x41), .unexpected(0x4E)])
        #expect(machine.received([0x4F], now: Self.at(1001)) == [])  // a late idle is harmless
        #expect(machine.status == .idle)
    }

    @Test func bytesBeforeStartAreUnexpected() {
        var machine = Self.machine()
        #expect(machine.received([0x4A], now: Self.at(0)) == [.unexpected(0x4A)])
        #expect(machine.nextDeadline == nil)
    }
}
