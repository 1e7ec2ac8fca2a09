/// §3 sandy beach: each run of the beach along the shoreline is a segment; a segment
/// qualifies when its length and its average width both exceed the thresholds (strict,
/// unrounded). The thresholds come from the rulebook (SW Art. 19(1): 50 m, 15 m).
public struct BeachSegment: Sendable, Equatable {
    public var run: WidthRun
    /// Run length, m.
    public var length: Double { run.length }
    /// Mean `w_i` over the run's stations, m.
    public var averageWidth: Double { run.statistics.mean }
    public var qualifies: Bool
    /// Metres of length and of average width missing to qualify (0 when it already does).
    public var lengthShortfall: Double
    public var widthShortfall: Double
}

public struct BeachMeasurement: Sendable, Equatable {
    public var segments: [BeachSegment]
    /// Sum of qualifying segments' lengths, m: the metres that may become indicators.
    public var qualifyingLength: Double

    /// `minLength`, `minWidth`: strict lower bounds in metres.
    public init(widths: [TransectWidth], minLength: Double, minWidth: Double) {
        segments = WidthMeasurer.runs(widths).map { r in
            let ok = r.length > minLength && r.statistics.mean > minWidth
            return BeachSegment(run: r, qualifies: ok, lengthShortfall: max(0, minLength - r.length),
                                widthShortfall: max(0, minWidth - r.statistics.mean))
        }
        qualifyingLength = segments.filter(\.qualifies).reduce(0) { $0 + $1.length }
    }
}
