import CGEOS

// One extension per verb group, as shapely 2 groups them: measurement, constructive,
// set operations, linear referencing, predicates. Every C call's return convention is noted:
// pointers are NULL on exception, `int` out-parameter functions return 0 on exception,
// `char` predicates return 2 on exception.

/// End caps of a buffer (GEOS `GEOSBufCapStyles`).
public enum BufferCap: Sendable {
    case round, flat, square
    var rawValue: Int32 {
        switch self {
        case .round: return Int32(GEOSBUF_CAP_ROUND.rawValue)
        case .flat: return Int32(GEOSBUF_CAP_FLAT.rawValue)
        case .square: return Int32(GEOSBUF_CAP_SQUARE.rawValue)
        }
    }
}
/// Joins of a buffer (GEOS `GEOSBufJoinStyles`).
public enum BufferJoin: Sendable {
    case round, mitre, bevel
    var rawValue: Int32 {
        switch self {
        case .round: return Int32(GEOSBUF_JOIN_ROUND.rawValue)
        case .mitre: return Int32(GEOSBUF_JOIN_MITRE.rawValue)
        case .bevel: return Int32(GEOSBUF_JOIN_BEVEL.rawValue)
        }
    }
}

/// How a buffer is built. `quadrantSegments` is the number of segments per quarter circle.
public struct BufferStyle: Sendable, Equatable {
    public var cap: BufferCap
    public var join: BufferJoin
    public var quadrantSegments: Int32
    public var mitreLimit: Double
    public init(cap: BufferCap = .round, join: BufferJoin = .round, quadrantSegments: Int32 = 8, mitreLimit: Double = 5) {
        self.cap = cap; self.join = join; self.quadrantSegments = quadrantSegments; self.mitreLimit = mitreLimit
    }
}

// MARK: Measurement (planar, in the units of the coordinates)
extension GEOSGeometry {
    /// Planar area in square coordinate units (m² in a projected CRS). 0 for points and lines.
    public func area() throws -> Double {
        var a = 0.0
        try context.status(GEOSArea_r(handle, pointer, &a), "GEOSArea_r")
        return a
    }
    /// Planar length (perimeter for polygons) in coordinate units.
    public func length() throws -> Double {
        var l = 0.0
        try context.status(GEOSLength_r(handle, pointer, &l), "GEOSLength_r")
        return l
    }
    /// Minimum planar distance to `other`, in coordinate units.
    public func distance(to other: GEOSGeometry) throws -> Double {
        var d = 0.0
        try context.status(GEOSDistance_r(handle, pointer, try context.pointer(of: other), &d), "GEOSDistance_r")
        return d
    }
    /// Bounding box; nil when empty.
    public func envelope() throws -> Envelope? {
        if try isEmpty() { return nil }
        var e = Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0)
        try context.status(GEOSGeom_getExtent_r(handle, pointer, &e.minX, &e.minY, &e.maxX, &e.maxY), "GEOSGeom_getExtent_r")
        return e
    }
}

// MARK: Constructive
extension GEOSGeometry {
    /// Buffer by `width` coordinate units with the given caps and joins.
    public func buffer(_ width: Double, style: BufferStyle = BufferStyle()) throws -> GEOSGeometry {
        try context.owned(GEOSBufferWithStyle_r(handle, pointer, width, style.quadrantSegments,
                                                style.cap.rawValue, style.join.rawValue, style.mitreLimit),
                          "GEOSBufferWithStyle_r")
    }
    /// Douglas–Peucker simplification; `preserveTopology` keeps polygons valid.
    public func simplify(tolerance: Double, preserveTopology: Bool = true) throws -> GEOSGeometry {
        try context.owned(preserveTopology ? GEOSTopologyPreserveSimplify_r(handle, pointer, tolerance)
                                           : GEOSSimplify_r(handle, pointer, tolerance), "GEOSSimplify_r")
    }
    /// Fast clip by an axis-aligned rectangle (result may be invalid only where the input was).
    public func clip(to e: Envelope) throws -> GEOSGeometry {
        try context.owned(GEOSClipByRect_r(handle, pointer, e.minX, e.minY, e.maxX, e.maxY), "GEOSClipByRect_r")
    }
    /// A valid geometry covering the same points (GEOS MakeValid, "linework" method).
    public func makeValid() throws -> GEOSGeometry {
        try context.owned(GEOSMakeValid_r(handle, pointer), "GEOSMakeValid_r")
    }
    public func centroid() throws -> GEOSGeometry {
        try context.owned(GEOSGetCentroid_r(handle, pointer), "GEOSGetCentroid_r")
    }
    /// A point guaranteed to lie on the geometry.
    public func pointOnSurface() throws -> GEOSGeometry {
        try context.owned(GEOSPointOnSurface_r(handle, pointer), "GEOSPointOnSurface_r")
    }
    public func boundary() throws -> GEOSGeometry {
        try context.owned(GEOSBoundary_r(handle, pointer), "GEOSBoundary_r")
    }
}

// MARK: Set operations
extension GEOSGeometry {
    public func intersection(_ other: GEOSGeometry) throws -> GEOSGeometry {
        try context.owned(GEOSIntersection_r(handle, pointer, try context.pointer(of: other)), "GEOSIntersection_r")
    }
    public func difference(_ other: GEOSGeometry) throws -> GEOSGeometry {
        try context.owned(GEOSDifference_r(handle, pointer, try context.pointer(of: other)), "GEOSDifference_r")
    }
    public func union(_ other: GEOSGeometry) throws -> GEOSGeometry {
        try context.owned(GEOSUnion_r(handle, pointer, try context.pointer(of: other)), "GEOSUnion_r")
    }
    /// Union of the parts of this geometry with each other (dissolve).
    public func unaryUnion() throws -> GEOSGeometry {
        try context.owned(GEOSUnaryUnion_r(handle, pointer), "GEOSUnaryUnion_r")
    }
    /// Sews lines that touch end to end.
    public func lineMerge() throws -> GEOSGeometry {
        try context.owned(GEOSLineMerge_r(handle, pointer), "GEOSLineMerge_r")
    }
}

extension GEOSContext {
    /// A geometry collection holding copies of `geometries` (the inputs stay owned by the caller).
    public func collect(_ geometries: [GEOSGeometry]) throws -> GEOSGeometry {
        for g in geometries { _ = try pointer(of: g) }   // all of this context, before any copy is made
        var copies: [OpaquePointer?] = []
        copies.reserveCapacity(geometries.count)
        for g in geometries {
            guard let c = GEOSGeom_clone_r(handle, g.pointer) else {
                for p in copies { GEOSGeom_destroy_r(handle, p) }
                throw failure("GEOSGeom_clone_r")
            }
            copies.append(c)
        }
        let coll = copies.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createCollection_r(handle, Int32(GEOS_GEOMETRYCOLLECTION.rawValue), buf.baseAddress, UInt32(buf.count))
        }
        return try owned(coll, "GEOSGeom_createCollection_r")
    }

    /// Union of many geometries in one cascaded pass (faster than pairwise unions).
    public func unaryUnion(_ geometries: [GEOSGeometry]) throws -> GEOSGeometry {
        try collect(geometries).unaryUnion()
    }
}

// MARK: Linear referencing
extension GEOSGeometry {
    /// The point at `distance` coordinate units along this line (clamped to its ends).
    public func interpolate(_ distance: Double) throws -> GEOSGeometry {
        try context.owned(GEOSInterpolate_r(handle, pointer, distance), "GEOSInterpolate_r")
    }
    /// Distance along this line to the point on it nearest `point`.
    public func project(_ point: GEOSGeometry) throws -> Double {
        let d = GEOSProject_r(handle, pointer, try context.pointer(of: point))
        if d < 0 { throw context.failure("GEOSProject_r") }   // -1 on exception
        return d
    }
}

// MARK: Predicates
extension GEOSGeometry {
    public func isEmpty() throws -> Bool { try context.predicate(GEOSisEmpty_r(handle, pointer), "GEOSisEmpty_r") }
    public func intersects(_ o: GEOSGeometry) throws -> Bool { try context.predicate(GEOSIntersects_r(handle, pointer, try context.pointer(of: o)), "GEOSIntersects_r") }
    public func contains(_ o: GEOSGeometry) throws -> Bool { try context.predicate(GEOSContains_r(handle, pointer, try context.pointer(of: o)), "GEOSContains_r") }
    public func covers(_ o: GEOSGeometry) throws -> Bool { try context.predicate(GEOSCovers_r(handle, pointer, try context.pointer(of: o)), "GEOSCovers_r") }
    public func touches(_ o: GEOSGeometry) throws -> Bool { try context.predicate(GEOSTouches_r(handle, pointer, try context.pointer(of: o)), "GEOSTouches_r") }
    public func overlaps(_ o: GEOSGeometry) throws -> Bool { try context.predicate(GEOSOverlaps_r(handle, pointer, try context.pointer(of: o)), "GEOSOverlaps_r") }
    public func equalsTopologically(_ o: GEOSGeometry) throws -> Bool { try context.predicate(GEOSEquals_r(handle, pointer, try context.pointer(of: o)), "GEOSEquals_r") }
}

extension GEOSGeometry {
    /// Whether a line has no self-intersection other than at its ends (OGC "simple").
    public func isSimple() throws -> Bool { try context.predicate(GEOSisSimple_r(handle, pointer), "GEOSisSimple_r") }
}

extension GEOSGeometry {
    /// The largest circle inside a polygon (GEOS MaximumInscribedCircle), found to within
    /// `tolerance` (CRS units): its centre and radius. Its diameter bounds the width of the
    /// polygon anywhere. Returns nil for an empty geometry.
    public func maximumInscribedCircle(tolerance: Double) throws -> (center: XY, radius: Double)? {
        // Returns a two-point LineString from the centre to the nearest boundary point; NULL on exception.
        let line = try context.owned(GEOSMaximumInscribedCircle_r(handle, pointer, tolerance), "GEOSMaximumInscribedCircle_r")
        guard case .lineString(let s) = try line.value(), s.count == 2 else { return nil }
        return (s.xy[0], s.xy[0].distance(to: s.xy[1]))
    }
}
