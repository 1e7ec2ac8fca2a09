import GeoCore

/// Geodesic cross-check (§0): working-CRS vertices converted to CGCS2000 longitude/latitude,
/// edges taken as geodesics on the CGCS2000 ellipsoid without densifying.
struct GeodesicCheck {
    let toLonLat: CoordinateTransformer

    init(working: CRS, proj: ProjContext) throws {
        toLonLat = try CoordinateTransformer(from: working, to: try CRS.epsg(4490, context: proj), context: proj)
    }

    /// Total geodesic length of the line parts, m (vertices converted here, geodesics on all cores).
    func length(_ geometries: [Geometry]) throws -> Double {
        var parts: [[XY]] = []
        for g in geometries { for s in g.lineParts { var xy = s.xy; try toLonLat.transform(&xy); parts.append(xy) } }
        return Geodesic.cgcs2000.totalLength(parts)
    }

    /// Total geodesic area of the polygon parts, m².
    func area(_ geometries: [Geometry]) throws -> Double {
        Geodesic.cgcs2000.totalArea(try geometries.map { try toLonLat.transform($0) })
    }
}
