import GeoCore

/// Intersections of convex polygons without an overlay engine (Sutherland–Hodgman): the fast
/// path of §8, where parcels and land-use polygons are mostly convex (rectangles, quadrilaterals).
/// Two convex polygons meet in one convex polygon, so its area is that of a single connected
/// piece, which is what the sliver rule counts. Callers fall back to GEOS whenever a polygon
/// is not convex or a result is one a connected-piece rule could judge differently.
public enum ConvexClip {
    /// The polygon's shell without the closing vertex, counter-clockwise, when the geometry is a
    /// single polygon without holes whose shell is convex and simple (nil otherwise).
    static func convexRing(_ g: Geometry) -> [XY]? { convexRing(g, strict: false) }

    /// Whether the geometry is one polygon without holes whose shell turns the same way at every
    /// distinct vertex, never straight or back (no collinear vertex, no spike), and is simple:
    /// such a polygon is valid in the OGC sense without asking GEOS.
    public static func isStrictlyConvexPolygon(_ g: Geometry) -> Bool { convexRing(g, strict: true) != nil }

    /// `strict`: a straight or reversing turn (zero cross product) disqualifies.
    static func convexRing(_ g: Geometry, strict: Bool) -> [XY]? {
        guard case .polygon(let rings) = g, rings.count == 1 else { return nil }
        var pts: [XY] = []
        pts.reserveCapacity(rings[0].count)
        for p in rings[0].xy where pts.last != p { pts.append(p) }
        if pts.count > 1, pts.first == pts.last { pts.removeLast() }
        guard pts.count >= 3, pts.allSatisfy(\.isFinite) else { return nil }
        // Every turn the same way, and x changes direction at most twice (rules out stars).
        var sign = 0.0, xTurns = 0, lastDx = 0.0
        for i in pts.indices {
            let a = pts[i], b = pts[(i + 1) % pts.count], c = pts[(i + 2) % pts.count]
            let cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
            if cross != 0 {
                if sign == 0 { sign = cross > 0 ? 1 : -1 } else if (cross > 0) != (sign > 0) { return nil }
            } else if strict { return nil }
            let dx = b.x - a.x
            if dx != 0 { if lastDx != 0, (dx > 0) != (lastDx > 0) { xTurns += 1 }; lastDx = dx }
        }
        // Close the x-direction cycle: compare the last non-zero dx with the first.
        if let first = pts.indices.lazy.map({ pts[($0 + 1) % pts.count].x - pts[$0].x }).first(where: { $0 != 0 }),
           lastDx != 0, (first > 0) != (lastDx > 0) { xTurns += 1 }
        guard sign != 0, xTurns <= 2 else { return nil }
        return sign > 0 ? pts : pts.reversed()
    }

    /// The part of convex `subject` inside convex counter-clockwise `window`. Two buffers are
    /// swapped between the passes (one per window edge), so a clip allocates twice, not per edge.
    static func clip(_ subject: [XY], by window: [XY]) -> [XY] {
        var src = subject, dst: [XY] = []
        dst.reserveCapacity(subject.count + window.count)
        for i in window.indices {
            guard !src.isEmpty else { break }
            let a = window[i], b = window[(i + 1) % window.count]
            @inline(__always) func side(_ p: XY) -> Double { (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) }
            dst.removeAll(keepingCapacity: true)
            var prev = src[src.count - 1], sp = side(prev)
            for cur in src {
                let sc = side(cur)
                if sc >= 0 {
                    if sp < 0 { dst.append(crossing(prev, cur, sp, sc)) }
                    dst.append(cur)
                } else if sp > 0 {
                    dst.append(crossing(prev, cur, sp, sc))
                }
                prev = cur; sp = sc
            }
            swap(&src, &dst)
        }
        return src
    }

    @inline(__always) static func crossing(_ p: XY, _ q: XY, _ sp: Double, _ sq: Double) -> XY {
        let t = sp / (sp - sq)
        return XY(p.x + t * (q.x - p.x), p.y + t * (q.y - p.y))
    }

    /// Shoelace area of a ring given without its closing vertex, m² (non-negative).
    static func area(_ ring: [XY]) -> Double {
        guard ring.count >= 3 else { return 0 }
        var s = 0.0
        let o = ring[0]
        for i in 1..<(ring.count - 1) {
            s += (ring[i].x - o.x) * (ring[i + 1].y - o.y) - (ring[i + 1].x - o.x) * (ring[i].y - o.y)
        }
        return abs(s) / 2
    }

    /// Areas of `window ∩ polygons[i]` when every polygon is convex and no two pieces overlap
    /// (so the union's area is their sum); nil otherwise. Pieces with area below `tiny` but
    /// above zero make it nil too: whether such a piece is a separate sliver is for GEOS to say.
    static func pieceAreas(_ window: [XY], _ polygons: [Geometry], tiny: Double) -> [Double]? {
        pieceAreas(window, rings: polygons.map(convexRing), tiny: tiny)
    }

    /// The same on the polygons' convex rings as `convexRing` gives them (nil: not convex).
    static func pieceAreas(_ window: [XY], rings: [[XY]?], tiny: Double) -> [Double]? {
        var pieces: [[XY]] = [], areas: [Double] = []
        pieces.reserveCapacity(rings.count); areas.reserveCapacity(rings.count)
        for r in rings {
            guard let ring = r else { return nil }
            let piece = clip(ring, by: window)
            let a = area(piece)
            if a > 0 && a < tiny { return nil }
            areas.append(a)
            pieces.append(a > 0 ? piece : [])
        }
        // Overlapping pieces would be counted twice: leave that to GEOS's union.
        for i in pieces.indices where !pieces[i].isEmpty {
            for j in pieces.indices where j > i && !pieces[j].isEmpty && area(clip(pieces[j], by: pieces[i])) > 1e-9 * max(areas[i], areas[j]) {
                return nil
            }
        }
        return areas
    }
}
