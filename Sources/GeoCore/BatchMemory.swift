#if canImport(Glibc)
import Glibc
#endif

/// glibc's allocator settings for a batch run over large layers, applied once at the start of
/// a process (`ecocredit`, the bench). By default glibc gives every allocation above 128 KiB
/// fresh pages from the kernel and returns freed ones at once, so each large array of
/// coordinates, edges or transects is paid for again in page faults (about 50 000 for the
/// 1000 km bench shoreline). Here such arrays come from the heap, and freed memory is kept for
/// the next one. Only speed and memory change: no value depends on where memory comes from.
public enum BatchMemory {
    /// Largest allocation served from the heap rather than by its own mapping (glibc accepts
    /// at most 32 MiB), and how much freed memory may stay in the process or be added ahead.
    public static let mmapThreshold: Int32 = 32 << 20, trimThreshold: Int32 = 1 << 30, topPad: Int32 = 64 << 20
    // Not set: M_ARENA_MAX = 1 (all threads on one heap) cut peak memory by a tenth but made the
    // parcel loop, which allocates on every core, slower in about half the runs (lock contention).

    /// Applies the settings; true when glibc accepted them all (false elsewhere).
    @discardableResult
    public static func configure() -> Bool {
        #if canImport(Glibc)
        // `mallopt` is in <malloc.h>, which Swift's Glibc module does not import: looked up by
        // name. <malloc.h>: M_TRIM_THRESHOLD −1, M_TOP_PAD −2, M_MMAP_THRESHOLD −3.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        return mallopt(-3, mmapThreshold) == 1 && mallopt(-1, trimThreshold) == 1 && mallopt(-2, topPad) == 1
        #else
        return false
        #endif
    }
}
