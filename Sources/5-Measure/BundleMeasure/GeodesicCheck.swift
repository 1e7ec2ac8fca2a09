import GeoCore

/// Geodesic cross-check (§0): working-CRS vertices converted to CGCS2000 longitude/latitude
/// (`LonLatConversion`: Krüger's series for the Gauss–Krüger working CRS),
/// edges taken as geodesics on the CGCS2000 ellipsoid without densifying (lengths of edges under
/// 100 m by the mid-latitude formula, within 2e-8 m of Karney's: see `Geodesic.length`).
struct GeodesicCheck {
    let toLonLat: LonLatConversion
    let proj: ProjContext

    /// How the cross-check is computed, as reports state it (`MeasurementReport.geodesicMethod`).
    static let method = "CGCS2000 ellipsoid (a = 6378137 m, f = 1/298.257222101), vertices converted from the Gauss–Krüger grid by Krüger's series to order n⁶ (Karney 2011; PROJ's tmerc within 1e-12°), edges taken as geodesics "
        + "without densifying: areas by Karney (geodesic.h geod_polygon); lengths by Karney's inverse, edges under "
        + "\(Int(Geodesic.shortEdge)) m by the mid-latitude formula (within 2e-8 m of Karney's)"

    init(working: CRS, proj: ProjContext) throws {
        toLonLat = try LonLatConversion(from: working, context: proj)
        self.proj = proj
    }

    /// Total geodesic length of the line parts, m: vertices converted and geodesics computed on
    /// all cores. `lonLat`: the same geometries already in longitude/latitude (then nothing is
    /// converted).
    func length(_ geometries: [Geometry], lonLat: [Geometry]? = nil) throws -> Double {
        var points: [XY] = [], paths: [Range<Int>] = []
        for g in lonLat ?? geometries { for s in g.lineParts { paths.append(points.count..<points.count + s.count); points += s.xy } }
        if lonLat == nil { try toLonLat.convert(&points, context: proj) }
        return Geodesic.cgcs2000.totalLength(points, paths: paths)
    }

    /// Total geodesic area of the polygon parts, m² (`lonLat` as for `length`).
    func area(_ geometries: [Geometry], lonLat: [Geometry]? = nil) throws -> Double { try areas(geometries, lonLat: lonLat).reduce(0, +) }

    /// Geodesic area of each geometry (its polygon parts, holes subtracted), m²: vertices
    /// converted and areas computed on all cores.
    func areas(_ geometries: [Geometry], lonLat: [Geometry]? = nil) throws -> [Double] {
        var points: [XY] = [], polygons: [[Range<Int>]] = [], owner: [Range<Int>] = []
        for g in lonLat ?? geometries {
            let first = polygons.count
            for rings in g.polygonParts {
                polygons.append(rings.map { r in defer { points += r.xy }; return points.count..<points.count + r.count })
            }
            owner.append(first..<polygons.count)
        }
        if lonLat == nil { try toLonLat.convert(&points, context: proj) }
        let each = Geodesic.cgcs2000.areas(points, polygons: polygons)
        return owner.map { $0.reduce(0) { $0 + each[$1] } }
    }
}
