import Dispatch
import Foundation
import StallCore
import GRDB
import StallPlatform
@testable import StallLedger
import StallTestSupport
import Synchronization
import Testing

/// The ledger's one writer commits appends from many callers in groups (issue 6: "appends
/// from all parts go through one writer that commits in groups").
@Suite struct GroupCommitTests {
    func weighing(_ index: Int) -> [String: JSONValue] {
        ["scale": "scale0", "protocol": "toledo-continuous", "weight_mg": .int(Int64(index)), "net": false]
    }

    func verifyChain(_ ledger: Ledger, expectedCount: Int) async throws {
        #expect(try await verifiedRecordCount(ledger) == expectedCount)
    }

    @Test func concurrentAppendsShareCommitsAndStillFormOneDenseChain() async throws {
        let directory = try TemporaryDirectory()
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        // A slow commit (as an SD card's fsync) lets callers pile up behind it.
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", key: key, simulatedCommitDelay: .milliseconds(20))
        let callers = 40
        let perCaller = 10
        let seqs = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var seqs: [Int64] = []
                    for index in 0..<perCaller {
                        seqs.append(try await ledger.append(kind: .weighing, body: weighing(caller * 100 + index), timestampMs: 1).seq!)
                    }
                    return seqs
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(seqs.sorted() == Array(1...Int64(callers * perCaller)), "every append got its own seq, none reused")
        let counters = ledger.writerCounters
        #expect(counters.committed == Int64(callers * perCaller))
        #expect(counters.groups < Int64(callers * perCaller) / 4, "\(counters.groups) commits for \(counters.committed) records")
        try await verifyChain(ledger, expectedCount: callers * perCaller)
        try ledger.close()
    }

    @Test func oneFailingWriteFailsAloneNotItsGroup() async throws {
        let directory = try TemporaryDirectory()
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", key: key)
        // Hold the writer in a first group until the next three pieces of work wait, so
        // that they form the second group together.
        let release = DispatchSemaphore(value: 0)
        let holding = Atomic<Bool>(false)
        async let holder: Void = ledger.writer.submit { _ in
            holding.store(true, ordering: .releasing)
            release.wait()
        }
        while !holding.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(1)) }
        async let before = ledger.append(kind: .weighing, body: weighing(1), timestampMs: 1)
        async let bad: Result<Void, any Error> = Result(catching: {
            try await ledger.writer.submit { db in try db.execute(sql: "INSERT INTO no_such_table VALUES (1)") }
        })
        async let after = ledger.append(kind: .weighing, body: weighing(2), timestampMs: 1)
        while ledger.writer.pendingCount < 3 { try await Task.sleep(for: .milliseconds(1)) }
        release.signal()
        try await holder
        let first = try await before
        let second = try await after
        let failed = await bad
        #expect(throws: DatabaseError.self) { try failed.get() }
        #expect(Set([first.seq, second.seq]) == [1, 2])
        #expect(ledger.writerCounters.groups == 2, "the failed write shared its group with the two appends")
        try await verifyChain(ledger, expectedCount: 2)
        try ledger.close()
    }

    /// A full disk: a tmpfs of 2 MiB filled up by another file. Appends wait (the writer
    /// keeps them and retries) instead of failing or corrupting anything, the fault is
    /// visible, and they all commit, in order, once space returns.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func aFullDiskHoldsAppendsUntilSpaceReturnsThenCommitsThemAll() async throws {
        let directory = try TemporaryDirectory()
        let mount = directory.path + "/small"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let mounted = try ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mount])
        try #require(mounted.status == 0, "\(mounted.error)")
        defer { _ = try? ChildProcess.run("/bin/umount", ["-l", mount]) }

        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        let ledger = try Ledger(path: mount + "/ledger.sqlite", key: key)
        for index in 0..<20 { try await ledger.append(kind: .weighing, body: weighing(index), timestampMs: 1) }

        // Fill the filesystem to the last byte.
        let filler = mount + "/filler"
        let fill = try ChildProcess.run("/bin/dd", ["if=/dev/zero", "of=\(filler)", "bs=64k"])
        #expect(fill.status != 0, "dd stops at ENOSPC")

        let appended = Task {
            try await withThrowingTaskGroup(of: Int64.self) { group in
                for index in 0..<200 {
                    group.addTask { try await ledger.append(kind: .weighing, body: weighing(1000 + index), timestampMs: 2).seq! }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
        }
        #expect(await eventually(timeout: .seconds(20)) { ledger.writeFault != nil }, "the full disk shows as a write fault")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await ledger.lastSeq() == 20, "nothing half-written while the disk is full")

        try FileManager.default.removeItem(atPath: filler)
        let seqs = try await appended.value
        #expect(seqs.sorted() == Array(21...220))
        #expect(ledger.writeFault == nil)
        try await verifyChain(ledger, expectedCount: 220)
        try ledger.close()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
