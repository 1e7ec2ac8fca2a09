import GeoCore

/// §2 cross-check: area width = Σ area(F ∩ C_k) / Σ L_k, where C_k is baseline part k buffered
/// by `h` with flat end caps (round joins, 8 segments per quarter circle). In metres.
public struct AreaWidthCheck: Sendable, Equatable {
    public var areaWidth: Double
    public var transectMean: Double
    /// (area width − transect mean) / transect mean; nil when the transect mean is 0.
    public var relativeDifference: Double?
    /// |relative difference| > `flagAbove` (default 20 %).
    public var flagged: Bool

    /// `feature`: polygons in the working CRS; `baseline`: line parts; `h`: half-length, m.
    public static func compute(feature: [Geometry], baseline: [CoordinateSequence], halfLength h: Double,
                               transectMean: Double, flagAbove: Double = 0.2, geos: GEOSContext) throws -> AreaWidthCheck {
        let f = try geos.unaryUnion(try feature.map { try geos.make($0) })
        var area = 0.0, length = 0.0
        for part in baseline where part.count >= 2 {
            let line = try geos.make(.lineString(part.xy))
            let corridor = try line.buffer(h, style: BufferStyle(cap: .flat, join: .round, quadrantSegments: 8))
            area += try f.intersection(corridor).area()
            length += part.planarLength
        }
        let aw = length > 0 ? area / length : 0
        let rel = transectMean > 0 ? (aw - transectMean) / transectMean : nil
        return AreaWidthCheck(areaWidth: aw, transectMean: transectMean, relativeDifference: rel,
                              flagged: rel.map { abs($0) > flagAbove } ?? (aw > 0))
    }
}
