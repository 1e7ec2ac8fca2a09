#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A value computed ahead of need on a thread of its own at the lowest scheduling priority
/// (nice 19, that thread only: on Linux the nice value is per thread), so that it runs on a core
/// the caller's work leaves idle — between the single-threaded steps of measuring — rather than
/// beside it. `value()` waits for it (a waiting caller leaves the core to it) and returns it or
/// throws what computing it threw. The work must be single-threaded (work handed to Dispatch's
/// pool would run at normal priority) and own whatever C contexts it needs. A class: it owns the
/// thread and the one result every caller shares.
public final class Ahead<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>? = nil
    private let lock = NSLock()

    public init(_ work: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            let r = Result { try work() }
            lock.withLock { result = r }
            done.signal()
        }
        thread.stackSize = 1 << 23
        thread.start()
    }

    /// Whether the value (or its error) is there: `value()` would not wait.
    public var isReady: Bool { lock.withLock { result != nil } }

    /// The value, once computed (waits until then).
    public func value() throws -> T {
        if let r = lock.withLock({ result }) { return try r.get() }
        done.wait()
        done.signal()   // later calls return at once
        return try lock.withLock { result! }.get()
    }
}
