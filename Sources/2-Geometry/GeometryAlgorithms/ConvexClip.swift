import GeoCore

/// Intersections of convex polygons without an overlay engine (Sutherland–Hodgman): the fast
/// path of §8, where parcels and land-use polygons are mostly convex (rectangles, quadrilaterals).
/// Two convex polygons meet in one convex polygon, so its area is that of a single connected
/// piece, which is what the sliver rule counts. Callers fall back to GEOS whenever a polygon
/// is not convex or a result is one a connected-piece rule could judge differently.
///
/// The work is done on buffers (`Scratch`, `ConvexRings`) so that measuring many parcels
/// allocates nothing per clip; the array-returning functions are thin wrappers for single uses.
public enum ConvexClip {
    /// The polygon's shell without the closing vertex, counter-clockwise, when the geometry is a
    /// single polygon without holes whose shell is convex and simple (nil otherwise).
    public static func convexRing(_ g: Geometry) -> [XY]? { convexRing(g, strict: false) }

    /// Whether the geometry is one polygon without holes whose shell turns the same way at every
    /// distinct vertex, never straight or back (no collinear vertex, no spike), and is simple:
    /// such a polygon is valid in the OGC sense without asking GEOS.
    public static func isStrictlyConvexPolygon(_ g: Geometry) -> Bool { convexRing(g, strict: true) != nil }

    /// `strict`: a straight or reversing turn (zero cross product) disqualifies.
    public static func convexRing(_ g: Geometry, strict: Bool) -> [XY]? {
        var out: [XY] = []
        return appendConvexRing(g, strict: strict, to: &out) ? out : nil
    }

    /// Appends the convex ring of `g` (as `convexRing` gives it) to `out` and returns true, or
    /// leaves `out` as it was and returns false when `g` is not a convex polygon.
    public static func appendConvexRing(_ g: Geometry, strict: Bool, to out: inout [XY]) -> Bool {
        guard case .polygon(let rings) = g, rings.count == 1 else { return false }
        let start = out.count
        for p in rings[0].xy where out.count == start || out[out.count - 1] != p { out.append(p) }
        if out.count - start > 1, out[start] == out[out.count - 1] { out.removeLast() }
        let n = out.count - start
        func refuse() -> Bool { out.removeSubrange(start...); return false }
        guard n >= 3 else { return refuse() }
        // Every turn the same way, and x changes direction at most twice (rules out stars).
        var sign = 0.0, xTurns = 0, lastDx = 0.0, firstDx = 0.0
        for i in 0..<n {
            let a = out[start + i], b = out[start + (i + 1) % n], c = out[start + (i + 2) % n]
            guard a.isFinite else { return refuse() }
            let cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x)
            if cross != 0 {
                if sign == 0 { sign = cross > 0 ? 1 : -1 } else if (cross > 0) != (sign > 0) { return refuse() }
            } else if strict { return refuse() }
            let dx = b.x - a.x
            if dx != 0 {
                if firstDx == 0 { firstDx = dx }
                if lastDx != 0, (dx > 0) != (lastDx > 0) { xTurns += 1 }
                lastDx = dx
            }
        }
        // Close the x-direction cycle: compare the last non-zero dx with the first.
        if firstDx != 0, lastDx != 0, (firstDx > 0) != (lastDx > 0) { xTurns += 1 }
        guard sign != 0, xTurns <= 2 else { return refuse() }
        if sign < 0 { out[start...].reverse() }
        return true
    }

    /// Buffers one task reuses for its clips: after a few parcels they stop growing.
    public struct Scratch {
        public var src: [XY] = [], dst: [XY] = []
        /// Pieces of the last `pieceAreas` call, one after another (`pieceEnds`), and their areas.
        public var pieces: [XY] = [], pieceEnds: [Int] = [], areas: [Double] = []
        /// A second pair of clip buffers for the overlap test between pieces.
        public var src2: [XY] = [], dst2: [XY] = []
        /// Grouping by class (`ParcelClassAreas.compute`): the polygons of one class, the classes seen.
        public var members: [Int] = [], seen: [String] = []
        public init() {}
    }

    /// The part of convex `subject` inside convex counter-clockwise `window`, left in `src`
    /// (`dst` is work space). No allocation once the buffers have grown.
    public static func clip(_ subject: UnsafeBufferPointer<XY>, by window: UnsafeBufferPointer<XY>, src: inout [XY], dst: inout [XY]) {
        src.removeAll(keepingCapacity: true)
        src.append(contentsOf: subject)
        for i in 0..<window.count {
            guard !src.isEmpty else { break }
            let a = window[i], b = window[i + 1 == window.count ? 0 : i + 1]
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
    }

    /// The part of convex `subject` inside convex counter-clockwise `window`.
    public static func clip(_ subject: [XY], by window: [XY]) -> [XY] {
        var src: [XY] = [], dst: [XY] = []
        subject.withUnsafeBufferPointer { s in window.withUnsafeBufferPointer { w in clip(s, by: w, src: &src, dst: &dst) } }
        return src
    }

    @inline(__always) static func crossing(_ p: XY, _ q: XY, _ sp: Double, _ sq: Double) -> XY {
        let t = sp / (sp - sq)
        return XY(p.x + t * (q.x - p.x), p.y + t * (q.y - p.y))
    }

    /// Shoelace area of a ring given without its closing vertex, m² (non-negative).
    public static func area<C: RandomAccessCollection>(_ ring: C) -> Double where C.Element == XY, C.Index == Int {
        guard ring.count >= 3 else { return 0 }
        var s = 0.0
        let f = ring.startIndex, o = ring[f]
        for i in (f + 1)..<(ring.endIndex - 1) {
            s += (ring[i].x - o.x) * (ring[i + 1].y - o.y) - (ring[i + 1].x - o.x) * (ring[i].y - o.y)
        }
        return abs(s) / 2
    }

    /// Areas of `window ∩ polygons[i]` when every polygon is convex and no two pieces overlap
    /// (so the union's area is their sum); nil otherwise. Pieces with area below `tiny` but
    /// above zero make it nil too: whether such a piece is a separate sliver is for GEOS to say.
    public static func pieceAreas(_ window: [XY], _ polygons: [Geometry], tiny: Double) -> [Double]? {
        pieceAreas(window, rings: polygons.map(convexRing), tiny: tiny)
    }

    /// The same on the polygons' convex rings as `convexRing` gives them (nil: not convex).
    public static func pieceAreas(_ window: [XY], rings: [[XY]?], tiny: Double) -> [Double]? {
        let table = ConvexRings(rings)
        var scratch = Scratch()
        let ok = window.withUnsafeBufferPointer { w in
            pieceAreas(w, count: rings.count, ring: { k, body in table.withRing(k, body) }, tiny: tiny, scratch: &scratch)
        }
        return ok ? scratch.areas : nil
    }

    /// The shared body: `count` rings, the k-th handed by `ring(k, body)` to `body` (nil: not
    /// convex). On true, `scratch.areas` holds the piece areas in ring order.
    public static func pieceAreas(_ window: UnsafeBufferPointer<XY>, count: Int,
                           ring: (Int, (UnsafeBufferPointer<XY>?) -> Bool) -> Bool, tiny: Double, scratch: inout Scratch) -> Bool {
        scratch.pieces.removeAll(keepingCapacity: true); scratch.pieceEnds.removeAll(keepingCapacity: true)
        scratch.areas.removeAll(keepingCapacity: true)
        var nonEmpty = 0
        for k in 0..<count {
            let ok = ring(k) { r in
                guard let r else { return false }
                clip(r, by: window, src: &scratch.src, dst: &scratch.dst)
                let a = area(scratch.src)
                if a > 0 && a < tiny { return false }
                scratch.areas.append(a)
                if a > 0 { scratch.pieces.append(contentsOf: scratch.src); nonEmpty += 1 }
                scratch.pieceEnds.append(scratch.pieces.count)
                return true
            }
            if !ok { return false }
        }
        guard nonEmpty > 1 else { return true }
        // Overlapping pieces would be counted twice: leave that to GEOS's union.
        let pieces = scratch.pieces, ends = scratch.pieceEnds, areas = scratch.areas
        return pieces.withUnsafeBufferPointer { all in
            func piece(_ i: Int) -> UnsafeBufferPointer<XY> { UnsafeBufferPointer(rebasing: all[(i == 0 ? 0 : ends[i - 1])..<ends[i]]) }
            for i in 0..<count where areas[i] > 0 {
                for j in (i + 1)..<max(count, i + 1) where areas[j] > 0 {
                    clip(piece(j), by: piece(i), src: &scratch.src2, dst: &scratch.dst2)
                    if area(scratch.src2) > 1e-9 * max(areas[i], areas[j]) { return false }
                }
            }
            return true
        }
    }
}

/// The convex rings (as `ConvexClip.convexRing` gives them) of many polygons in one buffer:
/// found once for a layer, read by every parcel without copying.
public struct ConvexRings: Sendable {
    /// Ring k is `points[ends[k-1]..<ends[k]]` (empty: the polygon is not convex).
    let points: [XY]
    let ends: [Int]

    /// Rings of every geometry, found on all cores.
    public init(_ geometries: [Geometry]) {
        let parts = Parallel.ranges(geometries.count, minimumPerWorker: 1024) { r -> ([XY], [Int]) in
            var pts: [XY] = [], ends: [Int] = []
            ends.reserveCapacity(r.count)
            for i in r { _ = ConvexClip.appendConvexRing(geometries[i], strict: false, to: &pts); ends.append(pts.count) }
            return (pts, ends)
        }
        var points: [XY] = [], ends: [Int] = []
        points.reserveCapacity(parts.reduce(0) { $0 + $1.0.count }); ends.reserveCapacity(geometries.count)
        for (pts, e) in parts { let base = points.count; points += pts; ends += e.map { $0 + base } }
        self.points = points; self.ends = ends
    }

    public init(_ rings: [[XY]?]) {
        var points: [XY] = [], ends: [Int] = []
        for r in rings { points += r ?? []; ends.append(points.count) }
        self.points = points; self.ends = ends
    }

    public var count: Int { ends.count }
    public func isConvex(_ k: Int) -> Bool { ends[k] > (k == 0 ? 0 : ends[k - 1]) }

    /// Hands ring k to `body` (nil when the polygon is not convex), without copying it.
    @inline(__always) public func withRing<R>(_ k: Int, _ body: (UnsafeBufferPointer<XY>?) -> R) -> R {
        let lo = k == 0 ? 0 : ends[k - 1], hi = ends[k]
        if hi == lo { return body(nil) }
        return points.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }
    }
}
