import GeoCore

/// Area fractions of §5 (mangrove cover of the intertidal zone) and §6 (seawall vegetation
/// cover without invasive species). Areas in m² in the working CRS; overlapping polygons
/// count once (each layer is dissolved first).
public struct CoverFraction: Sendable, Equatable {
    /// Numerator and denominator, m².
    public var covered: Double
    public var total: Double
    /// Boundary lengths of the covered region and of the whole, m (for the uncertainty).
    public var coveredPerimeter: Double = 0
    public var totalPerimeter: Double = 0
    public var fraction: Double { total > 0 ? covered / total : 0 }

    /// ± uncertainty of the fraction when every boundary is known to `positionalAccuracy` (m):
    /// σ · (P_covered + f · P_total) / A_total.
    public func uncertainty(positionalAccuracy s: Double) -> Double? {
        total > 0 ? s * (coveredPerimeter + fraction * totalPerimeter) / total : nil
    }

    /// area(∪part ∩ ∪whole) / area(∪whole).
    public static func share(of part: [Geometry], in whole: [Geometry], geos: GEOSContext) throws -> CoverFraction {
        let zone = try dissolve(whole, geos)
        let covered = try dissolve(part, geos).intersection(zone)
        return CoverFraction(covered: try covered.area(), total: try zone.area(), coveredPerimeter: try covered.length(), totalPerimeter: try zone.length())
    }

    /// §5: area(mangrove ∩ intertidal) / area(intertidal).
    public static func mangroveCover(mangrove: [Geometry], intertidal: [Geometry], geos: GEOSContext) throws -> CoverFraction {
        try share(of: mangrove, in: intertidal, geos: geos)
    }

    /// §6: area((union(vegetation) − union(invasive)) ∩ seawall) / area(seawall). Invasive
    /// area is removed even where a native polygon overlaps it.
    public static func seawallVegetation(vegetation: [Geometry], invasive: [Geometry], seawall: [Geometry],
                                         geos: GEOSContext) throws -> CoverFraction {
        let wall = try dissolve(seawall, geos)
        var veg = try dissolve(vegetation, geos)
        if !invasive.isEmpty { veg = try veg.difference(try dissolve(invasive, geos)) }
        let covered = try veg.intersection(wall)
        return CoverFraction(covered: try covered.area(), total: try wall.area(), coveredPerimeter: try covered.length(), totalPerimeter: try wall.length())
    }

    static func dissolve(_ g: [Geometry], _ geos: GEOSContext) throws -> GEOSGeometry {
        g.isEmpty ? try geos.make(.polygon([CoordinateSequence]())) : try geos.unaryUnion(try g.map { try geos.make($0) })
    }
}
