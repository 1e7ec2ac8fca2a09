import GeoCore
import GeometryAlgorithms

/// A polygonal feature dissolved into parts that do not overlap (§2: an overlap counts once),
/// in the working CRS.
///
/// The same parts as `GEOSContext.unaryUnion(feature)` (up to part order and ring start), without
/// one overlay of the whole layer: polygons are grouped by envelope contact (`EnvelopeIndex`),
/// GEOS decides which of those pairs actually meet (`GEOSIntersects`), and only groups that meet
/// are unioned. A polygon that meets no other is its own part once GEOS finds it valid; an
/// invalid one goes through the union like any group, so GEOS refuses or repairs it exactly as a
/// whole-layer union would. The cost is linear in the number of polygons when they lie mostly
/// apart (beach strips, mangrove belts), where the whole-layer union is the slowest step of §2.
public struct DissolvedFeature: Sendable, Equatable {
    /// Polygons (`.polygon`, shell first), pairwise without common interior.
    public let parts: [Geometry]

    public init(parts: [Geometry]) { self.parts = parts }

    /// Dissolves `feature` (polygons and multipolygons; other types go through GEOS's union).
    /// `knownValid`: every polygon of `feature` is already known valid to GEOS (verification
    /// checked the same coordinates and found no `GEOM.INVALID`), so a polygon that meets no
    /// other is kept without asking GEOS again; the parts are the same.
    public init(_ feature: [Geometry], geos: GEOSContext, knownValid: Bool = false) throws {
        var polygons: [[CoordinateSequence]] = []
        for g in feature {
            switch g {
            case .polygon(let rings) where !rings.isEmpty: polygons.append(rings)
            case .multiPolygon(let ps): polygons += ps.filter { !$0.isEmpty }
            case .polygon: continue
            default:   // not polygonal: the whole-layer union, as before
                self.init(parts: try DissolvedFeature.union(feature.map { try geos.make($0) }, geos: geos)); return
            }
        }
        let made = try polygons.map { try geos.make(.polygon($0)) }
        let envelopes = polygons.map { Envelope(of: $0[0].xy) ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) }
        // Groups of polygons that meet, by union–find over envelope-candidate pairs.
        var parent = Array(polygons.indices)
        func root(_ i: Int) -> Int { var i = i; while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }; return i }
        let index = EnvelopeIndex(envelopes)
        for i in polygons.indices {
            for j in index.query(envelopes[i]) where j > i && root(i) != root(j) {
                if try made[i].intersects(made[j]) { parent[root(j)] = root(i) }
            }
        }
        var groups: [Int: [Int]] = [:]
        for i in polygons.indices { groups[root(i), default: []].append(i) }
        // A polygon that meets no other is kept when GEOS finds it valid: those checks run on
        // all cores (one context per worker).
        let alone = polygons.indices.filter { root($0) == $0 && groups[$0]!.count == 1 }
        let validAlone = knownValid ? Set(alone) : Set(zip(alone, try ParallelGeometry.map(alone.map { Geometry.polygon(polygons[$0]) }) { ctx, g in
            try ctx.make(g).validity().isValid
        }).filter(\.1).map(\.0))
        var out: [Geometry] = []
        for first in polygons.indices where root(first) == first {
            let members = groups[first]!
            if members.count == 1, validAlone.contains(first) {
                out.append(.polygon(polygons[first]))
            } else {
                out += try DissolvedFeature.union(members.map { made[$0] }, geos: geos)
            }
        }
        self.init(parts: out)
    }

    /// GEOS's cascaded union, exploded into polygons.
    static func union(_ gs: [GEOSGeometry], geos: GEOSContext) throws -> [Geometry] {
        guard !gs.isEmpty else { return [] }
        return try geos.unaryUnion(gs).value().polygonParts.filter { !$0.isEmpty }.map { .polygon($0) }
    }

    /// The parts as GEOS geometries owned by `geos` (for overlays and the STRtree).
    public func geosParts(_ geos: GEOSContext) throws -> [GEOSGeometry] { try parts.map { try geos.make($0) } }
}
