import CPROJ
import Foundation

/// Geodesic lengths and areas on an ellipsoid, by Karney's algorithms (PROJ's `geodesic.h`;
/// C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 43–55, 2013). Input coordinates
/// are longitude/latitude in degrees (longitude first); results in metres and m². Edges are
/// geodesics between consecutive vertices, not densified. A plain value: safe to share.
public struct Geodesic: Sendable {
    public let semiMajorAxis: Double
    public let flattening: Double
    private let g: geod_geodesic
    /// First eccentricity e, q at the pole (q_p) and the authalic radius R_q (m), for
    /// `shortEdgeRingArea`.
    private let e: Double, qPole: Double, authalicRadius: Double

    public init(semiMajorAxis a: Double, flattening f: Double) {
        semiMajorAxis = a; flattening = f
        var g = geod_geodesic()
        geod_init(&g, a, f)
        self.g = g
        let e2 = f * (2 - f)
        e = e2.squareRoot()
        qPole = Self.q(1, e: e)
        authalicRadius = a * (qPole / 2).squareRoot()
    }

    /// q(φ) of the authalic latitude, sin ξ = q(φ)/q_p (Snyder 1987, eq. 3-12), from sin φ.
    private static func q(_ s: Double, e: Double) -> Double {
        let e2 = e * e
        return (1 - e2) * (s / (1 - e2 * s * s) - log((1 - e * s) / (1 + e * s)) / (2 * e))
    }

    /// CGCS2000 ellipsoid: a = 6378137 m, f = 1/298.257222101.
    public static let cgcs2000 = Geodesic(semiMajorAxis: 6378137, flattening: 1 / 298.257222101)
    /// WGS 84 ellipsoid: a = 6378137 m, f = 1/298.257223563.
    public static let wgs84 = Geodesic(semiMajorAxis: 6378137, flattening: 1 / 298.257223563)

    /// Distance (m) and forward azimuths (degrees clockwise from north) between two points.
    public func inverse(_ p1: XY, _ p2: XY) -> (distance: Double, azimuth1: Double, azimuth2: Double) {
        var s = 0.0, a1 = 0.0, a2 = 0.0
        withUnsafePointer(to: g) { gp in geod_inverse(gp, p1.y, p1.x, p2.y, p2.x, &s, &a1, &a2) }
        return (s, a1, a2)
    }

    /// The point `distance` m from `p` along the geodesic leaving at `azimuth` (degrees
    /// clockwise from north); longitude first.
    public func direct(_ p: XY, azimuth: Double, distance: Double) -> XY {
        var lat = 0.0, lon = 0.0, azi = 0.0
        withUnsafePointer(to: g) { gp in geod_direct(gp, p.y, p.x, azimuth, distance, &lat, &lon, &azi) }
        return XY(lon, lat)
    }

    /// Length (m) of a path through the points: the sum of the geodesic lengths of its edges.
    ///
    /// An edge shorter than `shortEdge` (below 80° latitude) is measured by the mid-latitude
    /// formula s² = (M·Δφ)² + (N·cos φₘ·Δλ)², with the meridian and normal radii of curvature M
    /// and N at the mean latitude: within 2e-8 m of Karney's inverse for edges of 0.1–100 m at
    /// 0–60° (tested; the largest difference seen is about 4e-9 m, the rounding of the degree
    /// coordinates, and Karney states 15 nm for his own), about twenty times faster. Longer
    /// edges use Karney's inverse.
    public func length<C: RandomAccessCollection>(_ points: C) -> Double where C.Element == XY {
        guard points.count > 1 else { return 0 }
        var total = 0.0
        let e2 = flattening * (2 - flattening), a = semiMajorAxis, rad = Double.pi / 180
        withUnsafePointer(to: g) { gp in
            var prev = points.first!
            for p in points.dropFirst() {
                defer { prev = p }
                let dphi = (p.y - prev.y) * rad, dlambda = (p.x - prev.x) * rad
                // Quick gate: both differences below 1e-4 rad (≈ 640 m) and away from the poles.
                if abs(dphi) < 1e-4, abs(dlambda) < 1e-4, abs(p.y) < 80, abs(prev.y) < 80 {
                    let phim = (p.y + prev.y) / 2 * rad
                    let sinm = sin(phim), cosm = cos(phim), w = 1 - e2 * sinm * sinm
                    let n = a / w.squareRoot(), m = n * (1 - e2) / w
                    let x = m * dphi, y = n * cosm * dlambda
                    let s = (x * x + y * y).squareRoot()
                    if s < Geodesic.shortEdge { total += s; continue }
                }
                var s = 0.0
                geod_inverse(gp, prev.y, prev.x, p.y, p.x, &s, nil, nil)
                total += s
            }
        }
        return total
    }

    /// Edges shorter than this (m) are measured by the mid-latitude formula in `length`.
    public static let shortEdge = 100.0

    /// Unsigned area (m²) enclosed by a ring (closed or not), edges taken as geodesics. A ring
    /// whose every edge is short (`shortEdgeRingArea`) is summed on the authalic sphere; any
    /// other by Karney's `geod_polygon` (the same sums as `geod_polygonarea`, without copying).
    public func ringArea<C: RandomAccessCollection>(_ ring: C) -> Double where C.Element == XY {
        if let a = shortEdgeRingArea(ring) { return a }
        return karneyRingArea(ring)
    }

    /// The ring's area by the authalic sphere, or nil when an edge is not short (≥ 1e-4 rad
    /// ≈ 640 m in latitude or longitude, or ≥ `shortEdge` m) or a vertex is above 80°.
    ///
    /// The ellipsoid's area between an edge and the equator is R_q² ∫ sin ξ dλ along the edge
    /// (ξ the authalic latitude: the mapping to the sphere of radius R_q keeps areas, meridians
    /// and the equator). The integral is the trapezoid over the edge plus the area between the
    /// geodesic and its chord in the equal-area cylindrical plane, tan φₘ · Δx (Δx² + 3 Δy²) /
    /// (12 R_q) for an edge of east and north extents Δx, Δy (m): a great circle bulges
    /// poleward by its curvature there. Values are taken relative to the first vertex, so the
    /// sum does not cancel large numbers. Against Karney's `geod_polygon`: within 1e-7 of the
    /// area plus 0.01 m² per ring (Karney's own accuracy for small rings is of that order)
    /// on seeded random rings of 1–100 m edges at 0–54°N, every `geodata/` bundle and the
    /// 1 000 km bench shorelines (`GeodesicTests`); 15–30× faster.
    public func shortEdgeRingArea<C: RandomAccessCollection>(_ ring: C) -> Double? where C.Element == XY {
        var n = ring.count
        if n > 1, ring.first == ring.last { n -= 1 }
        guard n > 2 else { return 0 }
        let rad = Double.pi / 180, r = authalicRadius
        let first = ring.first!
        let lambda0 = first.x * rad, sinXi0 = Self.q(sin(first.y * rad), e: e) / qPole
        var sum = 0.0, curvature = 0.0
        var prev = first, prevLambda = 0.0, prevSinXi = 0.0
        var i = ring.startIndex
        for k in 0..<n {
            ring.formIndex(after: &i)
            let p = k == n - 1 ? first : ring[i]
            let dphi = (p.y - prev.y) * rad, dlambda = (p.x - prev.x) * rad
            guard abs(dphi) < 1e-4, abs(dlambda) < 1e-4, abs(p.y) < 80 else { return nil }
            let lambda = p.x * rad - lambda0
            let sinXi = k == n - 1 ? 0 : Self.q(sin(p.y * rad), e: e) / qPole - sinXi0
            sum += (lambda - prevLambda) * (sinXi + prevSinXi)
            let phim = (p.y + prev.y) / 2 * rad
            let dx = r * cos(phim) * dlambda, dy = r * dphi
            guard dx * dx + dy * dy < Geodesic.shortEdge * Geodesic.shortEdge else { return nil }
            curvature += tan(phim) * dx * (dx * dx + 3 * dy * dy)
            prev = p; prevLambda = lambda; prevSinXi = sinXi
        }
        return abs(r * r * sum / 2 + curvature / (12 * r))
    }

    /// The ring's area by Karney's `geod_polygon`.
    public func karneyRingArea<C: RandomAccessCollection>(_ ring: C) -> Double where C.Element == XY {
        var n = ring.count
        if n > 1, ring.first == ring.last { n -= 1 }
        guard n > 2 else { return 0 }
        var poly = geod_polygon()
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: g) { gp in
            geod_polygon_init(&poly, 0)
            for p in ring.prefix(n) { geod_polygon_addpoint(gp, &poly, p.y, p.x) }
            _ = geod_polygon_compute(gp, &poly, 0, 1, &area, &perimeter)
        }
        return abs(area)
    }

    /// Area (m²) of a polygonal geometry in longitude/latitude: exteriors minus holes.
    public func area(_ geometry: Geometry) -> Double {
        geometry.polygonParts.reduce(0) { sum, rings in
            guard let ext = rings.first else { return sum }
            return sum + ringArea(ext.xy) - rings.dropFirst().reduce(0) { $0 + ringArea($1.xy) }
        }
    }

    /// Σ length (m) of many paths (ranges of `points`), on all cores. Edges are summed in
    /// blocks of 4096 in a fixed order, so the total does not depend on the number of cores.
    public func totalLength(_ points: [XY], paths: [Range<Int>]) -> Double {
        let blocks = paths.flatMap { r in
            stride(from: r.lowerBound, to: max(r.lowerBound, r.upperBound - 1), by: 4096).map { s in s...min(s + 4096, r.upperBound - 1) }
        }
        return Parallel.ranges(blocks.count, minimumPerWorker: 4) { range in range.map { length(points[blocks[$0]]) } }.joined().reduce(0, +)
    }

    /// Area (m²) of each polygon given as rings (ranges of `points`, shell first), on all cores.
    public func areas(_ points: [XY], polygons: [[Range<Int>]]) -> [Double] {
        Array(Parallel.ranges(polygons.count, minimumPerWorker: 16) { range in
            range.map { k in
                polygons[k].enumerated().reduce(0.0) { sum, ring in sum + (ring.offset == 0 ? 1 : -1) * ringArea(points[ring.element]) }
            }
        }.joined())
    }

    /// Length (m) of a geometry in longitude/latitude: lines, or polygon perimeters.
    public func length(_ geometry: Geometry) -> Double {
        switch geometry.dimension {
        case 1: return geometry.lineParts.reduce(0) { $0 + length($1.xy) }
        case 2: return geometry.polygonParts.flatMap { $0 }.reduce(0) { $0 + length($1.xy) }
        default: return 0
        }
    }
}
