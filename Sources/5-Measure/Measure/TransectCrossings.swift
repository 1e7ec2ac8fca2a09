import GeoCore

/// Transects that cross each other (on tight bends of the baseline), and the smoothing window
/// that would avoid it. Crossing transects measure the same ground twice.
public struct TransectCrossings: Sendable, Equatable {
    /// Pairs of crossing transects (indices into the input, i < j, same part).
    public var pairs: [(Int, Int)]
    public static func == (a: TransectCrossings, b: TransectCrossings) -> Bool { a.pairs.map { [$0.0, $0.1] } == b.pairs.map { [$0.0, $0.1] } }

    /// Compares each transect with the following ones of its part whose origins lie within 2h
    /// (only those can cross): linear in the number of transects for a fixed h / s, on all
    /// cores, pairs in order.
    public init(_ t: [Transect]) {
        pairs = Array(Parallel.ranges(t.count, minimumPerWorker: 2048) { range -> [(Int, Int)] in
            var out: [(Int, Int)] = []
            for i in range {
                let reach = t[i].start.distance(to: t[i].end)
                var j = i + 1
                while j < t.count, t[j].part == t[i].part, t[j].origin.distance(to: t[i].origin) <= reach {
                    if TransectCrossings.cross(t[i], t[j]) { out.append((i, j)) }
                    j += 1
                }
            }
            return out
        }.joined())
    }

    static func cross(_ a: Transect, _ b: Transect) -> Bool {
        let p = a.start, r = XY(a.end.x - a.start.x, a.end.y - a.start.y)
        let q = b.start, s = XY(b.end.x - b.start.x, b.end.y - b.start.y)
        let den = r.x * s.y - r.y * s.x
        guard den != 0 else { return false }
        let w = XY(q.x - p.x, q.y - p.y)
        let u = (w.x * s.y - w.y * s.x) / den, v = (w.x * r.y - w.y * r.x) / den
        return u > 0 && u < 1 && v > 0 && v < 1
    }

    /// The smallest window among w·2^k (k = 1…8, at most the longest part) that leaves no
    /// crossing, or nil when none does (the bend is tighter than h allows).
    public static func suggestedWindow(baseline: [CoordinateSequence], _ p: TransectParameters) -> Double? {
        let longest = baseline.map(\.planarLength).max() ?? 0
        var w = max(p.smoothingWindow, p.spacing)
        for _ in 0..<8 {
            w *= 2
            guard w <= 2 * longest else { return nil }
            var q = p; q.smoothingWindow = w
            if TransectCrossings(TransectCaster.cast(baseline, q)).pairs.isEmpty { return w }
        }
        return nil
    }
}
