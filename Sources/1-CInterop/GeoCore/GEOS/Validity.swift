import CGEOS

/// Result of an OGC validity check: the GEOS reason and the point where the problem is.
public struct ValidityReport: Sendable, Equatable {
    public var isValid: Bool
    /// GEOS's reason, e.g. "Self-intersection", "Too few points", "Ring Self-intersection".
    public var reason: String?
    /// Where the problem is, in the geometry's coordinates.
    public var location: XY?
}

extension GEOSGeometry {
    /// OGC Simple Features validity with reason and location (`GEOSisValidDetail_r`).
    public func validity() throws -> ValidityReport {
        var reason: UnsafeMutablePointer<CChar>? = nil
        var location: OpaquePointer? = nil
        let rc = GEOSisValidDetail_r(handle, pointer, 0, &reason, &location)
        defer {
            if let reason { GEOSFree_r(handle, reason) }
            if let location { GEOSGeom_destroy_r(handle, location) }
        }
        switch rc {
        case 1: return ValidityReport(isValid: true, reason: nil, location: nil)
        case 0:
            var where_: XY? = nil
            if let location {
                var x = 0.0, y = 0.0
                if GEOSGeomGetX_r(handle, location, &x) == 1, GEOSGeomGetY_r(handle, location, &y) == 1 { where_ = XY(x, y) }
            }
            return ValidityReport(isValid: false, reason: reason.map { String(cString: $0) }, location: where_)
        default: throw context.failure("GEOSisValidDetail_r")
        }
    }
}
