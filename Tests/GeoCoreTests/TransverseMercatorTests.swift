import XCTest
import SampleData
@testable import GeoCore

/// Krüger's series against PROJ, point by point, on every CGCS2000 Gauss–Krüger zone.
final class TransverseMercatorTests: XCTestCase {
    /// Every zone EPSG:4491–4554 (3° and 6°, with and without the zone prefix): 400 seeded
    /// random points each, up to 1.6° (3°) or 3.1° (6°) either side of the central meridian and
    /// latitudes 3–54°N (China's extent), converted by the series and by PROJ: within 1e-12°
    /// (≈ 0.1 µm), the bound `LonLatConversion.method` states.
    func testSeriesAgreesWithPROJOnEveryZone() throws {
        var rng = SeededGenerator.forTest("TransverseMercatorTests")
        let proj = try ProjContext()
        let cgcs = try CRS.epsg(4490, context: proj)
        var worst = 0.0
        for code in 4491...4554 {
            let crs = try CRS.epsg(code, context: proj)
            let zone = try XCTUnwrap(crs.gaussKruger)
            let series = try XCTUnwrap(crs.transverseMercator, "EPSG:\(code)")
            XCTAssertEqual(series.centralMeridian, Double(zone.centralMeridian), accuracy: 1e-12)
            let toGrid = try CoordinateTransformer(from: cgcs, to: crs, context: proj)
            let half = zone.widthDegrees == 3 ? 1.6 : 3.1
            var lonLat = (0..<400).map { _ in
                XY(Double(zone.centralMeridian) + rng.uniform(-half, half), rng.uniform(3, 54))
            }
            lonLat += [XY(Double(zone.centralMeridian), 3), XY(Double(zone.centralMeridian) + half, 54), XY(Double(zone.centralMeridian) - half, 3)]
            var grid = lonLat
            try toGrid.transform(&grid)
            var byPROJ = grid
            try CoordinateTransformer(from: crs, to: cgcs, context: proj).transform(&byPROJ)
            for i in grid.indices {
                let q = series.lonLat(grid[i])
                worst = max(worst, abs(q.x - byPROJ[i].x), abs(q.y - byPROJ[i].y))
                XCTAssertEqual(q.x, byPROJ[i].x, accuracy: 1e-12, "EPSG:\(code) point \(i)")
                XCTAssertEqual(q.y, byPROJ[i].y, accuracy: 1e-12, "EPSG:\(code) point \(i)")
                // And back where it started (PROJ's forward then our inverse).
                XCTAssertEqual(q.x, lonLat[i].x, accuracy: 1e-10); XCTAssertEqual(q.y, lonLat[i].y, accuracy: 1e-10)
            }
        }
        print("TransverseMercatorTests: largest difference from PROJ \(worst)° over 64 zones × 403 points")
    }

    /// Closed forms: the false origin is (central meridian, 0); a point on the central meridian
    /// has the meridian's longitude; the domain's edge and non-finite input give non-finite output.
    func testKnownPointsAndTheDomain() throws {
        let proj = try ProjContext()
        let s = try XCTUnwrap(try CRS.epsg(4547, context: proj).transverseMercator)
        XCTAssertEqual(s.falseEasting, 500_000); XCTAssertEqual(s.falseNorthing, 0); XCTAssertEqual(s.scale, 1)
        XCTAssertEqual(s.lonLat(XY(500_000, 0)).x, 114, accuracy: 1e-13); XCTAssertEqual(s.lonLat(XY(500_000, 0)).y, 0)
        XCTAssertEqual(s.lonLat(XY(500_000, 2_500_000)).x, 114, accuracy: 1e-13)
        // The meridian arc to 1e-6 of the quarter meridian: 10 001 965.729 m (GRS80/CGCS2000).
        XCTAssertEqual(s.lonLat(XY(500_000, 10_001_965.7293)).y, 90, accuracy: 1e-8)
        XCTAssertFalse(s.lonLat(XY(500_000 + 2.7 * 6_367_449, 0)).isFinite)
        // Far outside any zone (the series' other branches: exp for sinh/cosh, sin/cos of ξ′
        // directly) it still agrees with PROJ.
        let wide = try CRS.epsg(4547, context: proj)
        var far = [XY(114 + 20, 30), XY(114 - 35, 45), XY(114 + 60, 10)]
        try CoordinateTransformer(from: try CRS.epsg(4490, context: proj), to: wide, context: proj).transform(&far)
        var back = far
        try CoordinateTransformer(from: wide, to: try CRS.epsg(4490, context: proj), context: proj).transform(&back)
        for (g, p) in zip(far, back) {
            XCTAssertEqual(s.lonLat(g).x, p.x, accuracy: 1e-9); XCTAssertEqual(s.lonLat(g).y, p.y, accuracy: 1e-9)
        }
        XCTAssertFalse(s.lonLat(XY(.nan, 0)).isFinite)
        var pts = [XY(500_000, 0), XY(.infinity, 0)]
        XCTAssertThrowsError(try s.convertOnAllCores(&pts, minimumPerWorker: 1))
        // A zone-prefixed CRS carries its prefix in the false easting.
        let prefixed = try XCTUnwrap(try CRS.epsg(4526, context: proj).transverseMercator)
        XCTAssertEqual(prefixed.falseEasting, 38_500_000)
        // Not a transverse Mercator, or not CGCS2000: PROJ is used.
        XCTAssertNil(try CRS.epsg(4490, context: proj).transverseMercator)
        XCTAssertNil(try LonLatConversion(from: try CRS.epsg(2435, context: proj), context: proj).series)   // Beijing 1954 GK
        XCTAssertNotNil(try LonLatConversion(from: try CRS.epsg(4547, context: proj), context: proj).series)
    }

    /// On all cores, in order, the same as one point at a time.
    func testAllCoresEqualsOneByOne() throws {
        let proj = try ProjContext()
        let s = try XCTUnwrap(try CRS.epsg(4547, context: proj).transverseMercator)
        var rng = SeededGenerator.forTest("TransverseMercatorTests.allCores")
        let grid = (0..<50_000).map { _ in XY(rng.uniform(350_000, 650_000), rng.uniform(2_000_000, 3_000_000)) }
        var all = grid
        try s.convertOnAllCores(&all, minimumPerWorker: 1_000)
        XCTAssertEqual(all, grid.map(s.lonLat))
    }
}

/// Telling two definitions of one CRS apart from two CRSs, without proj.db's operation search.
final class SameForCoordinatesTests: XCTestCase {
    func testESRIPrjOfAZoneIsTheZoneAndNotItsNeighbour() throws {
        let proj = try ProjContext()
        for code in [4526, 4547, 4549, 4502] {
            let epsg = try CRS.epsg(code, context: proj)
            let esri = try CRS.fromWKT(try epsg.esriWKT(context: proj), context: proj)
            XCTAssertTrue(try esri.isSameForCoordinates(as: epsg, context: proj), "EPSG:\(code)")
            XCTAssertTrue(try CoordinateTransformer(from: esri, to: epsg, context: proj).isNoop, "EPSG:\(code): PROJ agrees")
            let neighbour = try CRS.epsg(code + 1, context: proj)
            XCTAssertFalse(try esri.isSameForCoordinates(as: neighbour, context: proj), "EPSG:\(code) vs \(code + 1)")
        }
        // Another datum with the same projection (Beijing 1954 GK CM 114E) is not the same numbers.
        XCTAssertFalse(try CRS.epsg(2435, context: proj).isSameForCoordinates(as: try CRS.epsg(4547, context: proj), context: proj))
        XCTAssertFalse(try CRS.epsg(4490, context: proj).isSameForCoordinates(as: try CRS.epsg(4326, context: proj), context: proj))
    }
}
