import XCTest
import SampleData
@testable import GeoCore

/// The geodesic cross-check's ring area on the authalic sphere (`Geodesic.shortEdgeRingArea`)
/// against Karney's `geod_polygon`, to the bound its documentation states:
/// |ours − Karney| ≤ 1e-7 × area + 0.01 m² per ring.
final class ShortEdgeAreaTests: XCTestCase {
    static func bound(_ karney: Double) -> Double { 1e-7 * karney + 0.01 }

    /// Seeded random simple (star-shaped) rings of 5–400 vertices with edges of about 1, 10, 30
    /// and 90 m, anywhere in China (0–54°N, 75–135°E), both orientations.
    func testRandomRingsAgreeWithKarney() {
        var rng = SeededGenerator.forTest("ShortEdgeAreaTests.random")
        let g = Geodesic.cgcs2000
        var worst = 0.0
        for edge in [1.0, 10, 30, 90] {
            for _ in 0..<200 {
                let lat0 = rng.uniform(0, 54), lon0 = rng.uniform(75, 135)
                let n = 5 + Int(rng.uniform(0, 395))
                var angles = (0..<n).map { _ in rng.uniform(0, 2 * .pi) }.sorted()
                if rng.uniform(0, 1) < 0.5 { angles.reverse() }
                let ring = angles.map { t -> XY in
                    let r = Double(n) * edge / (2 * .pi) * rng.uniform(0.85, 1.15)
                    return XY(lon0 + r * cos(t) / (111_000 * cos(lat0 * .pi / 180)), lat0 + r * sin(t) / 111_000)
                }
                let karney = g.karneyRingArea(ring)
                guard let ours = g.shortEdgeRingArea(ring) else { continue }   // an edge over 100 m: Karney's is used
                worst = max(worst, abs(ours - karney) / karney)
                XCTAssertEqual(ours, karney, accuracy: Self.bound(karney), "edge \(edge) m at \(lat0)°N, \(n) vertices")
                XCTAssertEqual(g.ringArea(ring), ours)
            }
        }
        print("ShortEdgeAreaTests: largest relative difference \(worst)")
    }

    /// Rings with a long edge, or near a pole, are Karney's.
    func testLongEdgesAndPolarRingsFallBackToKarney() {
        let g = Geodesic.cgcs2000
        let big = [XY(114, 22), XY(114.01, 22), XY(114.01, 22.01), XY(114, 22.01)]   // ≈ 1 km edges
        XCTAssertNil(g.shortEdgeRingArea(big))
        XCTAssertEqual(g.ringArea(big), g.karneyRingArea(big))
        let polar = [XY(0, 85), XY(0.0001, 85), XY(0.0001, 85.0001)]
        XCTAssertNil(g.shortEdgeRingArea(polar))
        // A closed ring equals the open one.
        let small = [XY(114, 22), XY(114.0005, 22), XY(114.0005, 22.0005), XY(114, 22.0005)]
        XCTAssertEqual(g.shortEdgeRingArea(small + [small[0]]), g.shortEdgeRingArea(small))
    }

    /// Every polygon ring of every `geodata/` bundle, converted to longitude/latitude by PROJ.
    func testGeodataRingsAgreeWithKarney() throws {
        let proj = try ProjContext()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../geodata").standardized.path
        let files = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.hasSuffix(".shp") }
        let g = Geodesic.cgcs2000
        var rings = 0, short = 0
        for f in files.sorted() {
            let layer = try ShapefileReader.read(root + "/" + f, proj: proj)
            guard let crs = layer.crs else { continue }
            let t = try CoordinateTransformer(from: crs, to: try CRS.epsg(4490, context: proj), context: proj)
            for feature in layer.features where feature.geometry.dimension == 2 {
                for rs in try t.transform(feature.geometry).polygonParts { for r in rs {
                    rings += 1
                    let karney = g.karneyRingArea(r.xy)
                    if let ours = g.shortEdgeRingArea(r.xy) {
                        short += 1
                        XCTAssertEqual(ours, karney, accuracy: Self.bound(karney), "\(f) feature \(feature.index)")
                    }
                } }
            }
        }
        print("ShortEdgeAreaTests: \(rings) rings of geodata/, \(short) with short edges only")
        XCTAssertGreaterThan(rings, 10)
    }
}
