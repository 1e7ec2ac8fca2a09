import Foundation
import GeoCore
import Rules
import GeometryAlgorithms
import Submission

/// Relations across layers that the rules rely on: the beach and the intertidal zone touch the
/// restored shoreline (SW Art. 19(1)–(2)); mangroves grow outside the seawall (SW Art. 19(3));
/// remaining dike lies on the original dike (SW Art. 19(5)); parcels lie inside the land-use
/// layers' coverage, without gaps (JY Art. 19, measurement-methods §8).
enum RelationChecks {
    static func run(_ ins: Inspection, valid: [[(Feature, GEOSGeometry)]]) -> [Finding] {
        var out: [Finding] = []
        func items(_ role: String) -> [(li: Int, f: Feature, g: GEOSGeometry)] {
            ins.set.layers.indices.filter { ins.set.layers[$0].role == role }.flatMap { li in valid[li].map { (li, $0.0, $0.1) } }
        }
        func union(_ role: String) throws -> GEOSGeometry? {
            let all = items(role).map(\.g)
            return all.isEmpty ? nil : try ins.geos.unaryUnion(all)
        }
        let touch = ins.rulebook.verification.touch_m.value
        do {
            // Distances from each polygon to the nearest shoreline feature, on all cores: each
            // worker prepares (indexes) the lines once in its own GEOS context, so distances from
            // many polygons to a long coast stay linear. The lines need no union (which would
            // node every vertex of the coast): the distance to them is the least to any.
            let lines = items("shoreline").map { $0.f.geometry }
            if !lines.isEmpty {
                // Beach (SW Art. 19(1)) and intertidal zone (19(2)) must touch the restored shoreline.
                for role in ["beach", "intertidal"] {
                    let polygons = items(role)
                    let shapes = polygons.map { $0.f.geometry }
                    let distances = Array(try Parallel.ranges(shapes.count, minimumPerWorker: 64) { range throws -> [Double] in
                        let geos = try GEOSContext()
                        let prepared = try lines.map { try PreparedGeometry(try geos.make($0)) }
                        return try range.map { i in
                            let g = try geos.make(shapes[i])
                            return try prepared.map { try $0.distance(to: g) }.min()!
                        }
                    }.joined())
                    for ((li, f, g), d) in zip(polygons, distances) where d > touch {
                        out.append(ins.finding(.offShoreline(role: role, distance: d, tolerance: touch), layer: li, feature: f, at: try g.pointOnSurface().value().sequences.first?.xy.first))
                    }
                }
            }
            out += try mangroveSide(ins, items("seawall_line"), items("mangrove"))
            if let before = try union("dike_before") {
                let tol = ins.rulebook.verification.dikeOnOriginal_m.value
                let corridor = try before.buffer(tol)
                for (li, f, g) in items("dike_after") {
                    let off = try g.difference(corridor)
                    let len = try off.length()
                    if len > tol {
                        out.append(ins.finding(.dikeOffOriginal(length: len, tolerance: tol), layer: li, feature: f, at: try off.value().sequences.first?.xy.first))
                    }
                }
            }
            out += try parcelCover(ins, items("parcels"), landuse: ["landuse_before", "landuse_after"].map { ($0, items($0)) })
        } catch { out.append(ins.failure(error, layer: nil, feature: nil, stage: .relations)) }
        return out
    }

    /// Mangroves on the declared sea side of the seawall line (`declared.seaSide`, left or
    /// right of the line's direction).
    static func mangroveSide(_ ins: Inspection, _ wall: [(li: Int, f: Feature, g: GEOSGeometry)],
                             _ mangroves: [(li: Int, f: Feature, g: GEOSGeometry)]) throws -> [Finding] {
        guard !wall.isEmpty, !mangroves.isEmpty else { return [] }
        guard let side = ins.manifest?.declared["seaSide"]?.stringValue, side == "left" || side == "right" else {
            return [Finding(.seaSideUnknown, role: "mangrove")]
        }
        let parts = wall.flatMap { w in w.f.geometry.lineParts.map { CoordinateSequence($0.xy) } }
        var out: [Finding] = []
        for (li, f, g) in mangroves {
            guard let p = try g.pointOnSurface().value().sequences.first?.xy.first else { continue }
            guard let s = LineSide.side(of: p, relativeTo: parts)?.rawValue else { continue }
            if s != side {
                out.append(ins.finding(.mangroveLandward(side: s, declared: side), layer: li, feature: f, at: p))
            }
        }
        return out
    }

    /// Parcels against each land-use layer's coverage: mostly outside, or with gaps.
    static func parcelCover(_ ins: Inspection, _ parcels: [(li: Int, f: Feature, g: GEOSGeometry)],
                            landuse: [(String, [(li: Int, f: Feature, g: GEOSGeometry)])]) throws -> [Finding] {
        var out: [Finding] = []
        let sliver = ins.rulebook.verification.sliverArea_m2.value
        for (role, lu) in landuse where !lu.isEmpty {
            let tree = try STRtree(lu.map(\.g), context: ins.geos)
            for (li, f, g) in parcels {
                let nearIndices = try tree.query(g)
                // Convex parcels covered by convex land use (the usual case) need no overlay.
                if let covered = OverlapArea.convexArea(parcel: f.geometry, nearIndices.map { lu[$0].f.geometry }),
                   f.geometry.planarArea - covered <= sliver / 2 { continue }
                let near = nearIndices.map { lu[$0].g }
                let uncovered = near.isEmpty ? g : try g.difference(try ins.geos.unaryUnion(near))
                let a = try uncovered.area(), total = try g.area()
                guard a > sliver else { continue }
                let at = try uncovered.pointOnSurface().value().sequences.first?.xy.first
                if a >= 0.5 * total {
                    out.append(ins.finding(.parcelOutsideLanduse(role: role, area: a, total: total), layer: li, feature: f, at: at))
                } else {
                    out.append(ins.finding(.landuseGap(role: role, area: a), layer: li, feature: f, at: at))
                }
            }
        }
        return out
    }
}
