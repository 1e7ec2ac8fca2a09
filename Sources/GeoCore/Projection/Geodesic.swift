import CPROJ

/// Geodesic lengths and areas on an ellipsoid, by Karney's algorithms (PROJ's `geodesic.h`;
/// C. F. F. Karney, "Algorithms for geodesics", J. Geodesy 87, 43–55, 2013). Input coordinates
/// are longitude/latitude in degrees (longitude first); results in metres and m². Edges are
/// geodesics between consecutive vertices, not densified. A plain value: safe to share.
public struct Geodesic: Sendable {
    public let semiMajorAxis: Double
    public let flattening: Double
    private let g: geod_geodesic

    public init(semiMajorAxis a: Double, flattening f: Double) {
        semiMajorAxis = a; flattening = f
        var g = geod_geodesic()
        geod_init(&g, a, f)
        self.g = g
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

    /// Length (m) of a path through the points.
    public func length(_ points: [XY]) -> Double {
        guard points.count > 1 else { return 0 }
        var total = 0.0
        withUnsafePointer(to: g) { gp in
            for i in 1..<points.count {
                var s = 0.0
                geod_inverse(gp, points[i - 1].y, points[i - 1].x, points[i].y, points[i].x, &s, nil, nil)
                total += s
            }
        }
        return total
    }

    /// Unsigned area (m²) enclosed by a ring (closed or not).
    public func ringArea(_ ring: [XY]) -> Double {
        var pts = ring
        if pts.count > 1, pts.first == pts.last { pts.removeLast() }
        guard pts.count > 2 else { return 0 }
        var lats = pts.map(\.y), lons = pts.map(\.x)
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: g) { gp in geod_polygonarea(gp, &lats, &lons, Int32(pts.count), &area, &perimeter) }
        return abs(area)
    }

    /// Area (m²) of a polygonal geometry in longitude/latitude: exteriors minus holes.
    public func area(_ geometry: Geometry) -> Double {
        geometry.polygonParts.reduce(0) { sum, rings in
            guard let ext = rings.first else { return sum }
            return sum + ringArea(ext.xy) - rings.dropFirst().reduce(0) { $0 + ringArea($1.xy) }
        }
    }

    /// Σ length (m) of many paths, on all cores. Edges are summed in blocks of 4096 in a fixed
    /// order, so the total does not depend on the number of cores.
    public func totalLength(_ paths: [[XY]]) -> Double {
        let blocks = paths.enumerated().flatMap { k, p in
            stride(from: 0, to: max(0, p.count - 1), by: 4096).map { s in (path: k, from: s, to: min(s + 4096, p.count - 1)) }
        }
        let sums = Parallel.ranges(blocks.count, minimumPerWorker: 4) { range in
            range.map { b in length(Array(paths[blocks[b].path][blocks[b].from...blocks[b].to])) }
        }
        return sums.joined().reduce(0, +)
    }

    /// Σ area (m²) of many polygonal geometries in longitude/latitude, on all cores, summed in input order.
    public func totalArea(_ geometries: [Geometry]) -> Double {
        Parallel.ranges(geometries.count, minimumPerWorker: 16) { range in range.map { area(geometries[$0]) } }.joined().reduce(0, +)
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
