import Dispatch
import Foundation
import GeoCore

/// Runs a GEOS computation over many geometry values on all cores. Each worker creates its own
/// `GEOSContext` (GEOS contexts are never shared between threads) and takes a contiguous slice;
/// results come back in input order. Only `Sendable` values cross threads.
public enum ParallelGeometry {
    public static func map<T: Sendable>(_ items: [Geometry], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                                        _ body: @Sendable (GEOSContext, Geometry) throws -> T) throws -> [T] {
        let n = items.count
        let w = max(1, min(workers, n / 8 + 1))
        if w == 1 {
            let geos = try GEOSContext()
            return try items.map { try body(geos, $0) }
        }
        let slots = UnsafeMutableBufferPointer<Result<T, Error>?>.allocate(capacity: n)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let out = slots   // each index is written by exactly one worker
        DispatchQueue.concurrentPerform(iterations: w) { k in
            let range = (n * k / w)..<(n * (k + 1) / w)
            do {
                let geos = try GEOSContext()
                for i in range { out[i] = Result { try body(geos, items[i]) } }
            } catch {
                for i in range { out[i] = .failure(error) }
            }
        }
        return try (0..<n).map { try slots[$0]!.get() }
    }
}
