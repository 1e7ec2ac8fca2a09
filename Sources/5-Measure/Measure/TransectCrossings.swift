import GeoCore

/// Transects that cross each other (on tight bends of the baseline), and the smoothing window
/// that would avoid it. Crossing transects measure the same ground twice.
///
/// Found once, kept compact: a tight bend makes every transect cross its next dozens of
/// neighbours, so the crossings are kept as *runs* — transect `i` crosses each of `j₀…j₁` —
/// not as pairs (1 000 km of wavy shoreline: 1.8 million pairs, 60 000 runs). `pairs` expands
/// them when a caller needs them one by one.
public struct TransectCrossings: Sendable, Equatable {
    /// Transect `transect` crosses every transect `first…last` (indices into the input,
    /// `transect < first ≤ last`, same part). Ordered by `transect`, then `first`.
    public struct Run: Sendable, Equatable {
        public var transect: Int
        public var first: Int
        public var last: Int
        public var count: Int { last - first + 1 }
    }
    public var runs: [Run]

    /// Number of crossing pairs.
    public var pairCount: Int { runs.reduce(0) { $0 + $1.count } }
    public var isEmpty: Bool { runs.isEmpty }

    /// Every crossing pair (i, j), i < j, in order: the runs expanded.
    public var pairs: [(Int, Int)] { runs.flatMap { r in (r.first...r.last).map { (r.transect, $0) } } }

    public static func == (a: TransectCrossings, b: TransectCrossings) -> Bool { a.runs == b.runs }

    /// Compares each transect with the following ones of its part whose origins lie within 2h
    /// (only those can cross): linear in the number of transects for a fixed h / s, on all
    /// cores, runs in order.
    public init(_ t: [Transect]) {
        runs = Array(Parallel.ranges(t.count, minimumPerWorker: 2048) { range -> [Run] in
            var out: [Run] = []
            for i in range { Self.scan(t, i) { j in
                if let last = out.last, last.transect == i, last.last == j - 1 { out[out.count - 1].last = j }
                else { out.append(Run(transect: i, first: j, last: j)) }
                return true
            } }
            return out
        }.joined())
    }

    /// Whether any two transects cross (the test of a smoothing window needs no list): on all
    /// cores, each worker stopping at the first crossing in its range of transects.
    public static func anyCross(_ t: [Transect]) -> Bool {
        Parallel.ranges(t.count, minimumPerWorker: 4096) { range -> Bool in
            var found = false
            for i in range where !found { scan(t, i) { _ in found = true; return false } }
            return found
        }.contains(true)
    }

    /// Calls `crossing(j)` for each later transect j of i's part that crosses i, in order, while it returns true.
    @inline(__always) static func scan(_ t: [Transect], _ i: Int, _ crossing: (Int) -> Bool) {
        let reach = t[i].start.distance(to: t[i].end)
        var j = i + 1
        while j < t.count, t[j].part == t[i].part, t[j].origin.distance(to: t[i].origin) <= reach {
            if cross(t[i], t[j]), !crossing(j) { return }
            j += 1
        }
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

    /// The stretches of baseline where transects cross: maximal runs of consecutive transects
    /// of one part each in at least one crossing, with their stations and arc lengths (m).
    public struct Stretch: Sendable, Equatable {
        public var part: Int
        public var firstTransect: Int, lastTransect: Int
        public var fromStation: Int, toStation: Int
        public var from_m: Double, to_m: Double
        public var transects: Int { lastTransect - firstTransect + 1 }
    }

    /// The stretches of `t` (the transects these crossings were found among).
    public func stretches(_ t: [Transect]) -> [Stretch] {
        guard !runs.isEmpty else { return [] }
        var involved = [Bool](repeating: false, count: t.count)
        for r in runs { involved[r.transect] = true; for j in r.first...r.last { involved[j] = true } }
        var out: [Stretch] = []
        var i = 0
        while i < t.count {
            guard involved[i] else { i += 1; continue }
            var k = i
            while k + 1 < t.count, involved[k + 1], t[k + 1].part == t[i].part { k += 1 }
            out.append(Stretch(part: t[i].part, firstTransect: i, lastTransect: k, fromStation: t[i].station, toStation: t[k].station,
                               from_m: t[i].arcLength, to_m: t[k].arcLength))
            i = k + 1
        }
        return out
    }

    /// The smallest window among w·2^k (k = 1…8, at most the longest part) that leaves no
    /// crossing, or nil when none does (the bend is tighter than h allows). Each window is
    /// tested for any crossing, stopping at the first: the crossings are listed only once, at
    /// the window used.
    ///
    /// `near`: a station where transects crossed at the window asked for. Each wider window's
    /// transects around it (±`probeStations`) are cast first: a crossing there settles that the
    /// window does not avoid crossings without casting every transect; otherwise all are cast
    /// and tested. The answer is the same with or without it.
    public static func suggestedWindow(baseline: [CoordinateSequence], _ p: TransectParameters,
                                       near probe: (part: Int, station: Int)? = nil) -> Double? {
        let longest = baseline.map(\.planarLength).max() ?? 0
        var w = max(p.smoothingWindow, p.spacing)
        for _ in 0..<8 {
            w *= 2
            guard w <= 2 * longest else { return nil }
            var q = p; q.smoothingWindow = w
            if let probe, anyCross(TransectCaster.cast(baseline, q, part: probe.part,
                                                        stations: max(0, probe.station - probeStations)..<(probe.station + probeStations))) { continue }
            if !anyCross(TransectCaster.cast(baseline, q)) { return w }
        }
        return nil
    }

    /// Stations either side of the probe that `suggestedWindow` casts first.
    static let probeStations = 256
}
