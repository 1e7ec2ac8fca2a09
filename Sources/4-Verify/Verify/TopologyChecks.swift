import Foundation
import GeoCore
import GeometryAlgorithms
import Rules
import Submission

/// Topology within a layer: overlaps where the role forbids them, and line parts that almost
/// join. Only features GEOS found valid take part.
enum TopologyChecks {
    /// Roles whose polygons must not overlap: an overlap would count an area twice (§8).
    static let exclusiveRoles: Set<String> = ["parcels", "landuse_before", "landuse_after"]
    /// Roles whose parts should join where they meet.
    static let joinedRoles: Set<String> = ["shoreline", "seawall_line", "dike_before", "dike_after"]

    static func run(_ ins: Inspection, valid: [[(Feature, GEOSGeometry)]]) -> [Finding] {
        var out: [Finding] = []
        for (li, layer) in ins.set.layers.enumerated() {
            if exclusiveRoles.contains(layer.role) { out += overlaps(ins, li, valid[li]) }
            if joinedRoles.contains(layer.role) { out += nearJoins(ins, li, valid[li]) }
        }
        return out
    }

    /// Pairs of polygons overlapping by more than the rulebook's tolerance (STRtree-limited).
    static func overlaps(_ ins: Inspection, _ li: Int, _ items: [(Feature, GEOSGeometry)]) -> [Finding] {
        guard items.count > 1 else { return [] }
        let tolerance = ins.rulebook.verification.overlap_m2.value
        var out: [Finding] = []
        do {
            let tree = try STRtree(items.map(\.1), context: ins.geos)
            for (i, (fi, gi)) in items.enumerated() {
                for j in try tree.query(gi) where j > i {
                    let (fj, gj) = items[j]
                    // Convex neighbours that only touch (the usual case) need no overlay.
                    if let a = OverlapArea.convexArea(parcel: fi.geometry, [fj.geometry]), a <= tolerance / 2 { continue }
                    let inter = try gi.intersection(gj)
                    let a = try inter.area()
                    guard a > tolerance else { continue }
                    let at = try inter.pointOnSurface().value().sequences.first?.xy.first
                    out.append(ins.finding(.overlap(record: fj.index, id: ins.featureId(ins.set.layers[li], fj), area: a), layer: li, feature: fi, at: at))
                }
            }
        } catch { out.append(ins.failure(error, layer: li, feature: nil, stage: .overlaps)) }
        return out
    }

    /// Ends of different line parts closer than the tolerance without meeting.
    static func nearJoins(_ ins: Inspection, _ li: Int, _ items: [(Feature, GEOSGeometry)]) -> [Finding] {
        let tolerance = ins.rulebook.verification.nearJoin_m.value
        var ends: [(feature: Feature, part: Int, p: XY)] = []
        for (f, _) in items {
            for (pi, part) in f.geometry.lineParts.enumerated() where part.count >= 2 {
                ends.append((f, pi, part.xy.first!)); ends.append((f, pi, part.xy.last!))
            }
        }
        // Sweep along x: only ends within the tolerance in x are compared.
        ends.sort { $0.p.x < $1.p.x }
        var out: [Finding] = []
        var reported = Set<[Int]>()
        for i in ends.indices {
            var j = i + 1
            while j < ends.count, ends[j].p.x - ends[i].p.x <= tolerance {
                let a = ends[i], b = ends[j]
                j += 1
                if a.feature.index == b.feature.index && a.part == b.part { continue }
                let d = ((a.p.x - b.p.x) * (a.p.x - b.p.x) + (a.p.y - b.p.y) * (a.p.y - b.p.y)).squareRoot()
                guard d > 0, d <= tolerance else { continue }
                let key = [a.feature.index, a.part, b.feature.index, b.part].sorted()
                guard reported.insert(key).inserted else { continue }
                out.append(ins.finding(.nearJoin(part: a.part, record: b.feature.index, otherPart: b.part, distance: d), layer: li, feature: a.feature, at: a.p))
            }
        }
        return out
    }
}
