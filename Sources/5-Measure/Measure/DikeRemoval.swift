import GeoCore

/// §7 dike removal (SW Art. 19(5)): removed impermeable length over the total dike length
/// before removal. Lengths in metres of unions (a duplicated piece counts once).
public struct DikeRemoval: Sendable, Equatable {
    public var removedImpermeable: Double
    public var totalBefore: Double
    /// Number of separate removed pieces (each has two uncertain ends).
    public var removedPieces: Int = 0
    public var fraction: Double { totalBefore > 0 ? removedImpermeable / totalBefore : 0 }

    /// Two layers: removed = length(before_impermeable − buffer(after, `tolerance`, round caps)).
    public static func fromBeforeAfter(impermeable: [Geometry], permeable: [Geometry], after: [Geometry],
                                       tolerance: Double = 0.5, geos: GEOSContext) throws -> DikeRemoval {
        let imp = try union(impermeable, geos), all = try union(impermeable + permeable, geos)
        var removed = imp
        if !after.isEmpty { removed = try imp.difference(try union(after, geos).buffer(tolerance)) }
        return DikeRemoval(removedImpermeable: try removed.length(), totalBefore: try all.length(), removedPieces: try pieces(removed))
    }

    /// One flagged layer: removed = length of features flagged removed and impermeable.
    public static func fromFlags(features: [(geometry: Geometry, impermeable: Bool, removed: Bool)], geos: GEOSContext) throws -> DikeRemoval {
        let removed = try union(features.filter { $0.impermeable && $0.removed }.map(\.geometry), geos)
        return DikeRemoval(removedImpermeable: try removed.length(), totalBefore: try union(features.map(\.geometry), geos).length(),
                           removedPieces: try pieces(removed))
    }

    /// Connected pieces of a linear result (merged where they touch).
    static func pieces(_ g: GEOSGeometry) throws -> Int {
        try g.isEmpty() ? 0 : try g.lineMerge().partCount
    }

    static func union(_ g: [Geometry], _ geos: GEOSContext) throws -> GEOSGeometry {
        g.isEmpty ? try geos.make(.lineString(CoordinateSequence([]))) : try geos.unaryUnion(try g.map { try geos.make($0) })
    }
}
