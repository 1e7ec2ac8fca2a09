import Foundation
import GeoCore

/// Which intersection of a transect with a dated shoreline stands for it when there are several.
public enum IntersectionRule: String, Sendable, CaseIterable {
    /// Nearest the baseline point P(t_i) (measurement-methods §3, the default).
    case closest
    /// Farthest toward the sea, farthest toward land, farthest from the baseline.
    case seaward, landward, farthest
}

/// One dated shoreline: its survey date and lines in the working CRS, with the position
/// uncertainty (m, 1σ) used for EPR's uncertainty and WLR's weights.
public struct DatedShoreline: Sendable {
    public var date: CivilDate
    public var lines: [CoordinateSequence]
    public var uncertainty: Double
    public init(date: CivilDate, lines: [CoordinateSequence], uncertainty: Double = 0) {
        self.date = date; self.lines = lines; self.uncertainty = uncertainty
    }
}

/// Change along one transect (DSAS-style statistics; metres, years of 365.25 days; positive seaward).
public struct TransectChange: Sendable, Equatable {
    public var part: Int, station: Int
    /// Seaward distance from P(t_i) to the chosen intersection, per shoreline (nil: no intersection).
    public var positions: [Double?]
    /// Number of intersections per shoreline; more than one makes the transect ambiguous.
    public var intersectionCounts: [Int]
    public var ambiguous: Bool { intersectionCounts.contains { $0 > 1 } }
    /// Net shoreline movement, earliest → latest (§3 "change"); nil without both.
    public var nsm: Double?
    /// Shoreline change envelope: largest distance between any two positions.
    public var sce: Double?
    /// End-point rate, m/yr, and its uncertainty √(u₁² + u₂²) / Δt.
    public var epr: Double?, eprUncertainty: Double?
    /// Linear regression rate, m/yr, with its 95 % confidence half-width and R², from ≥ 3 positions.
    public var lrr: Double?, lrrCI95: Double?, lrrR2: Double?
    /// Weighted regression rate (weights 1/u²), m/yr, with its 95 % half-width; needs all u > 0.
    public var wlr: Double?, wlrCI95: Double?
}

/// Shoreline change along transects (measurement-methods §3, with DSAS's SCE, LRR and WLR).
public struct ShorelineChange: Sendable {
    public var shorelines: [DatedShoreline]
    public var transects: [TransectChange]
    /// Transects that do not meet both the earliest and the latest shoreline.
    public var missingBoth: Int
    /// Mean, minimum and maximum NSM over transects with both, m.
    public var netChangeMean: Double?, netChangeMin: Double?, netChangeMax: Double?
    /// Mean NSM / (days between earliest and latest / 365.25), m/yr.
    public var endPointRate: Double?
    public var days: Int
    public var eroding: Int, accreting: Int
    /// Share of transects with both whose change is below `erosionChange` (default −5 m).
    public var erosionShare: Double?
    public var ambiguousTransects: [Transect]

    /// `seaSign`: +1 when the sea is on the left of the baseline (the transect normal), −1 right.
    public init(transects: [Transect], shorelines input: [DatedShoreline], seaSign: Double,
                rule: IntersectionRule = .closest, erosionChange: Double = -5) {
        let shorelines = input.sorted { $0.date < $1.date }
        self.shorelines = shorelines
        let cell = max(1, (transects.first.map { $0.start.distance(to: $0.end) } ?? 100) / 4)
        let grids = shorelines.map { SegmentGrid(lines: $0.lines, cellSize: cell) }
        let first = shorelines.first?.date, last = shorelines.last?.date
        let span = first.flatMap { f in last.map { f.days(to: $0) } } ?? 0
        days = span
        let years = shorelines.map { Double(first!.days(to: $0.date)) / 365.25 }
        var out: [TransectChange] = [], ambiguous: [Transect] = []
        for t in transects {
            let h2 = t.start.distance(to: t.end)
            var positions: [Double?] = [], counts: [Int] = []
            for g in grids {
                let s = g.intersections(t.start, t.end).map { ($0 - 0.5) * h2 * seaSign }   // seaward distance
                counts.append(s.count)
                positions.append(ShorelineChange.pick(s, rule))
            }
            var c = TransectChange(part: t.part, station: t.station, positions: positions, intersectionCounts: counts)
            if c.ambiguous { ambiguous.append(t) }
            let known = positions.enumerated().compactMap { i, p in p.map { (years[i], $0, shorelines[i].uncertainty) } }
            if let a = positions.first ?? nil, let b = positions.last ?? nil, shorelines.count >= 2 {
                c.nsm = b - a
                let dt = years.last! - years.first!
                if dt > 0 {
                    c.epr = (b - a) / dt
                    c.eprUncertainty = (pow(shorelines.first!.uncertainty, 2) + pow(shorelines.last!.uncertainty, 2)).squareRoot() / dt
                }
            }
            if known.count >= 2 { c.sce = known.map(\.1).max()! - known.map(\.1).min()! }
            if known.count >= 3 {
                let fit = Regression.fit(known.map { ($0.0, $0.1, 1.0) })
                c.lrr = fit?.slope; c.lrrCI95 = fit?.ci95; c.lrrR2 = fit?.r2
                if known.allSatisfy({ $0.2 > 0 }) {
                    let w = Regression.fit(known.map { ($0.0, $0.1, 1 / ($0.2 * $0.2)) })
                    c.wlr = w?.slope; c.wlrCI95 = w?.ci95
                }
            }
            out.append(c)
        }
        self.transects = out
        ambiguousTransects = ambiguous
        let nsm = out.compactMap(\.nsm)
        missingBoth = out.count - nsm.count
        let mean = nsm.isEmpty ? nil : nsm.reduce(0, +) / Double(nsm.count)
        netChangeMean = mean
        netChangeMin = nsm.min(); netChangeMax = nsm.max()
        endPointRate = span > 0 ? mean.map { $0 / (Double(span) / 365.25) } : nil
        eroding = nsm.filter { $0 < 0 }.count; accreting = nsm.filter { $0 > 0 }.count
        erosionShare = nsm.isEmpty ? nil : Double(nsm.filter { $0 < erosionChange }.count) / Double(nsm.count)
    }

    static func pick(_ s: [Double], _ rule: IntersectionRule) -> Double? {
        switch rule {
        case .closest: return s.min { abs($0) < abs($1) }
        case .farthest: return s.max { abs($0) < abs($1) }
        case .seaward: return s.max()
        case .landward: return s.min()
        }
    }
}

/// Weighted least squares of y on x with a 95 % confidence half-width of the slope
/// (Student's t with n − 2 degrees of freedom).
enum Regression {
    static func fit(_ p: [(x: Double, y: Double, w: Double)]) -> (slope: Double, ci95: Double?, r2: Double)? {
        let n = p.count
        guard n >= 2 else { return nil }
        let sw = p.reduce(0) { $0 + $1.w }
        let mx = p.reduce(0) { $0 + $1.w * $1.x } / sw, my = p.reduce(0) { $0 + $1.w * $1.y } / sw
        let sxx = p.reduce(0) { $0 + $1.w * ($1.x - mx) * ($1.x - mx) }
        let sxy = p.reduce(0) { $0 + $1.w * ($1.x - mx) * ($1.y - my) }
        let syy = p.reduce(0) { $0 + $1.w * ($1.y - my) * ($1.y - my) }
        guard sxx > 0 else { return nil }
        let slope = sxy / sxx
        let sse = max(0, syy - slope * sxy)
        let r2 = syy > 0 ? 1 - sse / syy : 1
        guard n > 2 else { return (slope, nil, r2) }
        // Weights are normalised to mean 1 so the residual variance keeps the data's units.
        let scale = Double(n) / sw
        let se = (sse * scale / Double(n - 2) / (sxx * scale)).squareRoot()
        return (slope, tQuantile975(n - 2) * se, r2)
    }

    /// Two-sided 95 % quantile of Student's t: the table to 30 degrees of freedom, then the
    /// Cornish–Fisher expansion (error < 1e-4).
    static func tQuantile975(_ df: Int) -> Double {
        let table = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010, 2.1788, 2.1604, 2.1448,
                     2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484,
                     2.0452, 2.0423]
        if df >= 1 && df <= 30 { return table[df - 1] }
        let z = 1.959964, d = Double(df)
        return z + (pow(z, 3) + z) / (4 * d) + (5 * pow(z, 5) + 16 * pow(z, 3) + 3 * z) / (96 * d * d)
    }
}
