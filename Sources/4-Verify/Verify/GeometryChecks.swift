import Foundation
import GeoCore
import GeometryAlgorithms
import Rules
import Submission

/// Geometry of each feature: type for the role, empty, non-finite, unclosed or too-short
/// rings, duplicate vertices, spikes, GEOS validity (with its reason and point), slivers and
/// tiny holes. Returns the features GEOS accepts as valid, for the topology and relation checks.
enum GeometryChecks {
    struct Checked {
        /// Per layer: (feature, its GEOS geometry) for every valid feature.
        var valid: [[(Feature, GEOSGeometry)]]
        var findings: [Finding]
    }

    static func run(_ ins: Inspection) -> Checked {
        var out = Checked(valid: [], findings: [])
        let layers = ins.set.layers
        let wantsLine = layers.map { ins.vocabulary.lineRoles.contains($0.role) }
        // What can be found for each feature alone — GEOS validity of polygons, simplicity of
        // lines, duplicate vertices and spikes — for every feature of every layer at once, on all
        // cores (`mapBalanced`: a coast that is one long line is checked beside the polygons, not
        // alone on one core). `check` uses these when it gets that far; an answer GEOS could not
        // give there is asked for again by `check` itself, which also reports any GEOS failure.
        let spike = ins.rulebook.verification.spikeAngle_deg.value
        let items = layers.indices.flatMap { li in layers[li].working.features.map { (line: wantsLine[li], geometry: $0.geometry) } }
        let pre = (try? ParallelGeometry.mapBalanced(items, weight: { $0.geometry.coordinateCount }) { geos, item -> Precheck in
            let g = item.geometry
            var p = Precheck()
            vertexChecks(g, spikeDegrees: spike) { p.vertexFindings.append(.init(code: $0, at: $1, zh: $2, en: $3)) }
            guard !g.isEmpty, g.firstNonFiniteCoordinate == nil else { return p }
            if !item.line, g.dimension == 2, !ConvexClip.isStrictlyConvexPolygon(g) { p.validity = try? geos.make(g).validity() }
            if item.line, g.dimension == 1 { p.simple = try? geos.make(g).isSimple() }
            return p
        }) ?? []
        var k = 0
        for (li, layer) in layers.enumerated() {
            var valid: [(Feature, GEOSGeometry)] = []
            for f in layer.working.features {
                if let g = check(ins, li, f, wantsLine: wantsLine[li], pre: k < pre.count ? pre[k] : nil, into: &out.findings) {
                    valid.append((f, g))
                }
                k += 1
            }
            out.valid.append(valid)
        }
        return out
    }

    /// What `run` finds for a feature on all cores before checking it in order.
    struct Precheck: Sendable {
        struct VertexFinding: Sendable { var code: FindingCode; var at: XY?; var zh: String; var en: String }
        var vertexFindings: [VertexFinding] = []
        var validity: ValidityReport?
        var simple: Bool?
    }

    /// Checks one feature; returns its GEOS geometry when it is valid. `pre`: what was already
    /// found for it (vertex findings always; GEOS answers when they could be computed).
    static func check(_ ins: Inspection, _ li: Int, _ f: Feature, wantsLine: Bool, pre: Precheck? = nil,
                      into out: inout [Finding]) -> GEOSGeometry? {
        let g = f.geometry
        let v = ins.rulebook.verification
        func add(_ code: FindingCode, _ at: XY?, _ zh: String, _ en: String) {
            out.append(ins.finding(code, layer: li, feature: f, at: at, .init(zh: zh, en: en)))
        }
        if g.isEmpty {
            add(.empty, nil, "空几何（没有坐标）", "empty geometry (no coordinates)")
            return nil
        }
        if let (s, i) = g.firstNonFiniteCoordinate {
            let p = g.sequences[s].xy[i]
            out.append(Finding(.nonFinite, role: ins.set.layers[li].role, layer: ins.file(ins.set.layers[li]), featureIndex: f.index,
                               featureId: ins.featureId(ins.set.layers[li], f),
                               message: .init(zh: "第 \(s) 部分第 \(i) 个顶点坐标不是有限数（\(p.x), \(p.y)）",
                                              en: "vertex \(i) of part \(s) has a non-finite coordinate (\(p.x), \(p.y))")))
            return nil
        }
        let isLine = g.dimension == 1, isPolygon = g.dimension == 2
        if wantsLine ? !isLine : !isPolygon {
            add(.wrongType, g.sequences.first?.xy.first, "几何类型为 \(g.typeName)，“\(ins.set.layers[li].role)”图层应为\(wantsLine ? "线" : "面")",
                "geometry is \(g.typeName); a \(ins.set.layers[li].role) layer holds \(wantsLine ? "lines" : "polygons")")
            return nil
        }
        // Rings and lines GEOS cannot even build.
        let buildable = canBuild(g, isPolygon: isPolygon, add: add)
        guard buildable else { return nil }
        if let pre { for x in pre.vertexFindings { add(x.code, x.at, x.zh, x.en) } }
        else { vertexChecks(g, spikeDegrees: v.spikeAngle_deg.value, add: add) }

        let gg: GEOSGeometry
        do { gg = try ins.geos.make(g) } catch {
            out.append(ins.failure(error, layer: li, feature: f, what: "geometry construction")); return nil
        }
        do {
            if isPolygon {
                // A strictly convex single ring (parcels, land-use rectangles) is valid: no need to ask GEOS.
                let report = ConvexClip.isStrictlyConvexPolygon(g) ? nil : try pre?.validity ?? gg.validity()
                if let report, !report.isValid {
                    let reason = report.reason ?? "invalid"
                    let code = code(forValidityReason: reason)
                    add(code, report.location, "几何无效（GEOS：\(reason)）", "invalid geometry (GEOS: \(reason))")
                    return nil
                }
                areaChecks(g, sliverArea: v.sliverArea_m2.value, add: add)
            } else if try !(pre?.simple ?? gg.isSimple()) {
                add(.lineSelfIntersection, g.lineParts.first?.xy.first, "线自相交（或各部分相互交叉）", "the line intersects itself (or its parts cross)")
            }
        } catch {
            out.append(ins.failure(error, layer: li, feature: f, what: "validity")); return nil
        }
        return gg
    }

    /// Rings with fewer than 4 points or not closed, and lines with fewer than 2 points: GEOS
    /// cannot build them. False when any is found (each is reported through `add`).
    static func canBuild(_ g: Geometry, isPolygon: Bool, add: (FindingCode, XY?, String, String) -> Void) -> Bool {
        var buildable = true
        if isPolygon {
            for (pi, rings) in g.polygonParts.enumerated() {
                for (ri, r) in rings.enumerated() {
                    if r.count < 4 {
                        add(.tooFewPoints, r.xy.first, "第 \(pi) 个面第 \(ri) 个环只有 \(r.count) 个点（至少 4 个）",
                            "ring \(ri) of polygon \(pi) has \(r.count) points (at least 4)")
                        buildable = false
                    } else if !r.isClosed {
                        add(.ringNotClosed, r.xy.last, "第 \(pi) 个面第 \(ri) 个环未闭合：首点与末点不同",
                            "ring \(ri) of polygon \(pi) is not closed: its first and last points differ")
                        buildable = false
                    }
                }
            }
        } else {
            for (pi, part) in g.lineParts.enumerated() where part.count < 2 {
                add(.tooFewPoints, part.xy.first, "第 \(pi) 条线只有 \(part.count) 个点", "line part \(pi) has \(part.count) point(s)")
                buildable = false
            }
        }
        return buildable
    }

    /// Polygons (shell minus holes) and holes under the sliver area.
    static func areaChecks(_ g: Geometry, sliverArea: Double, add: (FindingCode, XY?, String, String) -> Void) {
        for (pi, rings) in g.polygonParts.enumerated() {
            let shell = abs(rings[0].signedRingArea)
            let holes = rings.dropFirst().map { abs($0.signedRingArea) }
            let area = shell - holes.reduce(0, +)
            if area < sliverArea {
                add(.sliver, rings[0].xy.first, "第 \(pi) 个面面积 \(fixed(area, 4)) m²，小于 \(fixed(sliverArea)) m²（碎片）",
                    "polygon \(pi) has an area of \(fixed(area, 4)) m², under \(fixed(sliverArea)) m² (a sliver)")
            }
            for (hi, a) in holes.enumerated() where a < sliverArea {
                add(.ringTooSmall, rings[hi + 1].xy.first, "第 \(pi) 个面的第 \(hi + 1) 个内环面积 \(fixed(a, 4)) m²，小于 \(fixed(sliverArea)) m²",
                    "hole \(hi + 1) of polygon \(pi) has an area of \(fixed(a, 4)) m², under \(fixed(sliverArea)) m²")
            }
        }
    }

    /// The finding code for a GEOS validity reason; reasons without a narrower code (and any
    /// a later GEOS adds) are `GEOM.INVALID`.
    static func code(forValidityReason reason: String) -> FindingCode {
        if reason.containsIgnoringCase("self-intersection") { return .selfIntersection }
        if reason.containsIgnoringCase("too few") { return .tooFewPoints }
        if ["nested", "hole", "disconnected", "shell"].contains(where: { reason.containsIgnoringCase($0) }) { return .ringTopology }
        return .invalid
    }

    /// Consecutive duplicate vertices and spikes (a vertex where the outline turns back on itself).
    static func vertexChecks(_ g: Geometry, spikeDegrees: Double, add: (FindingCode, XY?, String, String) -> Void) {
        let cosLimit = cos(spikeDegrees * .pi / 180)
        for (si, s) in g.sequences.enumerated() {
            let xy = s.xy
            var dups: [Int] = []
            for i in 1..<max(1, xy.count) where xy[i] == xy[i - 1] { dups.append(i) }
            if let first = dups.first {
                add(.duplicateVertex, xy[first], "第 \(si) 条坐标串有 \(dups.count) 处重复顶点（首处在第 \(first) 个顶点）",
                    "sequence \(si) has \(dups.count) repeated consecutive vertices (first at vertex \(first))")
            }
            // Distinct vertices; a closed ring wraps around.
            var pts: [XY] = []
            for p in xy where pts.last != p { pts.append(p) }
            let ring = s.isClosed && pts.count > 3
            if ring { pts.removeLast() }
            guard pts.count >= 3 else { continue }
            let range = ring ? 0..<pts.count : 1..<(pts.count - 1)
            for i in range {
                let p = pts[i], a = pts[(i - 1 + pts.count) % pts.count], b = pts[(i + 1) % pts.count]
                let u = XY(a.x - p.x, a.y - p.y), w = XY(b.x - p.x, b.y - p.y)
                let nu = (u.x * u.x + u.y * u.y).squareRoot(), nw = (w.x * w.x + w.y * w.y).squareRoot()
                guard nu > 0, nw > 0 else { continue }
                if (u.x * w.x + u.y * w.y) / (nu * nw) > cosLimit {
                    add(.spike, p, "第 \(si) 条坐标串在第 \(i) 个顶点处折返（夹角小于 \(fixed(spikeDegrees, 1))°，尖刺）",
                        "sequence \(si) turns back at vertex \(i) (angle under \(fixed(spikeDegrees, 1))°: a spike)")
                    break
                }
            }
        }
    }
}
