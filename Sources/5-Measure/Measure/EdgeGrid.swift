import GeoCore

/// Clips transects against only the polygon edges near them: a uniform grid (hashed, so sparse
/// coasts cost nothing) over the edges of a dissolved polygonal feature, walked cell by cell
/// along each transect. Lengths equal those of a GEOS overlay (`T ∩ F`) to rounding; a
/// transect that passes exactly through a vertex or along an edge is left to GEOS (`clip`
/// returns nil), so degenerate cases are never guessed.
///
/// The feature's parts must not overlap (a union), so inside/outside alternates at each crossing.
struct EdgeGrid {
    let cell: Double
    let edges: [(a: XY, b: XY)]
    let edgePart: [Int32]
    /// Cell key → edge indices.
    let cells: CellTable
    let partEnvelopes: [Envelope]
    /// Coarse cell key → parts whose envelope meets the cell.
    let partCells: CellTable
    let partCell: Double

    /// `parts`: the rings of each polygon part (shell first).
    init(parts: [[CoordinateSequence]], cellSize: Double) {
        var e: [(a: XY, b: XY)] = [], ep: [Int32] = [], envs: [Envelope] = []
        let total = parts.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }
        e.reserveCapacity(total); ep.reserveCapacity(total)
        for (pi, rings) in parts.enumerated() {
            for r in rings where r.count >= 2 {
                r.xy.withUnsafeBufferPointer { xy in
                    for i in 1..<xy.count where xy[i - 1] != xy[i] { e.append((xy[i - 1], xy[i])); ep.append(Int32(pi)) }
                }
            }
            envs.append(Envelope(of: rings.first?.xy ?? []) ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0))
        }
        edges = e; edgePart = ep; partEnvelopes = envs
        cell = max(cellSize, 1e-6)
        var keys: [Int64] = [], owners: [Int32] = []
        keys.reserveCapacity(e.count * 2); owners.reserveCapacity(e.count * 2)
        for (i, s) in e.enumerated() {
            EdgeGrid.cellsOf(Envelope(minX: min(s.a.x, s.b.x), minY: min(s.a.y, s.b.y), maxX: max(s.a.x, s.b.x), maxY: max(s.a.y, s.b.y)), cell) {
                keys.append($0); owners.append(Int32(i))
            }
        }
        cells = CellTable(count: keys.count) { (keys[$0], owners[$0]) }
        partCell = cell * 16
        var partKeys: [Int64] = [], partOwners: [Int32] = []
        for (pi, env) in envs.enumerated() { EdgeGrid.cellsOf(env, partCell) { partKeys.append($0); partOwners.append(Int32(pi)) } }
        partCells = CellTable(count: partKeys.count) { (partKeys[$0], partOwners[$0]) }
    }

    static func key(_ cx: Int64, _ cy: Int64) -> Int64 { (cx << 32) ^ (cy & 0xFFFF_FFFF) }
    static func cellsOf(_ e: Envelope, _ size: Double, _ body: (Int64) -> Void) {
        let x0 = Int64((e.minX / size).rounded(.down)), x1 = Int64((e.maxX / size).rounded(.down))
        let y0 = Int64((e.minY / size).rounded(.down)), y1 = Int64((e.maxY / size).rounded(.down))
        for cx in x0...x1 { for cy in y0...y1 { body(key(cx, cy)) } }
    }

    /// Scratch space for one task: a visit stamp per edge.
    struct Scratch {
        var stamp: [UInt32]
        var current: UInt32 = 0
        /// Crossings of the transect being clipped (reused).
        var crossings: [(u: Double, at: XY)] = []
        init(_ grid: EdgeGrid) { stamp = [UInt32](repeating: 0, count: grid.edges.count) }
        mutating func next() -> UInt32 {
            current &+= 1
            if current == 0 { for i in stamp.indices { stamp[i] = 0 }; current = 1 }
            return current
        }
    }

    /// The grid's arrays as buffers for the duration of `body`: the view holds no reference, so
    /// clipping many transects through it retains and releases nothing per transect.
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try edges.withUnsafeBufferPointer { e in
            try edgePart.withUnsafeBufferPointer { ep in
                try partEnvelopes.withUnsafeBufferPointer { pe in
                    try cells.withLookup { lookup in
                        try partCells.withLookup { parts in
                            try body(View(cell: cell, edges: e, edgePart: ep, lookup: lookup,
                                          partEnvelopes: pe, partCells: parts, partCell: partCell))
                        }
                    }
                }
            }
        }
    }

    /// Clipping and distances on the grid's buffers; valid only inside `withView`.
    struct View {
        let cell: Double
        let edges: UnsafeBufferPointer<(a: XY, b: XY)>
        let edgePart: UnsafeBufferPointer<Int32>
        let lookup: CellTable.Lookup
        /// Edge indices of the cells (`lookup.range` indexes into them).
        var items: UnsafeBufferPointer<Int32> { lookup.items }
        let partEnvelopes: UnsafeBufferPointer<Envelope>
        /// Coarse cell → parts (`partCells.range` indexes into `partCells.items`).
        let partCells: CellTable.Lookup
        let partCell: Double

        /// Walks the grid cells the segment p→q passes through (Amanatides–Woo), calling `body`
        /// with each cell's edge range; stops early when `body` returns false.
        func walk(_ p: XY, _ q: XY, _ body: (Range<Int>) -> Bool) {
            var cx = Int64((p.x / cell).rounded(.down)), cy = Int64((p.y / cell).rounded(.down))
            let ex = Int64((q.x / cell).rounded(.down)), ey = Int64((q.y / cell).rounded(.down))
            let dx = q.x - p.x, dy = q.y - p.y
            let stepX: Int64 = dx > 0 ? 1 : -1, stepY: Int64 = dy > 0 ? 1 : -1
            let tDeltaX = dx != 0 ? abs(cell / dx) : .infinity, tDeltaY = dy != 0 ? abs(cell / dy) : .infinity
            var tMaxX = dx != 0 ? ((Double(cx) + (dx > 0 ? 1 : 0)) * cell - p.x) / dx : .infinity
            var tMaxY = dy != 0 ? ((Double(cy) + (dy > 0 ? 1 : 0)) * cell - p.y) / dy : .infinity
            let limit = abs(ex - cx) + abs(ey - cy) + 2
            for _ in 0...limit {
                if let r = lookup.range(EdgeGrid.key(cx, cy)), !body(r) { return }
                if cx == ex && cy == ey { return }
                if tMaxX < tMaxY { tMaxX += tDeltaX; cx += stepX } else { tMaxY += tDeltaY; cy += stepY }
            }
        }

        /// Crossing parameter u of the line p + u·r with edge i; nil when none; `.nan` when an edge
        /// end lies exactly on the line (degenerate: the caller falls back to GEOS).
        @inline(__always) func crossing(_ i: Int, _ p: XY, _ r: XY) -> Double? {
            let (a, b) = edges[i]
            let sa = r.x * (a.y - p.y) - r.y * (a.x - p.x), sb = r.x * (b.y - p.y) - r.y * (b.x - p.x)
            if sa == 0 || sb == 0 { return .nan }
            if (sa > 0) == (sb > 0) { return nil }
            let ex = b.x - a.x, ey = b.y - a.y
            return ((a.x - p.x) * ey - (a.y - p.y) * ex) / (r.x * ey - r.y * ex)
        }

        /// The crossing point of edge i with the transect line, computed on the edge (as an overlay
        /// does): exact on axis-aligned edges and transects, so a 25 m rectangle measures 25, not 25 − 1 ulp.
        @inline(__always) func point(_ i: Int, _ p: XY, _ r: XY) -> XY {
            let (a, b) = edges[i]
            let ex = b.x - a.x, ey = b.y - a.y
            let v = ((p.x - a.x) * r.y - (p.y - a.y) * r.x) / (ex * r.y - ey * r.x)
            var x = a.x + v * ex, y = a.y + v * ey
            if ex == 0 { x = a.x } else if r.x == 0 { x = p.x }
            if ey == 0 { y = a.y } else if r.y == 0 { y = p.y }
            return XY(x, y)
        }

        /// Length of the segment p→q inside the feature, whether the inside reaches an end, and the
        /// longest inside piece; nil for a degenerate transect.
        func clip(_ p: XY, _ q: XY, scratch: inout Scratch) -> (width: Double, truncated: Bool, widest: (XY, XY)?)? {
            let r = XY(q.x - p.x, q.y - p.y)
            scratch.crossings.removeAll(keepingCapacity: true)
            var degenerate = false
            let stamp = scratch.next()
            walk(p, q) { range in
                for k in range {
                    let i = Int(items[k])
                    if scratch.stamp[i] == stamp { continue }
                    scratch.stamp[i] = stamp
                    guard let u = crossing(i, p, r) else { continue }
                    if u.isNaN || u == 0 || u == 1 { degenerate = true; return false }
                    if u > 0 && u < 1 { scratch.crossings.append((u, point(i, p, r))) }
                }
                return true
            }
            if degenerate { return nil }
            // Inside at p: parity of crossings behind p with the edges of the part whose envelope holds p.
            var inside = false
            let partRange = partCells.range(EdgeGrid.key(Int64((p.x / partCell).rounded(.down)), Int64((p.y / partCell).rounded(.down)))) ?? 0..<0
            for pk in partRange {
                let pi = partCells.items[pk]
                let env = partEnvelopes[Int(pi)]
                guard p.x >= env.minX, p.x <= env.maxX, p.y >= env.minY, p.y <= env.maxY else { continue }
                // Walk backwards from p until past the part's envelope.
                let len = (r.x * r.x + r.y * r.y).squareRoot()
                let reach = (env.width * env.width + env.height * env.height).squareRoot() + cell
                let back = XY(p.x - r.x / len * reach, p.y - r.y / len * reach)
                var count = 0
                let s2 = scratch.next()
                walk(p, back) { range in
                    for k in range {
                        let i = Int(items[k])
                        guard edgePart[i] == pi, scratch.stamp[i] != s2 else { continue }
                        scratch.stamp[i] = s2
                        guard let u = crossing(i, p, r) else { continue }
                        if u.isNaN || u == 0 { degenerate = true; return false }
                        if u < 0 { count += 1 }
                    }
                    return true
                }
                if degenerate { return nil }
                if count % 2 == 1 { inside = true; break }
            }
            scratch.crossings.sort { $0.u < $1.u }
            // Sum the inside pieces as distances between their end points.
            var width = 0.0, prev = p, state = inside
            var widest: (XY, XY)? = nil, widestLength = 0.0
            func piece(_ a: XY, _ b: XY) {
                let d = a.distance(to: b)
                width += d
                if d > widestLength { widestLength = d; widest = (a, b) }
            }
            for c in scratch.crossings {
                if state { piece(prev, c.at) }
                state.toggle(); prev = c.at
            }
            if state { piece(prev, q) }
            return (width, inside || state, widest)
        }

        /// Distance from `p` to the nearest edge, searched ring by ring of cells out to `limit`
        /// (returned when no edge is nearer). Exact: a ring is searched while it can hold a nearer edge.
        func distanceToEdges(_ p: XY, limit: Double) -> Double {
            let cx = Int64((p.x / cell).rounded(.down)), cy = Int64((p.y / cell).rounded(.down))
            var best2 = limit * limit
            var ring: Int64 = 0
            while true {
                // Cells of ring r lie at least (r − 1) cells from p.
                let near = Double(max(0, ring - 1)) * cell
                if near * near >= best2 { break }
                for dx in -ring...ring {
                    for dy in -ring...ring where abs(dx) == ring || abs(dy) == ring {
                        // A cell farther than the best distance so far cannot hold a nearer edge
                        // point (an edge is listed in every cell it passes through).
                        let x0 = Double(cx + dx) * cell, y0 = Double(cy + dy) * cell
                        let bx = max(0, x0 - p.x, p.x - (x0 + cell)), by = max(0, y0 - p.y, p.y - (y0 + cell))
                        if bx * bx + by * by >= best2 { continue }
                        guard let r = lookup.range(EdgeGrid.key(cx + dx, cy + dy)) else { continue }
                        for k in r { best2 = min(best2, SegmentGrid.squaredDistance(p, edges[Int(items[k])])) }
                    }
                }
                ring += 1
            }
            return best2.squareRoot()
        }
    }
}
