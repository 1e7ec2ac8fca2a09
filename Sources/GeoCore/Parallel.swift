import Foundation

/// Splits `0..<count` into one contiguous range per core and runs `body` on each range
/// concurrently; results come back in range order. Only `Sendable` values cross threads; a body
/// that needs a C context (GEOS, PROJ) creates its own inside (see `ParallelGeometry`).
public enum Parallel {
    /// Cores this process may use, asked once: Foundation reads the cgroup's CPU limit from
    /// files on every `activeProcessorCount`, which costs more than a small range's work.
    public static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Starts the worker threads now rather than at the first parallel step (a program calls
    /// this as it starts, so that threads are up by the time its work begins).
    public static func startWorkers() { _ = WorkerPool.shared }

    public static func ranges<T: Sendable, E: Error>(_ count: Int, workers: Int = Parallel.cores,
                                                     minimumPerWorker: Int = 8,
                                                     _ body: @Sendable (Range<Int>) throws(E) -> T) throws(E) -> [T] {
        let w = max(1, min(workers, count / max(1, minimumPerWorker) + 1))
        if w == 1 { return [try body(0..<count)] }
        let slots = UnsafeMutableBufferPointer<Result<T, E>?>.allocate(capacity: w)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let out = slots   // each slot is written by exactly one worker
        withoutActuallyEscaping(body) { body in   // runs only until `run` returns
            WorkerPool.shared.run(w) { k in
                out[k] = Result { () throws(E) -> T in try body((count * k / w)..<(count * (k + 1) / w)) }
            }
        }
        return try (0..<w).map { k throws(E) -> T in try slots[k]!.get() }
    }
}

/// The threads `Parallel.ranges` runs on: `cores − 1` threads started on first use and kept
/// for the process, plus the calling thread, which claims items too.
///
/// Dispatch's `concurrentPerform` was used before; on this platform its pool often left a
/// call's items to the calling thread alone for the first 2 ms or so (threads are made or
/// woken late), so the many short parallel steps of a small bundle ran serially. Here helpers
/// sleep on one condition and are woken as a job is queued.
///
/// Nested calls cannot deadlock: the caller of `run` claims the job's items until none is left
/// and then waits only for items other threads have already claimed and are running.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(helpers: max(0, Parallel.cores - 1))

    private final class Job {
        let count: Int
        let body: (Int) -> Void
        var next = 0, done = 0
        init(_ count: Int, _ body: @escaping (Int) -> Void) { self.count = count; self.body = body }
    }

    /// Guards `queue` and every job's `next` and `done`; signals work and completion.
    private let condition = NSCondition()
    private var queue: [Job] = []

    private init(helpers: Int) {
        for i in 0..<helpers {
            let t = Thread { [unowned self] in self.help() }
            t.name = "ecocredit-worker-\(i + 1)"
            t.stackSize = 8 << 20   // as the main thread's: GEOS recursion on deep geometries
            t.start()
        }
    }

    /// Runs `body(0) … body(count − 1)` on this thread and the helpers; returns when all are done.
    func run(_ count: Int, _ body: @escaping (Int) -> Void) {
        let job = Job(count, body)
        condition.lock()
        queue.append(job)
        condition.broadcast()
        while let i = claim(job) {
            condition.unlock()
            job.body(i)
            condition.lock()
            job.done += 1
        }
        while job.done < job.count { condition.wait() }
        condition.unlock()
    }

    /// The next item of `job`, removing the job from the queue with its last item (lock held).
    private func claim(_ job: Job) -> Int? {
        guard job.next < job.count else { return nil }
        let i = job.next
        job.next += 1
        if job.next == job.count, let at = queue.firstIndex(where: { $0 === job }) { queue.remove(at: at) }
        return i
    }

    private func help() {
        condition.lock()
        while true {
            // Jobs with no item left to claim are already off the queue.
            guard let job = queue.first, let i = claim(job) else { condition.wait(); continue }
            condition.unlock()
            job.body(i)
            condition.lock()
            job.done += 1
            if job.done == job.count { condition.broadcast() }
            // `job` (and its body) is let go by the end of this iteration, while the lock is still
            // held: its caller returns only once it has the lock, when no helper refers to it.
        }
    }
}
