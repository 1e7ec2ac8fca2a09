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
            vertexChecks(g, spikeDegrees: spike) { p.vertexFindings.append(.init(message: $0, at: $1)) }
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
        struct VertexFinding: Sendable { var message: FindingMessage; var at: XY? }
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
        func add(_ message: FindingMessage, _ at: XY?) {
            out.append(ins.finding(message, layer: li, feature: f, at: at))
        }
        if g.isEmpty {
            add(.empty, nil)
            return nil
        }
        if let (s, i) = g.firstNonFiniteCoordinate {
            let p = g.sequences[s].xy[i]
            out.append(ins.finding(.nonFinite(part: s, vertex: i, x: p.x, y: p.y), layer: li, feature: f, at: nil))
            return nil
        }
        let isLine = g.dimension == 1, isPolygon = g.dimension == 2
        if wantsLine ? !isLine : !isPolygon {
            add(.wrongType(found: g.typeName, role: ins.set.layers[li].role, wantsLine: wantsLine), g.sequences.first?.xy.first)
            return nil
        }
        // Rings and lines GEOS cannot even build.
        let buildable = canBuild(g, isPolygon: isPolygon, add: add)
        guard buildable else { return nil }
        if let pre { for x in pre.vertexFindings { add(x.message, x.at) } }
        else { vertexChecks(g, spikeDegrees: v.spikeAngle_deg.value, add: add) }

        let gg: GEOSGeometry
        do { gg = try ins.geos.make(g) } catch {
            out.append(ins.failure(error, layer: li, feature: f, stage: .geometryConstruction)); return nil
        }
        do {
            if isPolygon {
                // A strictly convex single ring (parcels, land-use rectangles) is valid: no need to ask GEOS.
                let report = ConvexClip.isStrictlyConvexPolygon(g) ? nil : try pre?.validity ?? gg.validity()
                if let report, !report.isValid {
                    add(.invalid(reason: report.reason ?? "invalid"), report.location)
                    return nil
                }
                areaChecks(g, sliverArea: v.sliverArea_m2.value, add: add)
            } else if try !(pre?.simple ?? gg.isSimple()) {
                add(.lineSelfIntersection, g.lineParts.first?.xy.first)
            }
        } catch {
            out.append(ins.failure(error, layer: li, feature: f, stage: .validity)); return nil
        }
        return gg
    }

    /// Rings with fewer than 4 points or not closed, and lines with fewer than 2 points: GEOS
    /// cannot build them. False when any is found (each is reported through `add`).
    static func canBuild(_ g: Geometry, isPolygon: Bool, add: (FindingMessage, XY?) -> Void) -> Bool {
        var buildable = true
        if isPolygon {
            for (pi, rings) in g.polygonParts.enumerated() {
                for (ri, r) in rings.enumerated() {
                    if r.count < 4 {
                        add(.ringTooFewPoints(polygon: pi, ring: ri, count: r.count), r.xy.first)
                        buildable = false
                    } else if !r.isClosed {
                        add(.ringNotClosed(polygon: pi, ring: ri), r.xy.last)
                        buildable = false
                    }
                }
            }
        } else {
            for (pi, part) in g.lineParts.enumerated() where part.count < 2 {
                add(.lineTooFewPoints(part: pi, count: part.count), part.xy.first)
                buildable = false
            }
        }
        return buildable
    }

    /// Polygons (shell minus holes) and holes under the sliver area.
    static func areaChecks(_ g: Geometry, sliverArea: Double, add: (FindingMessage, XY?) -> Void) {
        for (pi, rings) in g.polygonParts.enumerated() {
            let shell = abs(rings[0].signedRingArea)
            let holes = rings.dropFirst().map { abs($0.signedRingArea) }
            let area = shell - holes.reduce(0, +)
            if area < sliverArea {
                add(.sliver(polygon: pi, area: area, limit: sliverArea), rings[0].xy.first)
            }
            for (hi, a) in holes.enumerated() where a < sliverArea {
                add(.holeTooSmall(polygon: pi, hole: hi + 1, area: a, limit: sliverArea), rings[hi + 1].xy.first)
            }
        }
    }

    /// Consecutive duplicate vertices and spikes (a vertex where the outline turns back on itself).
    static func vertexChecks(_ g: Geometry, spikeDegrees: Double, add: (FindingMessage, XY?) -> Void) {
        let cosLimit = cos(spikeDegrees * .pi / 180)
        for (si, s) in g.sequences.enumerated() {
            let xy = s.xy
            var dups: [Int] = []
            for i in 1..<max(1, xy.count) where xy[i] == xy[i - 1] { dups.append(i) }
            if let first = dups.first {
                add(.duplicateVertices(sequence: si, count: dups.count, first: first), xy[first])
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
                    add(.spike(sequence: si, vertex: i, angle: spikeDegrees), p)
                    break
                }
            }
        }
    }
}
