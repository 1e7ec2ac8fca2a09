import GeoCore

/// Area fractions of §5 (mangrove cover of the intertidal zone) and §6 (seawall vegetation
/// cover without invasive species). Areas in m² in the working CRS; overlapping polygons
/// count once (each layer is dissolved first).
public struct CoverFraction: Sendable, Equatable {
    /// Numerator and denominator, m².
    public var covered: Double
    public var total: Double
    public var fraction: Double { total > 0 ? covered / total : 0 }

    /// area(∪part ∩ ∪whole) / area(∪whole).
    public static func share(of part: [Geometry], in whole: [Geometry], geos: GEOSContext) throws -> CoverFraction {
        let zone = try dissolve(whole, geos)
        let m = try dissolve(part, geos)
        return CoverFraction(covered: try m.intersection(zone).area(), total: try zone.area())
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
        return CoverFraction(covered: try veg.intersection(wall).area(), total: try wall.area())
    }

    static func dissolve(_ g: [Geometry], _ geos: GEOSContext) throws -> GEOSGeometry {
        g.isEmpty ? try geos.make(.polygon([CoordinateSequence]())) : try geos.unaryUnion(try g.map { try geos.make($0) })
    }
}
