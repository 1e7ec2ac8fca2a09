import GeoCore

/// Transect parameters of measurement-methods §1 (all in metres of the working CRS).
public struct TransectParameters: Sendable, Equatable {
    /// Station spacing `s` (default 10 m).
    public var spacing: Double
    /// Half-length `h` on each side of the baseline (default 250 m; mudflats 1000 m).
    public var halfLength: Double
    /// Smoothing window `w` for the direction (default 50 m).
    public var smoothingWindow: Double
    public init(spacing: Double = 10, halfLength: Double = 250, smoothingWindow: Double = 50) {
        self.spacing = spacing; self.halfLength = halfLength; self.smoothingWindow = smoothingWindow
    }
}

/// One transect `T_i` (§1): from `P(t_i) − h·N` (right of the baseline) to `P(t_i) + h·N` (left).
public struct Transect: Sendable, Equatable {
    /// Baseline part (0-based, file order) and station index within the part.
    public var part: Int
    public var station: Int
    /// Arc length `t_i` of the station along its part, m.
    public var arcLength: Double
    /// Baseline length each station stands for, `L / n`, m.
    public var stationLength: Double
    public var origin: XY
    /// Unit normal, left of the direction of travel.
    public var normal: XY
    public var start: XY
    public var end: XY
}

/// A baseline part with cumulative arc lengths, for `P(x)` lookups. Pure Swift, planar.
public struct Polyline: Sendable {
    public let points: [XY]
    /// `cumulative[k]` = arc length from the start to vertex k.
    public let cumulative: [Double]
    public var length: Double { cumulative.last ?? 0 }

    public init(_ points: [XY]) {
        self.points = points
        var c = [0.0]
        c.reserveCapacity(points.count)
        for k in 1..<max(1, points.count) {
            c.append(c[k - 1] + points[k - 1].distance(to: points[k]))
        }
        cumulative = c
    }

    /// Index k of the segment [k, k+1] holding arc length `x` (clamped to the line).
    public func segment(at x: Double) -> Int {
        var lo = 0, hi = points.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if cumulative[mid] <= x { lo = mid } else { hi = mid }
        }
        return lo
    }

    /// The same segment as `segment(at:)`, walking forward from `hint` (a segment at or before
    /// it, such as the answer for a smaller `x`), which it updates: for increasing `x`.
    @inline(__always) func segment(at x: Double, from hint: inout Int) -> Int {
        while hint + 1 < points.count - 1, cumulative[hint + 1] <= x { hint += 1 }
        return hint
    }

    /// `P(x)`: the point at arc length `x`, clamped to [0, L].
    public func point(at x: Double) -> XY {
        var k = segment(at: min(max(x, 0), length))
        return point(at: x, from: &k)
    }

    /// `P(x)` with the segment found forward from `hint` (see `segment(at:from:)`).
    func point(at x: Double, from hint: inout Int) -> XY {
        let x = min(max(x, 0), length)
        let k = segment(at: x, from: &hint)
        let seg = cumulative[k + 1] - cumulative[k]
        let f = seg > 0 ? (x - cumulative[k]) / seg : 0
        return XY(points[k].x + f * (points[k + 1].x - points[k].x), points[k].y + f * (points[k + 1].y - points[k].y))
    }
}

/// Casts transects along a baseline exactly as measurement-methods §1 specifies.
public enum TransectCaster {
    /// Transects of every part of `baseline` (LineString or MultiLineString parts, in order).
    public static func cast(_ parts: [CoordinateSequence], _ p: TransectParameters) -> [Transect] {
        var out: [Transect] = []
        for (pi, part) in parts.enumerated() where part.count >= 2 {
            out += cast(part: Polyline(part.xy), index: pi, p)
        }
        return out
    }

    /// The transects of stations `stations` of part `index` alone: the same values as those
    /// stations have in the whole cast (stations are independent).
    public static func cast(_ parts: [CoordinateSequence], _ p: TransectParameters, part index: Int, stations: Range<Int>) -> [Transect] {
        guard parts.indices.contains(index), parts[index].count >= 2 else { return [] }
        return cast(part: Polyline(parts[index].xy), index: index, p, stations: stations)
    }

    static func cast(part line: Polyline, index: Int, _ p: TransectParameters, stations: Range<Int>? = nil) -> [Transect] {
        let L = line.length
        guard L > 0 else { return [] }
        let n = max(1, Int((L / p.spacing).rounded(.toNearestOrAwayFromZero)))
        let step = L / Double(n)
        let wanted = (stations ?? 0..<n).clamped(to: 0..<n)
        // Stations are independent: cast on all cores, in station order.
        return Array(Parallel.ranges(wanted.count, minimumPerWorker: 4096) { local -> [Transect] in
            let range = (wanted.lowerBound + local.lowerBound)..<(wanted.lowerBound + local.upperBound)
            // Stations advance along the line: three cursors (window start, station, window end)
            // walk forward instead of searching for each station.
            let t0 = (Double(range.lowerBound) + 0.5) * step
            var ka = line.segment(at: max(0, t0 - p.smoothingWindow / 2)), kb = line.segment(at: min(L, t0 + p.smoothingWindow / 2))
            var ko = line.segment(at: min(L, t0))
            return range.map { i in
                let t = (Double(i) + 0.5) * step
                let a = line.point(at: max(0, t - p.smoothingWindow / 2), from: &ka), b = line.point(at: min(L, t + p.smoothingWindow / 2), from: &kb)
                var dx = b.x - a.x, dy = b.y - a.y
                var len = (dx * dx + dy * dy).squareRoot()
                if len == 0 {   // zero chord: the direction of the segment under the station
                    let k = line.segment(at: t)
                    dx = line.points[k + 1].x - line.points[k].x; dy = line.points[k + 1].y - line.points[k].y
                    len = (dx * dx + dy * dy).squareRoot()
                }
                let normal = XY(-dy / len, dx / len)
                let o = line.point(at: t, from: &ko)
                return Transect(part: index, station: i, arcLength: t, stationLength: step, origin: o, normal: normal,
                                start: XY(o.x - p.halfLength * normal.x, o.y - p.halfLength * normal.y),
                                end: XY(o.x + p.halfLength * normal.x, o.y + p.halfLength * normal.y))
            }
        }.joined())
    }
}
