import StallUplink
import Testing

/// The upload decisions, driven without a network.
@Suite struct UploadMachineTests {
    let noJitter: (ClosedRange<Int64>) -> Int64 = { $0.upperBound }

    @Test func withNothingPendingItWaitsForRecords() {
        var machine = UploadMachine()
        #expect(machine.next(ackedSeq: 5, lastSeq: 5) == .waitForRecords)
    }

    @Test func itSendsFromTheFirstUnacknowledgedRecord() {
        var machine = UploadMachine(batchSize: 50)
        #expect(machine.next(ackedSeq: 5, lastSeq: 9) == .send(fromSeq: 6, limit: 50))
    }

    @Test func anAcceptedBatchMovesTheAcknowledgementAndResetsTheBackoff() {
        var machine = UploadMachine()
        _ = machine.handle(.failed(reason: "down", certificate: false), random: noJitter)
        #expect(machine.handle(.accepted(ackedSeq: 9), random: noJitter) == [.markAcknowledged(upTo: 9), .clearAlarms])
        #expect(machine.consecutiveFailures == 0)
        #expect(machine.lastError == nil)
    }

    @Test func aConflictResendsFromWhatUpstreamHolds() {
        var machine = UploadMachine(batchSize: 10)
        #expect(machine.handle(.conflict(ackedSeq: 3), random: noJitter) == [.markAcknowledged(upTo: 3)])
        // Locally we believed 7 was acknowledged; upstream says 3: resend from 4.
        #expect(machine.next(ackedSeq: 7, lastSeq: 12) == .send(fromSeq: 4, limit: 10))
        _ = machine.handle(.accepted(ackedSeq: 12), random: noJitter)
        #expect(machine.next(ackedSeq: 12, lastSeq: 12) == .waitForRecords)
    }

    @Test func aRejectedRecordRaisesAnAlarmAndBacksOffLongWithoutSkippingIt() {
        var machine = UploadMachine(rejectedDelayMs: 600_000)
        let actions = machine.handle(.rejected(code: "bad_signature", message: "x", seq: 7), random: noJitter)
        #expect(actions.count == 2)
        #expect(actions.last == .sleep(milliseconds: 600_000))
        // The same records are offered again afterwards: nothing skipped.
        #expect(machine.next(ackedSeq: 6, lastSeq: 9) == .send(fromSeq: 7, limit: 200))
    }

    @Test func transportFailuresBackOffExponentiallyWithFullJitterUpToTheCap() {
        var machine = UploadMachine(baseDelayMs: 500, maxDelayMs: 8_000)
        var ceilings: [Int64] = []
        for _ in 0..<7 {
            if case .sleep(let ms) = machine.handle(.failed(reason: "x", certificate: false), random: noJitter).first { ceilings.append(ms) }
        }
        #expect(ceilings == [500, 1000, 2000, 4000, 8000, 8000, 8000])
        let jittered = machine.handle(.failed(reason: "x", certificate: false), random: { $0.lowerBound })
        #expect(jittered == [.sleep(milliseconds: 0)])
    }

    @Test func aCertificateFailureIsReportedAsSuch() {
        var machine = UploadMachine()
        _ = machine.handle(.failed(reason: "handshake", certificate: true), random: noJitter)
        #expect(machine.lastError?.contains("certificate") == true)
    }

    @Test func aCertificateFailureRaisesTheTLSAlarmAndBacksOffLikeAnyFailure() {
        var machine = UploadMachine(baseDelayMs: 500, maxDelayMs: 8_000)
        let actions = machine.handle(.failed(reason: "CERTIFICATE_VERIFY_FAILED", certificate: true), random: noJitter)
        #expect(actions.first == .alarm(name: "uplink_tls", message: "TLS with upstream failed (certificate or handshake): CERTIFICATE_VERIFY_FAILED"))
        #expect(actions.last == .sleep(milliseconds: 500))
        let again = machine.handle(.failed(reason: "x", certificate: true), random: noJitter)
        #expect(again.last == .sleep(milliseconds: 1000), "no retry storm: the backoff grows")
    }

    @Test func tooLargeHalvesTheBatchDownToOneRecordThenAlarms() {
        var machine = UploadMachine(batchSize: 8)
        var sizes: [Int] = []
        for _ in 0..<3 {
            #expect(machine.handle(.tooLarge, random: noJitter) == [])
            if case .send(_, let limit) = machine.next(ackedSeq: 0, lastSeq: 100) { sizes.append(limit) }
        }
        #expect(sizes == [4, 2, 1])
        let stuck = machine.handle(.tooLarge, random: noJitter)
        #expect(stuck.first.map { if case .alarm(let name, _) = $0 { name == "uplink_rejected" } else { false } } == true)
        // Accepted batches grow it back, doubling, up to the configured size.
        _ = machine.handle(.accepted(ackedSeq: 1), random: noJitter)
        _ = machine.handle(.accepted(ackedSeq: 2), random: noJitter)
        #expect(machine.next(ackedSeq: 2, lastSeq: 100) == .send(fromSeq: 3, limit: 4))
    }

    @Test func throttlingWaitsRetryAfterWhenGivenCappedOtherwiseBacksOff() {
        var machine = UploadMachine(baseDelayMs: 500, maxDelayMs: 60_000)
        #expect(machine.handle(.throttled(status: 429, retryAfterMs: 7_000), random: noJitter) == [.sleep(milliseconds: 7_000)])
        #expect(machine.handle(.throttled(status: 503, retryAfterMs: 900_000), random: noJitter) == [.sleep(milliseconds: 60_000)])
        #expect(machine.handle(.throttled(status: 503, retryAfterMs: nil), random: noJitter) == [.sleep(milliseconds: 2_000)])
    }

    @Test func aConflictBeyondOurLastRecordIsAnAlarmNotAResend() {
        var machine = UploadMachine(rejectedDelayMs: 1_000)
        let actions = machine.handle(.conflict(ackedSeq: 50), lastSeq: 20, random: noJitter)
        #expect(actions.count == 2)
        #expect(actions.last == .sleep(milliseconds: 1_000))
        #expect(machine.next(ackedSeq: 20, lastSeq: 20) == .waitForRecords, "nothing acknowledged on its word")
    }

    @Test func theLinkComingBackRestartsTheBackoff() {
        var machine = UploadMachine(baseDelayMs: 500, maxDelayMs: 60_000)
        for _ in 0..<5 { _ = machine.handle(.failed(reason: "x", certificate: false), random: noJitter) }
        machine.linkIsBack()
        #expect(machine.handle(.failed(reason: "x", certificate: false), random: noJitter) == [.sleep(milliseconds: 500)])
    }
}
