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

    /// As `map`, for items of very different cost (one coast of 200 000 vertices beside a
    /// thousand small polygons): items are taken largest `weight` first, in many small groups
    /// that idle workers claim in turn, so that one large item runs beside the rest rather than
    /// before or after it. Each group has its own `GEOSContext`. Results come back in input order.
    public static func mapBalanced<I: Sendable, T: Sendable>(_ items: [I], weight: (I) -> Int, workers: Int = Parallel.cores,
                                                             _ body: @Sendable (GEOSContext, I) throws -> T) throws -> [T] {
        let weights = items.map(weight)
        let order = items.indices.sorted { weights[$0] > weights[$1] }
        let groups = min(items.count, 16 * max(1, workers))
        let done = try Parallel.ranges(order.count, workers: groups, minimumPerWorker: 1) { range -> [(Int, T)] in
            let geos = try GEOSContext()
            return try order[range].map { ($0, try body(geos, items[$0])) }
        }
        var out = [T?](repeating: nil, count: items.count)
        for group in done { for (i, t) in group { out[i] = t } }
        return out.map { $0! }
    }
}
