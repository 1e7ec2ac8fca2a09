import Foundation
import XCTest
@testable import GeoCore

/// `Parallel.ranges` on the worker pool: every index once, results in range order, errors
/// passed on, nested calls and calls from many threads at once finishing (no deadlock), and
/// work really shared between threads.
final class ParallelTests: XCTestCase {
    func testRangesCoverEveryIndexOnceInOrder() {
        for count in [0, 1, 2, 3, 7, 100, 10_001] {
            for workers in [1, 2, 3, 8] {
                let parts = Parallel.ranges(count, workers: workers, minimumPerWorker: 1) { Array($0) }
                XCTAssertEqual(parts.flatMap { $0 }, Array(0..<count), "count \(count), workers \(workers)")
                XCTAssertLessThanOrEqual(parts.count, max(1, workers))
            }
        }
    }

    struct Stop: Error, Equatable { let at: Int }

    func testErrorsArePassedOn() {
        XCTAssertThrowsError(try Parallel.ranges(100, workers: 4, minimumPerWorker: 1) { (r: Range<Int>) throws(Stop) -> Int in
            if r.contains(60) { throw Stop(at: 60) }
            return r.count
        }) { XCTAssertEqual($0 as? Stop, Stop(at: 60)) }
    }

    func testNestedAndConcurrentCallsFinish() {
        // Each outer range runs inner parallel steps; several threads do this at once.
        let outerCount = 16
        let sums = (0..<4).map { _ in UnsafeMutableBufferPointer<Int>.allocate(capacity: 1) }
        defer { sums.forEach { $0.deallocate() } }
        nonisolated(unsafe) let out = sums
        DispatchQueue.concurrentPerform(iterations: 4) { caller in
            let total = Parallel.ranges(outerCount, workers: 8, minimumPerWorker: 1) { outer in
                outer.reduce(0) { acc, i in
                    acc + Parallel.ranges(1000, workers: 3, minimumPerWorker: 1) { $0.reduce(0, +) + i * $0.count }.reduce(0, +)
                }
            }.reduce(0, +)
            out[caller][0] = total
        }
        // Σ over i of (Σ 0..<1000 + 1000 i) = 16·499500 + 1000·120
        for s in sums { XCTAssertEqual(s[0], outerCount * 499_500 + 1000 * 120) }
    }

    /// With two cores or more, two items that each wait for the other to have started finish
    /// (they can only do so on two threads at once); with one core there is no helper, and the
    /// caller runs both in turn.
    func testWorkIsSharedBetweenThreads() throws {
        if Parallel.cores < 2 {
            let caller = pthread_self()
            XCTAssertEqual(Parallel.ranges(2, workers: 2, minimumPerWorker: 1) { _ in pthread_equal(pthread_self(), caller) != 0 }, [true, true])
            return
        }
        let started = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        started.initialize(repeating: 0, count: 2)
        defer { started.deallocate() }
        nonisolated(unsafe) let flags = started
        let lock = NSLock()
        let met = Parallel.ranges(2, workers: 2, minimumPerWorker: 1) { r -> Bool in
            let me = r.lowerBound, other = 1 - me
            lock.withLock { flags[me] = 1 }
            let deadline = Date().addingTimeInterval(5)
            while Date() < deadline { if lock.withLock({ flags[other] }) == 1 { return true }; usleep(100) }
            return false
        }
        XCTAssertEqual(met, [true, true])
    }
}
