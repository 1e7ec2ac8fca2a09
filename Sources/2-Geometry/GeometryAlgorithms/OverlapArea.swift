import GeoCore

/// area(parcel ∩ ∪ polygons), m²: by `ConvexClip` when the parcel and the polygons are convex
/// and their pieces do not overlap, else by GEOS (the union of the polygons near the parcel).
public enum OverlapArea {
    /// With the parcel's convex ring already found (nil: not convex) and the polygons' convex
    /// rings in a layer-wide table: `polygons` are those at `ids` of the table.
    public static func area(parcel: Geometry, window: UnsafeBufferPointer<XY>?, _ polygons: @autoclosure () -> [Geometry], rings: ConvexRings, ids: [Int],
                     scratch: inout ConvexClip.Scratch, geos: GEOSContext) throws -> Double {
        if ids.isEmpty { return 0 }
        if let a = convexArea(window: window, rings: rings, ids: ids, scratch: &scratch) { return a }
        let near = polygons()
        let u = near.count == 1 ? try geos.make(near[0]) : try geos.unaryUnion(try near.map { try geos.make($0) })
        return try geos.make(parcel).intersection(u).area()
    }

    /// area(parcel ∩ ∪ polygons), m², without an overlay when the parcel and the polygons are
    /// convex and the pieces do not overlap; nil when that does not hold (ask GEOS).
    public static func convexArea(parcel: Geometry, _ polygons: [Geometry]) -> Double? {
        var scratch = ConvexClip.Scratch()
        return withOptionalBuffer(ConvexClip.convexRing(parcel)) { w in
            convexArea(window: w, rings: ConvexRings(polygons), ids: Array(polygons.indices), scratch: &scratch)
        }
    }

    /// The fast path both share: the parcel's convex ring and the polygons' convex rings.
    public static func convexArea(window: UnsafeBufferPointer<XY>?, rings: ConvexRings, ids: [Int], scratch: inout ConvexClip.Scratch) -> Double? {
        guard let window, ConvexClip.pieceAreas(window, count: ids.count, ring: { rings.withRing(ids[$0], $1) }, tiny: 0, scratch: &scratch)
        else { return nil }
        return scratch.areas.reduce(0, +)
    }
}

/// Calls `body` with the array's buffer, or with nil.
@inline(__always) public func withOptionalBuffer<R>(_ a: [XY]?, _ body: (UnsafeBufferPointer<XY>?) throws -> R) rethrows -> R {
    guard let a else { return try body(nil) }
    return try a.withUnsafeBufferPointer { try body($0) }
}
