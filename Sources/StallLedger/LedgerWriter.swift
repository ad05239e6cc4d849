import Dispatch
import Glibc
import GRDB
import StallPlatform
import Synchronization

/// The ledger's one writer: every append, payment batch and acknowledgement goes through it,
/// and it commits them in groups, one transaction (one fsync) per group.
///
/// Grouping: work submitted while a commit is in progress waits and goes into the next
/// group, so under load a group holds everything that arrived during the previous fsync
/// (up to `maxGroup`); `window` optionally holds a group open a little longer. A caller's
/// `submit` returns only after the transaction holding its work committed.
///
/// Faults: a piece of work that fails by itself (a constraint) fails alone: the group's
/// transaction is run again without it. A transaction that cannot commit (disk full, I/O error) rolls back as a
/// whole; the group is kept, in order, and retried every `retryDelay` until it commits, so
/// appends resume by themselves when space returns. Nothing is acknowledged meanwhile, and
/// the fault is visible in `fault`. At most `maxPending` pieces wait; beyond that `submit`
/// fails at once rather than letting memory grow without bound.
final class LedgerWriter: Sendable {
    struct Limits: Sendable {
        var maxGroup = 512
        var maxPending = 20_000
        var window: Duration = .zero
        var retryDelay: Duration = .seconds(1)
    }

    struct Counters: Sendable, Equatable {
        var groups: Int64 = 0
        var committed: Int64 = 0
        var retries: Int64 = 0
    }

    /// One piece of submitted work, type-erased. `attempt` runs it inside the group's
    /// transaction and returns how to answer its caller once that transaction committed;
    /// it throws only for faults that doom the whole transaction.
    private struct Pending: Sendable {
        let attempt: @Sendable (Database) throws -> @Sendable () -> Void
        let abandon: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Pending] = []
        var draining = false
        var closed = false
        var fault: String?
        var counters = Counters()
    }

    private let pool: DatabasePool
    private let limits: Limits
    private let simulatedCommitDelay: Duration
    private let state = Mutex(State())
    private let lane = BlockingLane()

    init(pool: DatabasePool, limits: Limits, simulatedCommitDelay: Duration) {
        self.pool = pool
        self.limits = limits
        self.simulatedCommitDelay = simulatedCommitDelay
    }

    /// Why the last group could not commit, while it is still being retried.
    var fault: String? { state.withLock { $0.fault } }
    var counters: Counters { state.withLock { $0.counters } }
    /// Work submitted and not yet in a commit.
    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Runs `work` in the next group; returns its result once that group is on disk.
    func submit<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let item = Pending(
                attempt: { db in
                    let result: T
                    do {
                        result = try work(db)
                    } catch let error as DatabaseError where Self.dooms(error) {
                        throw error
                    } catch {
                        throw OwnFailure(error: error)
                    }
                    return { continuation.resume(returning: result) }
                },
                abandon: { continuation.resume(throwing: $0) })
            enqueue(item)
        }
    }

    /// A piece of work failed by itself (not the disk): it is answered with its error and
    /// the group's transaction is run again without it.
    private struct OwnFailure: Error {
        let error: any Error
    }

    /// Faults that make the whole transaction fail: the group is retried, not its callers failed.
    static func dooms(_ error: DatabaseError) -> Bool {
        switch error.resultCode {
        case .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_NOMEM:
            true
        default:
            false
        }
    }

    private func enqueue(_ item: Pending) {
        enum Next { case schedule, none, reject(Ledger.Error) }
        let next: Next = state.withLock { state in
            if state.closed { return .reject(.closed) }
            if state.pending.count >= limits.maxPending { return .reject(.writerBacklog(state.pending.count)) }
            state.pending.append(item)
            if state.draining { return .none }
            state.draining = true
            return .schedule
        }
        switch next {
        case .schedule:
            lane.submit({ self.drain() }, whenDropped: { self.abandonAll(Ledger.Error.closed) })
        case .reject(let error):
            item.abandon(error)
        case .none:
            break
        }
    }

    /// Commits groups until nothing is pending. Runs on the writer's own thread.
    private func drain() {
        if limits.window > .zero { Self.sleep(limits.window) }
        while true {
            let group: [Pending] = state.withLock { state in
                guard !state.pending.isEmpty else {
                    state.draining = false
                    return []
                }
                let count = min(limits.maxGroup, state.pending.count)
                let group = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return group
            }
            if group.isEmpty { return }
            commit(group)
        }
    }

    /// Commits a group in one transaction. Optimistic: no savepoint per piece of work (each
    /// costs two statements); if one fails by itself, the transaction is rolled back and run
    /// again without it, and it alone is answered with its error.
    private func commit(_ group: [Pending]) {
        var failed: [Int: any Error] = [:]
        while true {
            do {
                var completions: [(@Sendable () -> Void)?] = Array(repeating: nil, count: group.count)
                try pool.writeWithoutTransaction { db in
                    try db.inTransaction(.immediate) {
                        Ledger.simulateSlowDisk(simulatedCommitDelay)
                        for index in group.indices where failed[index] == nil {
                            do {
                                completions[index] = try group[index].attempt(db)
                            } catch let failure as OwnFailure {
                                failed[index] = failure.error
                                throw failure
                            }
                        }
                        return .commit
                    }
                }
                state.withLock {
                    $0.fault = nil
                    $0.counters.groups += 1
                    $0.counters.committed += Int64(group.count - failed.count)
                }
                for index in group.indices {
                    if let error = failed[index] { group[index].abandon(error) } else { completions[index]?() }
                }
                return
            } catch is OwnFailure {
                continue
            } catch {
                // Rolled back: nothing of the group is on disk. Keep it, in order, and try
                // again, unless the ledger is closing.
                let closed = state.withLock { state in
                    state.fault = String(describing: error)
                    state.counters.retries += 1
                    return state.closed
                }
                if closed {
                    for item in group { item.abandon(error) }
                    return
                }
                Self.sleep(limits.retryDelay)
            }
        }
    }

    private func abandonAll(_ error: any Error) {
        let dropped = state.withLock { state in
            let dropped = state.pending
            state.pending.removeAll()
            state.draining = false
            return dropped
        }
        for item in dropped { item.abandon(error) }
    }

    /// Refuses new work, lets the writer finish (or give up on a faulted group), and stops
    /// its thread. Returns when nothing of the writer runs any more.
    func close() {
        state.withLock { $0.closed = true }
        let finished = DispatchSemaphore(value: 0)
        lane.submit({ finished.signal() }, whenDropped: { finished.signal() })
        finished.wait()
        abandonAll(Ledger.Error.closed)
        lane.stop()
    }

    static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
