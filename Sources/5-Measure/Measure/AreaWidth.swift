import Foundation
import GeoCore
import GeometryAlgorithms

/// §2 cross-check: area width = Σ area(F ∩ C_k) / Σ L_k, where C_k is baseline part k buffered
/// by `h` with flat end caps (round joins, 8 segments per quarter circle). In metres.
///
/// Computed part by part of the dissolved feature, on all cores, without buffering the whole
/// baseline (on a 1000 km coast that single buffer and its overlay cost seconds):
/// - a part P farther than h from every segment of part k meets C_k in no area;
/// - a part P that every point of which provably lies inside C_k adds area(P): each vertex lies
///   within `d` of part k, every point of P within `e/2 + √(area/π)` of a vertex (half the
///   longest edge, and the radius of the largest disc P can hold), the sum stays below
///   `h·(cos(π/32) − 0.02)` (the chords of GEOS's round joins and its input simplification of
///   h/100), and both ends of part k lie farther than h from P's envelope (no flat cap near);
/// - otherwise area(P ∩ buffer(part k near P)) by GEOS, where "near" is the runs of part k
///   whose vertices' envelopes meet P's envelope grown by 2h. Points of P are covered only by
///   baseline points within h of P, all on those runs; the runs' cut ends lie farther than 2h
///   from P, so their flat caps remove nothing of P. This equals the whole-baseline formula.
public struct AreaWidthCheck: Sendable, Equatable {
    public var areaWidth: Double
    public var transectMean: Double
    /// (area width − transect mean) / transect mean; nil when the transect mean is 0.
    public var relativeDifference: Double?
    /// |relative difference| > `flagAbove` (default 20 %).
    public var flagged: Bool

    /// `feature`: polygons in the working CRS; `baseline`: line parts; `h`: half-length, m.
    public static func compute(feature: [Geometry], baseline: [CoordinateSequence], halfLength h: Double,
                               transectMean: Double, flagAbove: Double = 0.2, geos: GEOSContext) throws -> AreaWidthCheck {
        try compute(feature: DissolvedFeature(feature, geos: geos), baseline: baseline, halfLength: h, transectMean: transectMean,
                    flagAbove: flagAbove)
    }

    /// The same on a feature already dissolved (overlaps counted once).
    public static func compute(feature: DissolvedFeature, baseline: [CoordinateSequence], halfLength h: Double,
                               transectMean: Double, flagAbove: Double = 0.2) throws -> AreaWidthCheck {
        let corridor = Corridor(baseline.filter { $0.count >= 2 }, halfLength: h)
        // Parts of very different cost (a long beach beside small ones): balanced over the cores.
        let areas = try ParallelGeometry.mapBalanced(feature.parts, weight: \.coordinateCount) { geos, part in try corridor.area(of: part, geos: geos) }
        let area = areas.reduce(0, +)
        let length = corridor.parts.reduce(0) { $0 + $1.planarLength }
        let aw = length > 0 ? area / length : 0
        let rel = transectMean > 0 ? (aw - transectMean) / transectMean : nil
        return AreaWidthCheck(areaWidth: aw, transectMean: transectMean, relativeDifference: rel,
                              flagged: rel.map { abs($0) > flagAbove } ?? (aw > 0))
    }
}

/// The baseline parts with what `AreaWidthCheck` needs to find the parts near a polygon:
/// envelopes of runs of 32 segments, and a grid over the segments.
struct Corridor: Sendable {
    let parts: [CoordinateSequence]
    let h: Double
    static let chunk = 32
    /// Per part: envelope of vertices [32c, 32c + 32].
    let chunks: [[Envelope]]
    let grid: SegmentGrid
    static let style = BufferStyle(cap: .flat, join: .round, quadrantSegments: 8)

    init(_ parts: [CoordinateSequence], halfLength h: Double) {
        self.parts = parts; self.h = h
        chunks = parts.map { p in
            stride(from: 0, to: p.count - 1, by: Corridor.chunk).map { s in Envelope(of: p.xy[s...min(s + Corridor.chunk, p.count - 1)])! }
        }
        grid = SegmentGrid(lines: parts, cellSize: max(h / 4, 1e-6))
    }

    /// Σ_k area(P ∩ C_k) for one polygon part P.
    func area(of polygon: Geometry, geos: GEOSContext) throws -> Double {
        guard let rings = polygon.polygonParts.first, let shell = rings.first, let env = Envelope(of: shell.xy) else { return 0 }
        let near = env.expanded(by: 2 * h)
        var total = 0.0
        var made: GEOSGeometry? = nil
        for k in parts.indices {
            // Vertex runs of part k whose chunks meet P's envelope grown by 2h.
            var runs: [ClosedRange<Int>] = []
            for (c, e) in chunks[k].enumerated() where e.intersects(near) {
                let r = (c * Corridor.chunk)...min(c * Corridor.chunk + Corridor.chunk, parts[k].count - 1)
                if let last = runs.last, last.upperBound >= r.lowerBound { runs[runs.count - 1] = last.lowerBound...r.upperBound } else { runs.append(r) }
            }
            guard !runs.isEmpty else { continue }
            if covered(rings, envelope: env, byPart: k) { total += polygon.planarArea; continue }
            let line = try geos.make(.multiLineString(runs.map { CoordinateSequence(Array(parts[k].xy[$0])) }))
            if made == nil { made = try geos.make(polygon) }
            total += try made!.intersection(try line.buffer(h, style: Corridor.style)).area()
        }
        return total
    }

    /// Whether every point of the polygon provably lies inside GEOS's buffer of part k (see
    /// `AreaWidthCheck`); false means "not shown", and GEOS computes the overlay.
    func covered(_ rings: [CoordinateSequence], envelope env: Envelope, byPart k: Int) -> Bool {
        let line = parts[k].xy
        for end in [line[0], line[line.count - 1]] {
            let dx = max(env.minX - end.x, 0, end.x - env.maxX), dy = max(env.minY - end.y, 0, end.y - env.maxY)
            if dx * dx + dy * dy <= h * h { return false }
        }
        var longest = 0.0
        for r in rings { for i in r.xy.indices.dropFirst() { longest = max(longest, r.xy[i - 1].distance(to: r.xy[i])) } }
        let area = Geometry.polygon(rings).planarArea
        let budget = h * (cos(Double.pi / 32) - 0.02) - longest / 2 - (area / Double.pi).squareRoot()
        guard budget > 0 else { return false }
        for r in rings { for v in r.xy where !grid.hasSegment(ofLine: k, within: budget, of: v) { return false } }
        return true
    }
}
