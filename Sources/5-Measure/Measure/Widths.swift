import GeoCore

/// Width of a feature along one transect (§2).
public struct TransectWidth: Sendable, Equatable {
    public var transect: Transect
    /// Total length of `T_i ∩ F`, m (all pieces, both sides of the baseline).
    public var width: Double
    /// A piece reaches an end of the transect: the feature may be wider than `h`.
    public var truncated: Bool
    /// Diameter of a circle inside the feature centred on the transect's longest piece, m (0
    /// when none was computed): a lower bound on the feature's largest inscribed circle there.
    public var inscribedAtLeast: Double

    public init(transect: Transect, width: Double, truncated: Bool, inscribedAtLeast: Double = 0) {
        self.transect = transect; self.width = width; self.truncated = truncated; self.inscribedAtLeast = inscribedAtLeast
    }
}

/// Summary statistics of widths, m. Percentiles interpolate linearly between order statistics.
public struct WidthStatistics: Sendable, Equatable {
    public var count: Int
    public var mean, minimum, p10, median, maximum: Double
    /// Share of stations with `w_i > 0`.
    public var positiveShare: Double

    public init(_ w: [Double]) {
        count = w.count
        // The order statistics the percentiles need, found by selection (linear) rather than by
        // sorting: the same values as indexing the sorted widths.
        var s = w
        func q(_ p: Double) -> Double {
            guard !s.isEmpty else { return 0 }
            let r = p * Double(s.count - 1), lo = Int(r.rounded(.down)), hi = min(lo + 1, s.count - 1)
            let a = WidthStatistics.select(&s, lo), b = hi == lo ? a : s[(lo + 1)...].min()!
            return a + (r - Double(lo)) * (b - a)
        }
        mean = w.isEmpty ? 0 : w.reduce(0, +) / Double(w.count)
        minimum = w.min() ?? 0; maximum = w.max() ?? 0
        p10 = q(0.1); median = q(0.5)
        positiveShare = w.isEmpty ? 0 : Double(w.filter { $0 > 0 }.count) / Double(w.count)
    }

    /// The k-th smallest value (0-based) of `a`, which is reordered so that every element before
    /// k is ≤ it and every element after is ≥ it (quickselect, median-of-three pivots).
    static func select(_ a: inout [Double], _ k: Int) -> Double {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three as the pivot value.
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }
}

/// A maximal sequence of consecutive stations of one part with `w_i > 0` (§2).
public struct WidthRun: Sendable, Equatable {
    public var part: Int
    public var firstStation: Int
    public var stations: Int
    /// stations × L/n, m.
    public var length: Double
    /// Arc lengths where the run's first and last station stand for begin and end, m.
    public var from: Double, to: Double
    public var statistics: WidthStatistics
}

/// Measures `w_i` for every transect against a polygonal feature.
///
/// The feature's polygons are dissolved (overlaps count once), and each transect is clipped
/// against only the polygon edges near it (`EdgeGrid`): linear in the number of transects, and
/// the same lengths as a GEOS overlay. Transects that pass exactly through a vertex or along an
/// edge are measured with GEOS (`T ∩ F` against the STRtree-selected parts) instead.
public struct WidthMeasurer {
    let geos: GEOSContext
    let dissolved: DissolvedFeature
    let grid: EdgeGrid

    /// `feature`: the polygons of the feature in the working CRS. `cellSize`: grid cell in CRS
    /// units (default: from the mean edge length).
    public init(feature: [Geometry], geos: GEOSContext, cellSize: Double? = nil) throws {
        try self.init(dissolved: DissolvedFeature(feature, geos: geos), geos: geos, cellSize: cellSize)
    }

    /// From a feature already dissolved; GEOS geometries (for degenerate transects only) are
    /// made on `geos` when first needed.
    public init(dissolved: DissolvedFeature, geos: GEOSContext, cellSize: Double? = nil) throws {
        self.geos = geos
        self.dissolved = dissolved
        let rings = dissolved.parts.map { $0.polygonParts.first ?? [] }
        let edgeCount = max(1, rings.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } })
        let perimeter = rings.reduce(0.0) { $0 + $1.reduce(0) { $0 + $1.planarLength } }
        grid = EdgeGrid(parts: rings, cellSize: cellSize ?? max(1, 8 * perimeter / Double(edgeCount)))
    }

    /// `inscribed`: also find each transect's inscribed-circle lower bound (`inscribedAtLeast`,
    /// for the §3 segment check); false gives the widths and truncation alone (0 there).
    public func measure(_ transects: [Transect], inscribed: Bool = true) throws -> [TransectWidth] {
        try measureCountingFallbacks(transects, inscribed: inscribed).widths
    }

    /// The widths, and how many transects were degenerate for the edge clipper and went to GEOS.
    /// Clipping runs on all cores (the grid is a plain value; each worker has its own scratch);
    /// the degenerate transects are then measured with this measurer's GEOS context.
    public func measureCountingFallbacks(_ transects: [Transect], inscribed: Bool = true) throws -> (widths: [TransectWidth], geosFallbacks: Int) {
        let grid = self.grid
        let clipped = Parallel.ranges(transects.count, minimumPerWorker: 512) { range in
            var scratch = EdgeGrid.Scratch(grid)
            return grid.withView { view in
                range.map { i -> TransectWidth? in
                    let t = transects[i]
                    guard let c = view.clip(t.start, t.end, scratch: &scratch) else { return nil }
                    // The piece's ends lie on the boundary, so the circle at its middle is at most half as wide.
                    let circle = inscribed ? c.widest.map { a, b in
                        2 * view.distanceToEdges(XY((a.x + b.x) / 2, (a.y + b.y) / 2), limit: a.distance(to: b) / 2)
                    } ?? 0 : 0
                    return TransectWidth(transect: t, width: c.width, truncated: c.truncated, inscribedAtLeast: circle)
                }
            }
        }.joined()
        var geosFallbacks = 0
        var out: [TransectWidth] = []
        out.reserveCapacity(transects.count)
        var overlay: Overlay? = nil   // made for the first degenerate transect, if any
        for (t, w) in zip(transects, clipped) {
            if let w { out.append(w); continue }
            geosFallbacks += 1
            if overlay == nil { overlay = try Overlay(dissolved, geos: geos) }
            out.append(try overlay!.measure(t, geos: geos))
        }
        return (out, geosFallbacks)
    }

    /// The GEOS overlay for one transect: total length of `T ∩ F` over the parts its envelope
    /// meets, and whether a piece touches an end.
    public func measureWithGEOS(_ t: Transect) throws -> TransectWidth { try Overlay(dissolved, geos: geos).measure(t, geos: geos) }

    /// The dissolved parts as GEOS geometries (owned by `geos`) with an STRtree.
    struct Overlay {
        let parts: [GEOSGeometry]
        let tree: STRtree
        init(_ dissolved: DissolvedFeature, geos: GEOSContext) throws {
            parts = try dissolved.geosParts(geos)
            tree = try STRtree(parts, context: geos)
        }

        func measure(_ t: Transect, geos: GEOSContext) throws -> TransectWidth {
            let line = try geos.make(.lineString([t.start, t.end]))
            var width = 0.0
            var truncated = false
            var ends: [GEOSGeometry]? = nil   // built only for transects that meet the feature
            for i in try tree.query(line) {
                let piece = try parts[i].intersection(line)
                let length = try piece.length()
                width += length
                guard !truncated, length > 0 else { continue }
                if ends == nil { ends = [try geos.make(.point(t.start.x, t.start.y)), try geos.make(.point(t.end.x, t.end.y))] }
                truncated = try ends!.contains { try parts[i].intersects($0) }
            }
            return TransectWidth(transect: t, width: width, truncated: truncated)
        }
    }

    /// Runs of positive width, part by part (a run never continues into the next part).
    public static func runs(_ widths: [TransectWidth]) -> [WidthRun] {
        var out: [WidthRun] = []
        var current: [TransectWidth] = []
        func close() {
            guard let f = current.first, let l = current.last else { return }
            let step = f.transect.stationLength
            out.append(WidthRun(part: f.transect.part, firstStation: f.transect.station, stations: current.count,
                                length: Double(current.count) * step, from: f.transect.arcLength - step / 2,
                                to: l.transect.arcLength + step / 2, statistics: WidthStatistics(current.map(\.width))))
            current = []
        }
        for w in widths {
            if let last = current.last, last.transect.part != w.transect.part || last.transect.station + 1 != w.transect.station { close() }
            if w.width > 0 { current.append(w) } else { close() }
        }
        close()
        return out
    }
}
