import CGEOS

/// Owns one `GEOSGeometry*`, destroyed exactly once in `deinit`. Holds its context strongly,
/// so the context outlives every geometry made from it. Not `Sendable` (see `GEOSContext`).
/// Convert to and from the plain `Geometry` value with `GEOSContext.make(_:)` and `value()`.
public final class GEOSGeometry {
    public let context: GEOSContext
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer, context: GEOSContext) {
        self.pointer = pointer
        self.context = context
    }

    deinit { GEOSGeom_destroy_r(context.handle, pointer) }

    var handle: GEOSContextHandle_t { context.handle }

    /// A deep copy, owned by the caller.
    public func clone() throws -> GEOSGeometry {
        try context.owned(GEOSGeom_clone_r(handle, pointer), "GEOSGeom_clone_r")
    }

    /// OGC type name as GEOS reports it ("Polygon", …).
    public var typeName: String {
        guard let p = GEOSGeomType_r(handle, pointer) else { return "Unknown" }
        defer { GEOSFree_r(handle, p) }
        return String(cString: p)
    }

    /// Number of parts (1 for a single geometry).
    public var partCount: Int { Int(GEOSGetNumGeometries_r(handle, pointer)) }

    /// A copy of part `i` of a collection (0-based), owned by the caller.
    public func part(_ i: Int) throws -> GEOSGeometry {
        guard i >= 0, i < partCount, let p = GEOSGetGeometryN_r(handle, pointer, Int32(i)) else {
            throw context.failure("GEOSGetGeometryN_r(\(i))")
        }
        return try context.owned(GEOSGeom_clone_r(handle, p), "GEOSGeom_clone_r")
    }
}

// MARK: - Value → GEOS

extension GEOSContext {
    /// Builds a GEOS geometry from a value. Throws `GeoError.invalidGeometry` for rings that are
    /// not closed or have fewer than 4 points, lines with one point, and non-finite coordinates
    /// — checked here so that the error names the problem instead of a GEOS exception.
    public func make(_ g: Geometry) throws -> GEOSGeometry {
        try owned(build(g), "create \(g.typeName)")
    }

    private func build(_ g: Geometry) throws -> OpaquePointer {
        switch g {
        case .point(let s):
            if s.isEmpty { return try nonNull(GEOSGeom_createEmptyPoint_r(handle), "GEOSGeom_createEmptyPoint_r") }
            return try nonNull(GEOSGeom_createPoint_r(handle, try sequence(s)), "GEOSGeom_createPoint_r")
        case .lineString(let s):
            if s.isEmpty { return try nonNull(GEOSGeom_createEmptyLineString_r(handle), "GEOSGeom_createEmptyLineString_r") }
            guard s.count >= 2 else {
                throw GeoError.invalidGeometry(code: .lineTooFewPoints, detail: "a line needs at least 2 points, found \(s.count) at \(s.xy[0])")
            }
            return try nonNull(GEOSGeom_createLineString_r(handle, try sequence(s)), "GEOSGeom_createLineString_r")
        case .polygon(let rings):
            return try polygon(rings)
        case .multiPoint(let ps):
            return try collection(Int(GEOS_MULTIPOINT.rawValue), ps.map { Geometry.point($0) })
        case .multiLineString(let ls):
            return try collection(Int(GEOS_MULTILINESTRING.rawValue), ls.map { Geometry.lineString($0) })
        case .multiPolygon(let ps):
            return try collection(Int(GEOS_MULTIPOLYGON.rawValue), ps.map { Geometry.polygon($0) })
        case .collection(let gs):
            return try collection(Int(GEOS_GEOMETRYCOLLECTION.rawValue), gs)
        }
    }

    private func nonNull(_ p: OpaquePointer?, _ op: String) throws -> OpaquePointer {
        guard let p else { throw failure(op) }
        return p
    }

    private func polygon(_ rings: [CoordinateSequence]) throws -> OpaquePointer {
        if rings.isEmpty { return try nonNull(GEOSGeom_createEmptyPolygon_r(handle), "GEOSGeom_createEmptyPolygon_r") }
        for (i, r) in rings.enumerated() {
            guard r.count >= 4 else {
                throw GeoError.invalidGeometry(code: .ringTooFewPoints,
                    detail: "ring \(i) has \(r.count) points; a closed ring needs at least 4" + (r.xy.first.map { ", starting at (\($0.x), \($0.y))" } ?? ""))
            }
            guard r.isClosed else {
                throw GeoError.invalidGeometry(code: .ringNotClosed,
                    detail: "ring \(i) is not closed: starts at (\(r.xy[0].x), \(r.xy[0].y)), ends at (\(r.xy.last!.x), \(r.xy.last!.y))")
            }
        }
        // Rings are built one at a time; if a later one fails, the earlier ones are destroyed here.
        var built: [OpaquePointer?] = []
        do {
            for r in rings {
                built.append(try nonNull(GEOSGeom_createLinearRing_r(handle, try sequence(r)), "GEOSGeom_createLinearRing_r"))
            }
        } catch {
            for p in built { GEOSGeom_destroy_r(handle, p) }
            throw error
        }
        let shell = built[0]
        var holes = Array(built.dropFirst())
        let poly = holes.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createPolygon_r(handle, shell, buf.baseAddress, UInt32(buf.count))
        }
        return try nonNull(poly, "GEOSGeom_createPolygon_r")   // the polygon owns shell and holes
    }

    private func collection(_ type: Int, _ members: [Geometry]) throws -> OpaquePointer {
        // Parts are built one at a time; if one fails, those already built are destroyed here.
        var parts: [OpaquePointer?] = []
        parts.reserveCapacity(members.count)
        do {
            for m in members { parts.append(try build(m)) }
        } catch {
            for p in parts { GEOSGeom_destroy_r(handle, p) }
            throw error
        }
        let c = parts.withUnsafeMutableBufferPointer { buf in
            GEOSGeom_createCollection_r(handle, Int32(type), buf.baseAddress, UInt32(buf.count))
        }
        return try nonNull(c, "GEOSGeom_createCollection_r")   // the collection owns the parts
    }

    /// A new GEOS coordinate sequence (owned by the caller until handed to a constructor).
    func sequence(_ s: CoordinateSequence) throws -> OpaquePointer {
        if let bad = s.xy.firstIndex(where: { !$0.isFinite }) {
            throw GeoError.invalidGeometry(code: .nonFiniteCoordinate, detail: "coordinate \(bad) is (\(s.xy[bad].x), \(s.xy[bad].y))")
        }
        let n = UInt32(s.count)
        let seq: OpaquePointer?
        if let z = s.z {
            var buf = [Double](); buf.reserveCapacity(s.count * 3)
            for i in 0..<s.count { buf.append(s.xy[i].x); buf.append(s.xy[i].y); buf.append(z[i]) }
            seq = GEOSCoordSeq_copyFromBuffer_r(handle, buf, n, 1, 0)
        } else {
            seq = s.xy.withUnsafeBufferPointer { xy in
                xy.withMemoryRebound(to: Double.self) { d in   // XY is two contiguous Doubles
                    GEOSCoordSeq_copyFromBuffer_r(handle, d.baseAddress, n, 0, 0)
                }
            }
        }
        return try nonNull(seq, "GEOSCoordSeq_copyFromBuffer_r")
    }
}

// MARK: - GEOS → value

extension GEOSGeometry {
    /// The geometry as a plain value (Z kept where GEOS has it; GEOS 3.11 carries no M).
    public func value() throws -> Geometry { try Self.value(of: pointer, context: context) }

    static func value(of p: OpaquePointer, context: GEOSContext) throws -> Geometry {
        let h = context.handle
        let type = GEOSGeomTypeId_r(h, p)
        func seq(_ g: OpaquePointer) throws -> CoordinateSequence {
            if GEOSisEmpty_r(h, g) == 1 { return CoordinateSequence([]) }
            guard let cs = GEOSGeom_getCoordSeq_r(h, g) else { throw context.failure("GEOSGeom_getCoordSeq_r") }
            var size: UInt32 = 0
            try context.status(GEOSCoordSeq_getSize_r(h, cs, &size), "GEOSCoordSeq_getSize_r")
            let hasZ = GEOSHasZ_r(h, g) == 1
            if hasZ {
                var buf = [Double](repeating: 0, count: Int(size) * 3)
                try context.status(GEOSCoordSeq_copyToBuffer_r(h, cs, &buf, 1, 0), "GEOSCoordSeq_copyToBuffer_r")
                var xy = [XY](); xy.reserveCapacity(Int(size))
                var z = [Double](); z.reserveCapacity(Int(size))
                for i in 0..<Int(size) { xy.append(XY(buf[3 * i], buf[3 * i + 1])); z.append(buf[3 * i + 2]) }
                return CoordinateSequence(xy, z: z)
            }
            var xy = [XY](repeating: XY(0, 0), count: Int(size))
            let rc = xy.withUnsafeMutableBufferPointer { b in
                b.withMemoryRebound(to: Double.self) { d in GEOSCoordSeq_copyToBuffer_r(h, cs, d.baseAddress, 0, 0) }
            }
            try context.status(rc, "GEOSCoordSeq_copyToBuffer_r")
            return CoordinateSequence(xy)
        }
        func rings(_ g: OpaquePointer) throws -> [CoordinateSequence] {
            if GEOSisEmpty_r(h, g) == 1 { return [] }
            guard let ext = GEOSGetExteriorRing_r(h, g) else { throw context.failure("GEOSGetExteriorRing_r") }
            var out = [try seq(ext)]
            let n = GEOSGetNumInteriorRings_r(h, g)
            if n < 0 { throw context.failure("GEOSGetNumInteriorRings_r") }
            for i in 0..<n {
                guard let r = GEOSGetInteriorRingN_r(h, g, i) else { throw context.failure("GEOSGetInteriorRingN_r") }
                out.append(try seq(r))
            }
            return out
        }
        func parts(_ g: OpaquePointer) throws -> [OpaquePointer] {
            let n = GEOSGetNumGeometries_r(h, g)
            if n < 0 { throw context.failure("GEOSGetNumGeometries_r") }
            return try (0..<n).map { i in
                guard let sub = GEOSGetGeometryN_r(h, g, i) else { throw context.failure("GEOSGetGeometryN_r") }
                return sub
            }
        }
        switch UInt32(bitPattern: type) {
        case GEOS_POINT.rawValue: return .point(try seq(p))
        case GEOS_LINESTRING.rawValue, GEOS_LINEARRING.rawValue: return .lineString(try seq(p))
        case GEOS_POLYGON.rawValue: return .polygon(try rings(p))
        case GEOS_MULTIPOINT.rawValue: return .multiPoint(try parts(p).map(seq))
        case GEOS_MULTILINESTRING.rawValue: return .multiLineString(try parts(p).map(seq))
        case GEOS_MULTIPOLYGON.rawValue: return .multiPolygon(try parts(p).map(rings))
        case GEOS_GEOMETRYCOLLECTION.rawValue: return .collection(try parts(p).map { try value(of: $0, context: context) })
        default: throw context.failure("GEOSGeomTypeId_r returned \(type)")
        }
    }
}
