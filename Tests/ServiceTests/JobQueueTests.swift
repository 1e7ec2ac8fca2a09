import Foundation
import XCTest
@testable import Service

/// The job queue's leases: a job whose instance died is claimed again once its lease runs out,
/// only the current holder records its end, a bundle that kills every worker stops after the
/// attempts cap, and concurrent claimers never take one job twice.
final class JobQueueTests: XCTestCase {
    func store(maxAttempts: Int = 3) throws -> JobStore {
        JobStore(try ServiceDatabase(path: try temporaryFolder() + "/service.sqlite"), maxAttempts: maxAttempts)
    }

    func enqueue(_ s: JobStore, _ i: Int = 0) throws -> Job {
        try s.enqueue(id: String(format: "%032x", i), owner: "contractor", bundleSHA256: String(repeating: "a", count: 64), bytes: 1, lang: "zh")
    }

    func testAJobWhoseWorkerDiedIsClaimedAgainAndRecordedOnce() throws {
        let s = try store()
        let job = try enqueue(s)
        let first = try XCTUnwrap(try s.claim(owner: "A", lease: 0.2))
        XCTAssertEqual(first.id, job.id)
        XCTAssertEqual(first.attempts, 1)
        XCTAssertNil(try s.claim(owner: "B", lease: 0.2), "a live lease is not taken")
        Thread.sleep(forTimeInterval: 0.3)
        let second = try XCTUnwrap(try s.claim(owner: "B", lease: 30))
        XCTAssertEqual(second.id, job.id)
        XCTAssertEqual(second.attempts, 2)
        // The first holder is gone: it can neither report nor end the job.
        XCTAssertFalse(try s.progress(job.id, owner: "A", stage: "measure", percent: 50, lease: 30))
        XCTAssertFalse(try s.finish(job.id, owner: "A", state: .failed, exitStatus: nil, error: ("JOB.X", "x", "x")))
        XCTAssertTrue(try s.progress(job.id, owner: "B", stage: "measure", percent: 50, lease: 30))
        XCTAssertTrue(try s.finish(job.id, owner: "B", state: .done, exitStatus: 0, error: nil))
        let ended = try XCTUnwrap(try s.job(job.id))
        XCTAssertEqual(ended.state, .done)
        XCTAssertEqual(ended.exitStatus, 0)
        XCTAssertEqual(ended.percent, 100)
        XCTAssertNil(ended.errorCode)
        XCTAssertNil(try s.claim(owner: "C", lease: 30), "an ended job is not claimed again")
        XCTAssertFalse(try s.finish(job.id, owner: "B", state: .failed, exitStatus: nil, error: nil), "ended once")
    }

    func testABundleThatKillsEveryWorkerStopsAtTheAttemptsCap() throws {
        let s = try store(maxAttempts: 2)
        let job = try enqueue(s)
        XCTAssertNotNil(try s.claim(owner: "A", lease: 0.05))
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertNotNil(try s.claim(owner: "B", lease: 0.05))
        Thread.sleep(forTimeInterval: 0.1)
        XCTAssertNil(try s.claim(owner: "C", lease: 30))
        let ended = try XCTUnwrap(try s.job(job.id))
        XCTAssertEqual(ended.state, .failed)
        XCTAssertEqual(ended.errorCode, "JOB.ATTEMPTS")
        XCTAssertEqual(ended.attempts, 2)
    }

    func testConcurrentClaimersTakeEveryJobExactlyOnce() throws {
        let s = try store()
        for i in 0..<40 { _ = try enqueue(s, i) }
        final class Claims: @unchecked Sendable {
            let lock = NSLock()
            var taken: [String: [String]] = [:]
            func add(_ id: String, _ by: String) { lock.lock(); taken[id, default: []].append(by); lock.unlock() }
        }
        let claims = Claims()
        DispatchQueue.concurrentPerform(iterations: 4) { w in
            while let job = try? s.claim(owner: "worker-\(w)", lease: 60) {
                claims.add(job.id, "worker-\(w)")
                _ = try? s.finish(job.id, owner: "worker-\(w)", state: .done, exitStatus: 0, error: nil)
            }
        }
        let taken = claims.taken
        XCTAssertEqual(taken.count, 40)
        XCTAssertTrue(taken.values.allSatisfy { $0.count == 1 }, "\(taken.filter { $0.value.count > 1 })")
        XCTAssertTrue(try (0..<40).allSatisfy { try s.job(String(format: "%032x", $0))?.state == .done })
    }

    func testCancellingAQueuedJobAndARunningOne() throws {
        let s = try store()
        let queued = try enqueue(s, 1), running = try enqueue(s, 2)
        XCTAssertEqual(try s.cancel(queued.id)?.state, .cancelled)
        let claimed = try XCTUnwrap(try s.claim(owner: "A", lease: 30))
        XCTAssertEqual(claimed.id, running.id, "a cancelled job is not claimed")
        XCTAssertEqual(try s.cancel(running.id)?.state, .cancelled)
        // The worker learns it at its next report and stops; its end is not recorded.
        XCTAssertFalse(try s.progress(running.id, owner: "A", stage: nil, percent: nil, lease: 30))
        XCTAssertFalse(try s.finish(running.id, owner: "A", state: .done, exitStatus: 0, error: nil))
        XCTAssertEqual(try s.job(running.id)?.state, .cancelled)
    }
}
