import NIOPosix
import Synchronization

/// A thread of its own for one device's blocking calls (a serial read waiting in poll(2),
/// a udev monitor, a PCM write).
///
/// Not NIO's shared blocking pool: that pool has as many threads as the box has cores (two),
/// so two scales each waiting 200 ms in poll(2) would hold every thread and an announcement's
/// PCM write, or another scale's read, would queue behind them. One lane per device keeps
/// each device's waits its own; a lane is one parked thread.
public final class BlockingLane: Sendable {
    private let pool: NIOThreadPool
    private let stopped = Atomic<Bool>(false)

    public init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    /// Runs `body` on the lane's thread; calls run one after another, in order.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// Queues `body` on the lane's thread and returns at once. `body` is not run when the
    /// lane was stopped first; `whenDropped` runs instead, so no waiter is left hanging.
    public func submit(_ body: @escaping @Sendable () -> Void, whenDropped: @escaping @Sendable () -> Void = {}) {
        pool.submit { state in
            if case .active = state { body() } else { whenDropped() }
        }
    }

    /// Lets the thread finish what it holds and end. Calls after this fail.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        pool.shutdownGracefully { _ in }
    }

    deinit {
        stop()
    }
}
