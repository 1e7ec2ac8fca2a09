import GeoCore

/// Geodesic cross-check (§0): working-CRS vertices converted to CGCS2000 longitude/latitude,
/// edges taken as geodesics on the CGCS2000 ellipsoid without densifying.
struct GeodesicCheck {
    let toLonLat: CoordinateTransformer

    init(working: CRS, proj: ProjContext) throws {
        toLonLat = try CoordinateTransformer(from: working, to: try CRS.epsg(4490, context: proj), context: proj)
    }

    /// Total geodesic length of the line parts, m.
    func length(_ geometries: [Geometry]) throws -> Double {
        try geometries.reduce(0) { acc, g in
            try acc + g.lineParts.reduce(0) { a, s in var xy = s.xy; try toLonLat.transform(&xy); return a + Geodesic.cgcs2000.length(xy) }
        }
    }

    /// Total geodesic area of the polygon parts, m².
    func area(_ geometries: [Geometry]) throws -> Double {
        try geometries.reduce(0) { $0 + Geodesic.cgcs2000.area(try toLonLat.transform($1)) }
    }
}
