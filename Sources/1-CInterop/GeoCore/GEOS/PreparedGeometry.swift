import CGEOS

/// A GEOS prepared geometry: an indexed form of `base` for repeated predicates against many
/// others. Owns the `GEOSPreparedGeometry*` (destroyed in `deinit`) and keeps `base` alive, as
/// GEOS requires. **Not thread-safe** even for reads: use it in one task only (it is not
/// `Sendable`, so the compiler holds you to that).
public final class PreparedGeometry {
    public let base: GEOSGeometry
    let pointer: OpaquePointer

    public init(_ base: GEOSGeometry) throws {
        guard let p = GEOSPrepare_r(base.handle, base.pointer) else { throw base.context.failure("GEOSPrepare_r") }
        self.base = base
        self.pointer = p
    }
    deinit { GEOSPreparedGeom_destroy_r(base.handle, pointer) }

    private var ctx: GEOSContext { base.context }
    public func intersects(_ g: GEOSGeometry) throws -> Bool { try ctx.predicate(GEOSPreparedIntersects_r(ctx.handle, pointer, try ctx.pointer(of: g)), "GEOSPreparedIntersects_r") }
    public func contains(_ g: GEOSGeometry) throws -> Bool { try ctx.predicate(GEOSPreparedContains_r(ctx.handle, pointer, try ctx.pointer(of: g)), "GEOSPreparedContains_r") }
    public func covers(_ g: GEOSGeometry) throws -> Bool { try ctx.predicate(GEOSPreparedCovers_r(ctx.handle, pointer, try ctx.pointer(of: g)), "GEOSPreparedCovers_r") }
    public func containsProperly(_ g: GEOSGeometry) throws -> Bool { try ctx.predicate(GEOSPreparedContainsProperly_r(ctx.handle, pointer, try ctx.pointer(of: g)), "GEOSPreparedContainsProperly_r") }

    /// Shortest distance to `g`, using the prepared geometry's index (GEOS ≥ 3.9): unlike
    /// `GEOSGeometry.distance`, not proportional to the product of the vertex counts.
    public func distance(to g: GEOSGeometry) throws -> Double {
        var d = 0.0
        // 1 on success, 0 on exception.
        guard GEOSPreparedDistance_r(ctx.handle, pointer, try ctx.pointer(of: g), &d) == 1 else { throw ctx.failure("GEOSPreparedDistance_r") }
        return d
    }
}
