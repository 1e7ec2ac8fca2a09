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
                for (role, code, zh, en) in [("beach", FindingCode.beachOffShoreline, "沙滩面", "beach polygon"),
                                             ("intertidal", FindingCode.intertidalOffShoreline, "潮间带面", "intertidal polygon")] {
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
                        out.append(ins.finding(code, layer: li, feature: f, at: try g.pointOnSurface().value().sequences.first?.xy.first, .init(
                            zh: "\(zh)距恢复岸线 \(fixed(d)) m，未与岸线相接（容差 \(fixed(touch)) m）",
                            en: "the \(en) lies \(fixed(d)) m from the restored shoreline, not touching it (tolerance \(fixed(touch)) m)")))
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
                        out.append(ins.finding(.dikeOffOriginal, layer: li, feature: f, at: try off.value().sequences.first?.xy.first, .init(
                            zh: "拆除后堤线有 \(fixed(len)) m 不在原堤线 \(fixed(tol)) m 范围内",
                            en: "\(fixed(len)) m of the dike after removal lies more than \(fixed(tol)) m from the original dike")))
                    }
                }
            }
            out += try parcelCover(ins, items("parcels"), landuse: ["landuse_before", "landuse_after"].map { ($0, items($0)) })
        } catch { out.append(ins.failure(error, layer: nil, feature: nil, what: "relations between layers")) }
        return out
    }

    /// Mangroves on the declared sea side of the seawall line (`declared.seaSide`, left or
    /// right of the line's direction).
    static func mangroveSide(_ ins: Inspection, _ wall: [(li: Int, f: Feature, g: GEOSGeometry)],
                             _ mangroves: [(li: Int, f: Feature, g: GEOSGeometry)]) throws -> [Finding] {
        guard !wall.isEmpty, !mangroves.isEmpty else { return [] }
        guard let side = ins.manifest?.declared["seaSide"]?.stringValue, side == "left" || side == "right" else {
            return [Finding(.seaSideUnknown, role: "mangrove", message: .init(
                zh: "未申报海侧（declared.seaSide：left/right），未核对红树林是否位于海堤外侧",
                en: "no sea side declared (declared.seaSide: left/right); whether the mangroves lie outside the seawall is not checked"))]
        }
        let parts = wall.flatMap { w in w.f.geometry.lineParts.map { CoordinateSequence($0.xy) } }
        var out: [Finding] = []
        for (li, f, g) in mangroves {
            guard let p = try g.pointOnSurface().value().sequences.first?.xy.first else { continue }
            guard let s = LineSide.side(of: p, relativeTo: parts)?.rawValue else { continue }
            if s != side {
                out.append(ins.finding(.mangroveLandward, layer: li, feature: f, at: p, .init(
                    zh: "红树林位于海堤线的\(s == "left" ? "左" : "右")侧（陆侧），申报海侧为\(side == "left" ? "左" : "右")侧：堤内红树林不计入（SW 第十九条第三项）",
                    en: "the mangrove lies on the \(s) (land) side of the seawall line, the declared sea side is \(side): mangroves inside the wall do not count (SW Art. 19(3))")))
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
                    out.append(ins.finding(.parcelOutsideLanduse, layer: li, feature: f, at: at, .init(
                        zh: "地块 \(fixed(a)) m²（共 \(fixed(total)) m²）不在“\(role)”图层覆盖范围内",
                        en: "\(fixed(a)) m² of the parcel's \(fixed(total)) m² lie outside the \(role) layer's coverage")))
                } else {
                    out.append(ins.finding(.landuseGap, layer: li, feature: f, at: at, .init(
                        zh: "地块内有 \(fixed(a)) m² 未被“\(role)”图层覆盖（地类缺失）",
                        en: "\(fixed(a)) m² inside the parcel have no land class in the \(role) layer (a gap)")))
                }
            }
        }
        return out
    }
}
