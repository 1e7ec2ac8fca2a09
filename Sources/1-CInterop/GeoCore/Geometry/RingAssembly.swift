/// Builds polygons from the flat ring list of an ESRI shapefile record, where rings are told
/// apart by orientation: clockwise rings are exteriors, counter-clockwise rings are holes
/// (ESRI Shapefile Technical Description, 1998, p. 8).
///
/// Each hole goes to the smallest exterior that contains its first vertex not on the exterior's
/// boundary; a hole inside no exterior becomes an exterior of its own (reversed), as GDAL does,
/// so that no area is silently lost. Pure planar computation, no GEOS.
public enum RingAssembly {
    public static func polygons(fromShapefileRings rings: [CoordinateSequence]) -> [[CoordinateSequence]] {
        var shells: [(ring: CoordinateSequence, area: Double, holes: [CoordinateSequence])] = []
        var holes: [CoordinateSequence] = []
        for r in rings {
            let a = r.signedRingArea
            if a <= 0 { shells.append((r, -a, [])) } else { holes.append(r) }
        }
        if shells.isEmpty {   // all rings counter-clockwise: a writer that ignored the rule
            return rings.map { [$0] }
        }
        for h in holes {
            var best: Int? = nil
            for (i, s) in shells.enumerated() where contains(ring: s.ring.xy, anyVertexOf: h.xy) {
                if best == nil || s.area < shells[best!].area { best = i }
            }
            if let best { shells[best].holes.append(h) } else { shells.append((h.reversed, h.signedRingArea, [])) }
        }
        return shells.map { [$0.ring] + $0.holes }
    }

    /// Orders rings for writing a shapefile: exteriors clockwise, holes counter-clockwise.
    public static func shapefileRings(of polygon: [CoordinateSequence]) -> [CoordinateSequence] {
        polygon.enumerated().map { i, r in
            let ccw = r.signedRingArea > 0
            return (i == 0) == ccw ? r.reversed : r
        }
    }

    static func contains(ring: [XY], anyVertexOf other: [XY]) -> Bool {
        for p in other {
            switch pointInRing(p, ring) {
            case .inside: return true
            case .outside: return false
            case .boundary: continue
            }
        }
        return false
    }

    enum Location { case inside, outside, boundary }

    /// Crossing-number test with an exact boundary check.
    static func pointInRing(_ p: XY, _ ring: [XY]) -> Location {
        var inside = false
        guard ring.count > 2 else { return .outside }
        for i in 0..<(ring.count - 1) {
            let a = ring[i], b = ring[i + 1]
            let cross = (b.x - a.x) * (p.y - a.y) - (p.x - a.x) * (b.y - a.y)
            if cross == 0, min(a.x, b.x) <= p.x, p.x <= max(a.x, b.x), min(a.y, b.y) <= p.y, p.y <= max(a.y, b.y) {
                return .boundary
            }
            if (a.y > p.y) != (b.y > p.y) {
                let xAt = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                if p.x < xAt { inside.toggle() }
            }
        }
        return inside ? .inside : .outside
    }
}
