import Foundation
import GeoCore

/// Runs a GEOS computation over many geometry values on all cores. Each worker creates its own
/// `GEOSContext` (GEOS contexts are never shared between threads) and takes a contiguous slice;
/// results come back in input order. Only `Sendable` values cross threads.
public enum ParallelGeometry {
    public static func map<T: Sendable>(_ items: [Geometry], workers: Int = Parallel.cores,
                                        _ body: @Sendable (GEOSContext, Geometry) throws -> T) throws -> [T] {
        try Parallel.ranges(items.count, workers: workers) { range in
            let geos = try GEOSContext()
            return try range.map { try body(geos, items[$0]) }
        }.flatMap { $0 }
    }
}
