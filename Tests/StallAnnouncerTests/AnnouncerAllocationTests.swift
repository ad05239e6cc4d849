import CAllocationCounter
import Logging
import StallCore
import StallTestSupport
import Testing

@testable import StallAnnouncer

/// Issue 5: "an announcement allocates nothing on its hot path". Reading the amount and
/// rendering its clips happen between the notification and the first sample handed to the
/// speaker; with the announcer's buffers they must not touch the heap at all.
@Suite struct AnnouncerAllocationTests {
    static let pack = Result { try VoicePack.load(directory: RepositoryFiles.path("voice-packs/default")) }

    func announcer(style: AmountReading.Style, liang: Bool) throws -> Announcer {
        Announcer(
            voicePack: try Self.pack.get(), speaker: nil, reading: AmountReading(style: style, liang: liang), gapMs: 40,
            nowMs: { 0 }, liveness: Liveness(), logger: Logger(label: "test")
        ) { _ in }
    }

    /// Amounts with the most tokens each style can produce, and the traps of the reading table.
    static let amounts: [Int64] = [
        1, 10, 12_50, 2_00, 2_02, 100_05, 10_0000_00, 1000_0300_00, 22_2222_22, 9999_9999_99, 1001_1001_01,
        20_0000_00, 2_0000_0000_00 / 100, 1234_5678_90, 5_0005_5000_00 / 100,
    ]

    @Test(arguments: [AmountReading.Style.decimal, .yuan], [false, true])
    func readingAndRenderingAPhraseAllocateNothing(style: AmountReading.Style, liang: Bool) throws {
        let announcer = try announcer(style: style, liang: liang)
        var buffers = Announcer.PhraseBuffers(sizedFor: try Self.pack.get(), gapSamples: 640)
        var problems: [String?] = []
        problems.reserveCapacity(Self.amounts.count * PaymentChannel.allCases.count)
        var sampleCounts: [Int] = []
        sampleCounts.reserveCapacity(problems.capacity)
        var requests: [AnnouncementRequest] = []
        for amount in Self.amounts {
            for channel in PaymentChannel.allCases {
                requests.append(AnnouncementRequest(paymentID: "p", amount: Fen(amount), channel: channel, paidAtMs: 0, knownAt: .now))
            }
        }

        // The reading's constant tables are initialized on first use, once per process; one
        // pass warms them. The buffers were sized at creation and are not grown by it.
        let capacities = (buffers.tokens.capacity, buffers.samples.capacity)
        for index in 0..<requests.count { _ = announcer.prepare(requests[index], into: &buffers) }
        #expect(buffers.tokens.capacity == capacities.0 && buffers.samples.capacity == capacities.1)

        // An index loop: for-in over an array allocates per element in debug builds.
        allocation_counter_begin()
        for index in 0..<requests.count {
            problems.append(announcer.prepare(requests[index], into: &buffers))
            sampleCounts.append(buffers.samples.count)
        }
        let allocations = allocation_counter_end()

        #expect(allocations == 0)
        #expect(problems.allSatisfy { $0 == nil })
        #expect(sampleCounts.allSatisfy { $0 > 16_000 }, "every phrase rendered real clips")
    }

    /// The counter itself must see an allocation, or the test above proves nothing.
    @Test func theCounterSeesAnAllocation() {
        allocation_counter_begin()
        let fresh = [Int16](repeating: 7, count: 1000 + Int.random(in: 0..<10))
        let allocations = allocation_counter_end()
        #expect(fresh.count >= 1000)
        #expect(allocations >= 1)
    }

    /// Without the reserved buffers the same work does allocate: the test can fail.
    @Test func aPhraseIntoEmptyBuffersAllocates() throws {
        let announcer = try announcer(style: .decimal, liang: false)
        var buffers = Announcer.PhraseBuffers(sizedFor: VoicePack(name: "", version: 0, sampleRate: 16_000, clips: [:]), gapSamples: 0)
        buffers.tokens = []
        buffers.samples = []
        let request = AnnouncementRequest(paymentID: "p", amount: Fen(12_50), channel: .alipay, paidAtMs: 0, knownAt: .now)
        allocation_counter_begin()
        let problem = announcer.prepare(request, into: &buffers)
        let allocations = allocation_counter_end()
        #expect(problem == nil)
        #expect(allocations >= 2)
    }
}
