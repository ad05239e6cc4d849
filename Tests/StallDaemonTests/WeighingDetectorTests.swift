import StallCore
import StallDevices
import StallProtocols
import Testing

/// The rule that turns frames into trades, fed with synthetic frames and times.
@Suite struct WeighingDetectorTests {
    let start = ContinuousClock.now

    func frame(_ mg: Int64, stable: Bool = true, overload: Bool = false) -> ScaleFrame {
        ScaleFrame(protocolName: "toledo-continuous", weight: Milligrams(mg), stable: stable, net: false, overload: overload, tare: Milligrams(0))
    }

    /// Feeds (weight, stable, ms since start) and returns the recorded weights.
    func trades(_ events: [(Int64, Bool, Int)], settings: WeighingDetector.Settings = .init(zeroBand: Milligrams(5_000), stableFor: .milliseconds(800))) -> [Int64] {
        var detector = WeighingDetector(settings: settings)
        return events.compactMap { weight, stable, ms in
            if case .record(let trade) = detector.observe(frame(weight, stable: stable), at: start + .milliseconds(ms)) { return trade.weight.value }
            return nil
        }
    }

    @Test func aLoadStableForTheConfiguredTimeIsOneTrade() {
        #expect(trades([(0, true, 0), (600_000, false, 100), (1_234_000, true, 200), (1_234_000, true, 600), (1_234_000, true, 1000), (1_234_000, true, 1400), (0, true, 1500)]) == [1_234_000])
    }

    @Test func aLoadRemovedBeforeItSettledIsNoTrade() {
        #expect(trades([(1_234_000, true, 0), (1_234_000, true, 500), (0, true, 600)]).isEmpty)
    }

    @Test func theSameLoadLeftOnThePanIsRecordedOnce() {
        #expect(trades((0..<50).map { (2_000_000, true, $0 * 150) }) == [2_000_000])
    }

    @Test func theSameWeightAfterTheScaleReturnedToZeroIsANewTrade() {
        let item = [(Int64(500_000), true, 0), (500_000, true, 900)]
        let second = [(Int64(500_000), true, 2000), (500_000, true, 2900)]
        #expect(trades(item + [(0, true, 1500)] + second) == [500_000, 500_000])
    }

    @Test func goodsAddedToThePanMakeANewTradeAtTheNewWeight() {
        #expect(trades([(500_000, true, 0), (500_000, true, 900), (800_000, false, 1000), (800_000, true, 1100), (800_000, true, 2000)]) == [500_000, 800_000])
    }

    @Test func readingsInsideTheZeroBandAreAnEmptyPan() {
        #expect(trades([(4_000, true, 0), (4_000, true, 5000)]).isEmpty)
    }

    @Test func motionRestartsTheStabilityTimer() {
        #expect(trades([(700_000, true, 0), (700_000, true, 500), (700_000, false, 600), (700_000, true, 700), (700_000, true, 1400), (700_000, true, 1600)]) == [700_000])
    }

    @Test func anOverloadedReadingIsNeverATrade() {
        var detector = WeighingDetector(settings: .init())
        #expect(detector.observe(frame(99_000_000, overload: true), at: start) == .none)
        #expect(detector.observe(frame(99_000_000, overload: true), at: start + .seconds(5)) == .none)
    }
}
