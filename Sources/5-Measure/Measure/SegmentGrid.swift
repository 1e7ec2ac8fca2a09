import GeoCore

/// A uniform grid over line segments, so a query segment is tested only against the segments
/// in the cells it crosses: building and querying are linear in the number of segments.
struct SegmentGrid {
    let segments: [(a: XY, b: XY)]
    /// Index of the line each segment belongs to.
    let segmentLine: [Int32]
    let cell: Double
    let cells: CellTable

    init(lines: [CoordinateSequence], cellSize: Double) {
        var segs: [(XY, XY)] = [], owner: [Int32] = []
        for (k, l) in lines.enumerated() where l.count >= 2 {
            for i in 1..<l.count where l.xy[i - 1] != l.xy[i] { segs.append((l.xy[i - 1], l.xy[i])); owner.append(Int32(k)) }
        }
        segments = segs; segmentLine = owner
        let size = max(cellSize, 1e-9)
        cell = size
        // (cell, segment) pairs, then one table (`CellTable`: two counting passes, no hashing
        // of `Dictionary`'s kind, no array per cell).
        var pairs: [(key: Int64, item: Int32)] = []
        pairs.reserveCapacity(segs.count + segs.count / 2)
        for (i, s) in segs.enumerated() {
            SegmentGrid.forEachCell(s.0, s.1, size) { pairs.append(($0, Int32(i))) }
        }
        cells = CellTable(count: pairs.count) { pairs[$0] }
    }

    func key(_ cx: Int64, _ cy: Int64) -> Int64 { SegmentGrid.key(cx, cy) }
    static func key(_ cx: Int64, _ cy: Int64) -> Int64 { (cx &* 73_856_093) ^ (cy &* 19_349_663) }

    func forEachCell(_ a: XY, _ b: XY, _ body: (Int64) -> Void) { SegmentGrid.forEachCell(a, b, cell, body) }
    static func forEachCell(_ a: XY, _ b: XY, _ cell: Double, _ body: (Int64) -> Void) {
        let x0 = Int64((min(a.x, b.x) / cell).rounded(.down)), x1 = Int64((max(a.x, b.x) / cell).rounded(.down))
        let y0 = Int64((min(a.y, b.y) / cell).rounded(.down)), y1 = Int64((max(a.y, b.y) / cell).rounded(.down))
        for cx in x0...x1 { for cy in y0...y1 { body(key(cx, cy)) } }
    }

    /// Parameters u ∈ [0, 1] along `p→q` where it meets the indexed segments (sorted, distinct).
    func intersections(_ p: XY, _ q: XY) -> [Double] {
        var seen = Set<Int32>(), out: [Double] = []
        forEachCell(p, q) { k in
            guard let r = cells.range(k) else { return }
            for i in cells.items[r] where seen.insert(i).inserted {
                let (a, b) = segments[Int(i)]
                let r = XY(q.x - p.x, q.y - p.y), s = XY(b.x - a.x, b.y - a.y)
                let den = r.x * s.y - r.y * s.x
                guard den != 0 else { continue }   // parallel or collinear: no single crossing point
                let w = XY(a.x - p.x, a.y - p.y)
                let u = (w.x * s.y - w.y * s.x) / den, v = (w.x * r.y - w.y * r.x) / den
                if u >= 0, u <= 1, v >= 0, v <= 1 { out.append(u) }
            }
        }
        out.sort()
        // A crossing exactly at a shared vertex is found in both segments: keep one.
        var distinct: [Double] = []
        for u in out where distinct.last.map({ abs($0 - u) > 1e-12 }) ?? true { distinct.append(u) }
        return distinct
    }

    /// Whether a segment of line `line` lies within `distance` of `p`, looking only at p's cell
    /// and its eight neighbours: true proves it; false means none was found there (so a
    /// `distance` above the cell size may be missed: callers treat false as "not shown").
    func hasSegment(ofLine line: Int, within distance: Double, of p: XY) -> Bool {
        let cx = Int64((p.x / cell).rounded(.down)), cy = Int64((p.y / cell).rounded(.down))
        let d2 = distance * distance
        return cells.withLookup { lookup in
            for dx: Int64 in [0, -1, 1] {
                for dy: Int64 in [0, -1, 1] {
                    guard let r = lookup.range(key(cx + dx, cy + dy)) else { continue }
                    for i in lookup.items[r] where segmentLine[Int(i)] == line {
                        if SegmentGrid.squaredDistance(p, segments[Int(i)]) <= d2 { return true }
                    }
                }
            }
            return false
        }
    }

    static func squaredDistance(_ p: XY, _ s: (a: XY, b: XY)) -> Double {
        let ex = s.b.x - s.a.x, ey = s.b.y - s.a.y
        let t = max(0, min(1, ((p.x - s.a.x) * ex + (p.y - s.a.y) * ey) / (ex * ex + ey * ey)))
        let dx = s.a.x + t * ex - p.x, dy = s.a.y + t * ey - p.y
        return dx * dx + dy * dy
    }
}
