import Dispatch
import Foundation

/// Splits `0..<count` into one contiguous range per core and runs `body` on each range
/// concurrently; results come back in range order. Only `Sendable` values cross threads; a body
/// that needs a C context (GEOS, PROJ) creates its own inside (see `ParallelGeometry`).
public enum Parallel {
    /// Cores this process may use, asked once: Foundation reads the cgroup's CPU limit from
    /// files on every `activeProcessorCount`, which costs more than a small range's work.
    public static let cores = ProcessInfo.processInfo.activeProcessorCount

    public static func ranges<T: Sendable, E: Error>(_ count: Int, workers: Int = Parallel.cores,
                                                     minimumPerWorker: Int = 8,
                                                     _ body: @Sendable (Range<Int>) throws(E) -> T) throws(E) -> [T] {
        let w = max(1, min(workers, count / max(1, minimumPerWorker) + 1))
        if w == 1 { return [try body(0..<count)] }
        let slots = UnsafeMutableBufferPointer<Result<T, E>?>.allocate(capacity: w)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let out = slots   // each slot is written by exactly one worker
        // Dispatch's pool: the caller takes part and returns when every range is done. This
        // blocks the calling thread for the duration (as any synchronous parallel map must): the
        // service runs the pipeline in worker processes, never on its cooperative threads.
        DispatchQueue.concurrentPerform(iterations: w) { k in
            out[k] = Result { () throws(E) -> T in try body((count * k / w)..<(count * (k + 1) / w)) }
        }
        return try (0..<w).map { k throws(E) -> T in try slots[k]!.get() }
    }
}

