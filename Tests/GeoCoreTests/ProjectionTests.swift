import Foundation
import XCTest
import SampleData
import CPROJ
@testable import GeoCore

/// PROJ and geodesic wrappers against independently published values.
final class ProjectionTests: XCTestCase {
    var proj: ProjContext!
    override func setUpWithError() throws { proj = try ProjContext() }
    override func tearDown() { proj = nil }

    /// EPSG Guidance Note 7-2, Transverse Mercator example (OSGB 1936 / British National Grid):
    /// φ = 50°30'N, λ = 0°30'E → E = 577 274.99 m, N = 69 740.50 m.
    func testTransverseMercatorAgainstEPSGGuidanceNoteExample() throws {
        let t = try CoordinateTransformer(from: try CRS.epsg(4277, context: proj), to: try CRS.epsg(27700, context: proj), context: proj)
        let p = try t.transform(XY(0.5, 50.5))   // longitude first, whatever EPSG's axis order
        XCTAssertEqual(p.x, 577_274.99, accuracy: 0.01)
        XCTAssertEqual(p.y, 69_740.50, accuracy: 0.01)
    }

    func testCGCS2000GaussKrugerCentralMeridianAndZonePrefix() throws {
        let ll = try CRS.epsg(4490, context: proj)
        let noPrefix = try CoordinateTransformer(from: ll, to: try CRS.epsg(4548, context: proj), context: proj)
        let p = try noPrefix.transform(XY(117, 0))
        XCTAssertEqual(p.x, 500_000, accuracy: 1e-6)
        XCTAssertEqual(p.y, 0, accuracy: 1e-6)
        let prefixed = try CoordinateTransformer(from: ll, to: try CRS.epsg(4498, context: proj), context: proj)   // 6° zone 20, CM 117°E
        XCTAssertEqual(try prefixed.transform(XY(117, 22)).x, 20_500_000, accuracy: 1e-6)
        // On the central meridian the northing is the meridian arc: same in the 3° and 6° zone.
        XCTAssertEqual(try prefixed.transform(XY(117, 22)).y, try noPrefix.transform(XY(117, 22)).y, accuracy: 1e-6)
    }

    /// The pruned lon/lat extent equals the box of every point transformed, exactly, in 3° and
    /// 6° zones with and without the zone prefix: wavy lines crossing the central meridian (where
    /// the highest latitude of a block lies between its corners), scattered clouds, points far
    /// out in the zone; a CRS that is not Gauss–Krüger takes the full transform.
    func testLonLatExtentEqualsFullConversion() throws {
        let cgcs = try CRS.epsg(4490, context: proj)
        var rng = SeededGenerator.forTest("testLonLatExtentEqualsFullTransform")
        for (epsg, cm) in [(4547, 114), (4526, 114), (4498, 117), (4509, 117)] {
            let crs = try CRS.epsg(epsg, context: proj)
            let zone = try XCTUnwrap(crs.gaussKruger)
            let x0 = zone.centralEasting
            // The central meridian maps to the central easting.
            XCTAssertEqual(try CoordinateTransformer(from: cgcs, to: crs, context: proj).transform(XY(Double(cm), 30)).x, x0, accuracy: 1e-6)
            var sets: [[XY]] = []
            // Horizontal zigzags across the meridian: blocks straddle x0 with their top edge there.
            sets.append((0..<5000).map { i in XY(x0 - 20_000 + Double(i) * 8, 2_500_000 + Double(i % 40) * 3) })
            sets.append((0..<3000).map { i in XY(x0 + 50_000 * sin(Double(i) / 300), 3_000_000 + Double(i) * 5) })
            sets.append((0..<4000).map { _ in XY(x0 + .random(in: -300_000...300_000, using: &rng), .random(in: 2_000_000...4_500_000, using: &rng)) })
            sets.append([XY(x0 - 900_000, 100_000), XY(x0 + 900_000, 6_000_000), XY(x0, 3_000_000)])
            // Blocks of 256 vertices: one each far west, far east and south, one 1e-7° south of
            // the middle of the last, which lies on a northing line across the meridian (its
            // corners about 3e-7° south of its middle). Only the top-edge probe at the meridian
            // shows that the last block may hold the northernmost vertex.
            let fwd = try CoordinateTransformer(from: cgcs, to: crs, context: proj), inv = try CoordinateTransformer(from: crs, to: cgcs, context: proj)
            let peak = try inv.transform(XY(x0, 2_600_000)).y
            let north = try fwd.transform(XY(Double(cm) + 0.3, peak - 1e-7))
            sets.append([XY(x0 - 50_000, 2_600_000), XY(x0 + 50_000, 2_600_000), XY(x0, 2_500_000), north].flatMap { Array(repeating: $0, count: 256) }
                        + (0..<256).map { XY(x0 - 1020 + Double($0) * 8, 2_600_000) })
            let series = try XCTUnwrap(crs.transverseMercator)
            for pts in sets {
                let fast = try XCTUnwrap(try LonLatExtent.of(pts, crs: crs, cgcs: cgcs, context: proj))
                // Exactly the box of every point converted by the series the pruned path uses…
                XCTAssertEqual(fast, Envelope(of: pts.map(series.lonLat)), "EPSG:\(epsg), \(pts.count) points")
                // …and PROJ's full transform's box within the series' bound (1e-12°).
                let full = try XCTUnwrap(try LonLatExtent.full(pts, crs: crs, cgcs: cgcs, context: proj))
                for (a, b) in [(fast.minX, full.minX), (fast.minY, full.minY), (fast.maxX, full.maxX), (fast.maxY, full.maxY)] {
                    XCTAssertEqual(a, b, accuracy: 1e-12, "EPSG:\(epsg), \(pts.count) points")
                }
            }
        }
        // Outside the region the argument covers, and for other CRSs, every point is transformed.
        let crs = try CRS.epsg(4547, context: proj)
        XCTAssertFalse(crs.gaussKruger!.monotoneRegion.contains(Envelope(minX: 0, minY: -10, maxX: 1, maxY: 1)))
        let ll = [XY(113.5, 22.1), XY(114.2, 22.9), XY(113.9, 22.4)]
        XCTAssertEqual(try LonLatExtent.of(ll, crs: cgcs, cgcs: cgcs, context: proj), Envelope(minX: 113.5, minY: 22.1, maxX: 114.2, maxY: 22.9))
        XCTAssertNil(try LonLatExtent.of([], crs: crs, cgcs: cgcs, context: proj))
    }

    /// Short edges measured by the mid-latitude formula agree with Karney's inverse to 2e-8 m
    /// (0.1–100 m, 0–60°, every azimuth; the largest difference seen is about 4e-9 m, the rounding
    /// of degree coordinates, and Karney states 15 nm for his own); longer edges are Karney's own.
    func testShortEdgesAgreeWithKarney() {
        let g = Geodesic.cgcs2000
        var rng = SeededGenerator.forTest("testShortEdgesAgreeWithKarney")
        var worst = 0.0
        for _ in 0..<20_000 {
            let start = XY(Double.random(in: 100...130, using: &rng), Double.random(in: 0...60, using: &rng))
            let azimuth = Double.random(in: 0..<360, using: &rng), distance = pow(10, Double.random(in: -1...2, using: &rng))
            let end = g.direct(start, azimuth: azimuth, distance: distance)
            worst = max(worst, abs(g.length([start, end]) - g.inverse(start, end).distance))
        }
        XCTAssertLessThan(worst, 2e-8)
        // A path of 1000 edges of about 5 m: the sum agrees to 1e-9 relative.
        var path = [XY(114, 22.5)]
        for k in 0..<1000 { path.append(g.direct(path.last!, azimuth: 40 + Double(k % 7), distance: 5)) }
        let karney = zip(path, path.dropFirst()).reduce(0) { $0 + g.inverse($1.0, $1.1).distance }
        XCTAssertEqual(g.length(path), karney, accuracy: 1e-9 * karney)
        // 2 km edges are Karney's.
        let far = g.direct(XY(114, 22.5), azimuth: 30, distance: 2000)
        XCTAssertEqual(g.length([XY(114, 22.5), far]), g.inverse(XY(114, 22.5), far).distance)
    }

    func testBatchRoundTrip() throws {
        let ll = try CRS.epsg(4490, context: proj), gk = try CRS.epsg(4547, context: proj)
        let fwd = try CoordinateTransformer(from: ll, to: gk, context: proj)
        let inv = try CoordinateTransformer(from: gk, to: ll, context: proj)
        let original = (0..<1000).map { XY(115.0 + Double($0) * 0.0008, 22.7 + Double($0 % 37) * 0.005) }
        var pts = original
        try fwd.transform(&pts)
        XCTAssertTrue(pts.allSatisfy { $0.x > 300_000 && $0.x < 700_000 && $0.y > 2_400_000 })
        try inv.transform(&pts)
        for (a, b) in zip(original, pts) {
            XCTAssertEqual(a.x, b.x, accuracy: 1e-9); XCTAssertEqual(a.y, b.y, accuracy: 1e-9)
        }
    }

    func testCRSFromESRIWKTIsIdentified() throws {
        for code in [4490, 4547, 4548, 4549, 4326] {
            let esri = try CRS.epsg(code, context: proj).esriWKT(context: proj)
            let back = try CRS.fromWKT(esri, context: proj)
            XCTAssertEqual(back.epsg, code, "ESRI WKT of EPSG:\(code) identified")
        }
        let gk = try CRS.epsg(4547, context: proj)
        XCTAssertTrue(gk.isCGCS2000)
        XCTAssertEqual(gk.kind, .projected)
        XCTAssertEqual(gk.gaussKruger?.centralMeridian, 114)
        XCTAssertEqual(gk.inverseFlattening, 298.257222101, accuracy: 1e-9)
        XCTAssertTrue(try CRS.epsg(4214, context: proj).isBeijing1954)
        XCTAssertTrue(try CRS.epsg(4610, context: proj).isXian1980)
    }

    /// The ESRI WKT1 a `.prj` holds for EPSG:4547 is the same CRS for coordinates: PROJ's
    /// operation to EPSG:4547 is `+proj=noop` and points come back bit for bit. To the next zone
    /// it is a real operation; a non-finite point is refused either way.
    func testOperationBetweenDialectsOfOneCRSIsANoop() throws {
        let gk = try CRS.epsg(4547, context: proj)
        let fromPrj = try CRS.parseWKT(try gk.esriWKT(context: proj), context: proj)   // PROJ's own reading of the ESRI text
        XCTAssertNotEqual(fromPrj, gk, "the two values differ (names, axis order, identifiers)")
        let same = try CoordinateTransformer(from: fromPrj, to: gk, context: proj)
        XCTAssertTrue(same.isNoop)
        let original = (0..<100).map { XY(400_000 + Double($0) * 1234.567, 2_500_000 + Double($0 * $0) * 0.1) }
        var pts = original
        try same.transform(&pts)
        XCTAssertEqual(pts, original)
        var bad = original; bad[7] = XY(.nan, 1)
        XCTAssertThrowsError(try same.transform(&bad)) { XCTAssertTrue("\($0)".contains("coordinate 7"), "\($0)") }
        let next = try CoordinateTransformer(from: fromPrj, to: try CRS.epsg(4546, context: proj), context: proj)
        XCTAssertFalse(next.isNoop)
        var moved = original
        try next.transform(&moved)
        XCTAssertGreaterThan(abs(moved[0].x - original[0].x), 1000, "CM 114E → 111E moves eastings by hundreds of km")
    }

    /// Every CGCS2000 CRS (EPSG:4490 and the Gauss–Krüger zones 4491–4554) written as the ESRI
    /// WKT1 of a `.prj` is identified by PROJ as its EPSG code, whatever PROJ 9.x is installed
    /// (nothing pinned to one release); a text that differs is not taken for it.
    func testESRIPrjOfEveryCGCS2000ZoneIsIdentified() throws {
        for code in [4490] + Array(4491...4554) {
            let byDatabase = try CRS.fromDatabase(code, context: proj)
            let parsed = try CRS.parseWKT(try byDatabase.esriWKT(context: proj), context: proj)
            XCTAssertEqual(parsed.epsg, code)
            XCTAssertEqual(parsed.datum, byDatabase.datum)
            XCTAssertEqual(parsed.inverseFlattening, byDatabase.inverseFlattening)
        }
        let esri = try CRS.epsg(4547, context: proj).esriWKT(context: proj)
        let shifted = esri.replacingOccurrences(of: "\"Central_Meridian\",114.0", with: "\"Central_Meridian\",114.5")
        XCTAssertNotEqual(shifted, esri)
        let read = try CRS.fromWKT(shifted, context: proj)
        XCTAssertNotEqual(read.epsg, 4547)
        XCTAssertTrue(read.isCGCS2000)
    }

    /// The ESRI texts read without PROJ (`GaussKrugerZone.epsg(ofESRIWKT:)`) are PROJ's own for
    /// each code, PROJ reads each back as that code and the same CRS for coordinates (the same
    /// transverse Mercator), and `CRS.fromWKT` gives the EPSG value for them; one changed digit
    /// or name goes to PROJ.
    func testESRITextsReadWithoutPROJAreTheCodesPROJWrites() throws {
        for code in [4490] + Array(4491...4554) {
            let byDatabase = try CRS.fromDatabase(code, context: proj)
            let text = code == 4490 ? GaussKrugerZone.esriGeographic : GaussKrugerZone(epsg: code)!.esriWKT
            XCTAssertEqual(text, try byDatabase.esriWKT(context: proj), "EPSG:\(code)")
            XCTAssertEqual(GaussKrugerZone.epsg(ofESRIWKT: text), code)
            let parsed = try CRS.parseWKT(text, context: proj)
            XCTAssertEqual(parsed.epsg, code)
            XCTAssertTrue(try parsed.isSameForCoordinates(as: byDatabase, context: proj), "EPSG:\(code)")
            XCTAssertEqual(parsed.transverseMercator, byDatabase.transverseMercator, "EPSG:\(code)")
            XCTAssertEqual(try CRS.fromWKT(text, context: proj), byDatabase)
        }
        let text = GaussKrugerZone(epsg: 4547)!.esriWKT
        for changed in [text.replacingOccurrences(of: "114.0", with: "114.00001"), text.replacingOccurrences(of: "Scale_Factor\",1.0", with: "Scale_Factor\",0.9996"),
                        text.replacingOccurrences(of: "CM_114E", with: "CM_114E_custom"), text + " "] {
            XCTAssertNil(GaussKrugerZone.epsg(ofESRIWKT: changed))
        }
        XCTAssertNotEqual(try CRS.fromWKT(text.replacingOccurrences(of: "Scale_Factor\",1.0", with: "Scale_Factor\",0.9996"), context: proj).epsg, 4547)
    }

    /// The CGCS2000 CRSs built without proj.db (`CGCS2000Definitions`) are what PROJ's database
    /// gives for each code — every field, the WKT2 text byte for byte, the transverse Mercator to
    /// the bit — and `CRS.epsg` hands them out for those 65 codes only. PROJ reads each text
    /// back as the same CRS, and transforms through the text and through the code agree exactly.
    func testCGCS2000DefinitionsAreWhatPROJsDatabaseSays() throws {
        for code in [4490] + Array(4491...4554) {
            let byDatabase = try CRS.fromDatabase(code, context: proj)
            let built = try XCTUnwrap(CGCS2000Definitions.crs(epsg: code))
            XCTAssertEqual(built.wkt, byDatabase.wkt, "EPSG:\(code)")
            XCTAssertEqual(built.name, byDatabase.name, "EPSG:\(code)")
            XCTAssertEqual(built.transverseMercator, byDatabase.transverseMercator, "EPSG:\(code)")
            XCTAssertEqual(built, byDatabase, "EPSG:\(code)")
            XCTAssertEqual(try CRS.epsg(code, context: proj), byDatabase)
            XCTAssertEqual(try CRS.parseWKT(built.wkt, context: proj), byDatabase, "PROJ reads the text back as EPSG:\(code)")
        }
        for code in [4489, 4555, 4326, 4547_0] { XCTAssertNil(CGCS2000Definitions.crs(epsg: code)) }
        let points = (0..<50).map { XY(380_000 + Double($0) * 4_000.5, 2_400_000 + Double($0) * 9_876.25) }
        var viaCode = points, viaText = points
        try CoordinateTransformer(from: try CRS.fromDatabase(4547, context: proj), to: try CRS.fromDatabase(4490, context: proj), context: proj).transform(&viaCode)
        try CoordinateTransformer(from: try CRS.epsg(4547, context: proj), to: try CRS.epsg(4490, context: proj), context: ProjContext()).transform(&viaText)
        XCTAssertEqual(viaText, viaCode)
        let metresPerDegree: Double = 6_378_137 * cos(21.7 * Double.pi / 180) * Double.pi / 180
        XCTAssertEqual(viaText[0].x, 114 - 120_000 / metresPerDegree, accuracy: 0.01, "120 km west of CM 114°E at 21.7°N")
    }

    /// The operations between those CRSs made without proj.db are the ones PROJ finds in it
    /// (`proj_create_crs_to_crs`, normalised): the same PROJ string and the same coordinates to
    /// the bit, both ways for every zone and between zones.
    func testCGCS2000OperationsAreThoseOfPROJsDatabase() throws {
        let ctx = proj.handle
        func databaseOperation(_ a: Int, _ b: Int) throws -> (String, OpaquePointer) {
            let s = try XCTUnwrap(proj_create(ctx, "EPSG:\(a)")), t = try XCTUnwrap(proj_create(ctx, "EPSG:\(b)"))
            defer { proj_destroy(s); proj_destroy(t) }
            let raw = try XCTUnwrap(proj_create_crs_to_crs_from_pj(ctx, s, t, nil, nil))
            defer { proj_destroy(raw) }
            let norm = try XCTUnwrap(proj_normalize_for_visualization(ctx, raw))
            return (String(cString: try XCTUnwrap(proj_as_proj_string(ctx, norm, PJ_PROJ_5, nil))), norm)
        }
        var pairs: [(Int, Int)] = []
        for zone in 4491...4554 { pairs += [(4490, zone), (zone, 4490)] }
        pairs += [(4547, 4526), (4526, 4547), (4502, 4547), (4547, 4547), (4490, 4490)]
        for (a, b) in pairs {
            let (text, norm) = try databaseOperation(a, b)
            defer { proj_destroy(norm) }
            let source = try CRS.epsg(a, context: proj), target = try CRS.epsg(b, context: proj)
            XCTAssertEqual(CGCS2000Definitions.operation(from: source, to: target), text, "EPSG:\(a) → \(b)")
            let fresh = try ProjContext()
            let t = try CoordinateTransformer(from: source, to: target, context: fresh)
            XCTAssertEqual(t.definition, text)
            let cm = Double(GaussKrugerZone(epsg: a == 4490 ? b : a)?.centralMeridian ?? 114)
            let easting0: Double = (GaussKrugerZone(epsg: a)?.centralEasting ?? 500_000) - 150_000
            var points: [XY] = (0..<20).map { (i: Int) -> XY in
                let k = Double(i)
                return a == 4490 ? XY(cm - 1.4 + k * 0.14, 18 + k * 1.7) : XY(easting0 + k * 15_000.25, 2_000_000 + k * 160_000)
            }
            var expected = points
            expected.withUnsafeMutableBufferPointer { buf in
                buf.withMemoryRebound(to: Double.self) { d in
                    _ = proj_trans_generic(norm, PJ_FWD, d.baseAddress, 16, 20, d.baseAddress! + 1, 16, 20, nil, 0, 0, nil, 0, 0)
                }
            }
            try t.transform(&points)
            XCTAssertEqual(points, expected, "EPSG:\(a) → \(b)")
        }
        // A CRS that is only identified as a zone (not this table's value) goes to the database.
        let parsed = try CRS.parseWKT(GaussKrugerZone(epsg: 4547)!.esriWKT, context: proj)
        XCTAssertEqual(parsed.epsg, 4547)
        XCTAssertNil(CGCS2000Definitions.operation(from: parsed, to: try CRS.epsg(4490, context: proj)))
    }

    /// The process-wide CRS cache holds at most its capacity (uploads cannot grow it without limit).
    func testCRSCacheIsBounded() throws {
        let cache = CRSCache(capacity: 3)
        let crs = try CRS.epsg(4547, context: proj)
        for i in 0..<10 { _ = try cache.value("key \(i)") { crs } }
        XCTAssertEqual(cache.count, 3)
    }

    /// A PROJ failure does not carry the error of an earlier, unrelated one.
    func testPROJErrorsDoNotLeakIntoLaterCalls() throws {
        XCTAssertThrowsError(try CRS.epsg(999_999, context: proj))
        XCTAssertEqual(proj_context_errno(proj.handle), 0, "the context's error code is cleared")
        XCTAssertThrowsError(try CRS.fromWKT("GEOGCS[nonsense", context: proj)) { e in
            XCTAssertFalse("\(e)".contains("999999"), "\(e)")
        }
    }

    func testZoneFormulaOfMeasurementMethods() {
        XCTAssertEqual(GaussKrugerZone.threeDegree(nearestTo: 115.36).epsg, 4547)
        XCTAssertEqual(GaussKrugerZone.threeDegree(nearestTo: 115.5).epsg, 4548, "a tie goes east")
        XCTAssertEqual(GaussKrugerZone.threeDegree(nearestTo: 115.49).epsg, 4547)
        XCTAssertEqual(GaussKrugerZone.threeDegree(nearestTo: 120.3).epsg, 4549)
        XCTAssertEqual(GaussKrugerZone.threeDegree(nearestTo: 60).epsg, 4534, "clamped to 75°E")
        XCTAssertEqual(GaussKrugerZone(epsg: 4498)?.centralMeridian, 117)
        XCTAssertEqual(GaussKrugerZone(epsg: 4513)?.centralMeridian, 75)
        XCTAssertNil(GaussKrugerZone(epsg: 4326))
    }

    func testUnknownCRSGivesPROJMessage() {
        XCTAssertThrowsError(try CRS.epsg(999_999, context: proj)) { e in
            guard case .proj(_, let messages) = e as? GeoError else { return XCTFail("\(e)") }
            XCTAssertFalse(messages.isEmpty)
        }
        XCTAssertThrowsError(try CRS.fromWKT("GEOGCS[garbage", context: proj))
    }

    /// GeographicLib test data (Karney; geodtest.c cases 1 and 2, WGS 84).
    func testGeodesicInverseAgainstGeographicLibTestData() {
        let cases: [(lat1: Double, lon1: Double, azi1: Double, lat2: Double, lon2: Double, azi2: Double, s12: Double)] = [
            (35.60777, -139.44815, 111.098748429560326, -11.17491, -69.95921, 129.289270889708762, 8935244.5604818305),
            (55.52454, 106.05087, 22.020059880982801, 77.03196, 197.18234, 109.112041110671519, 4105086.1713924406),
        ]
        for c in cases {
            let r = Geodesic.wgs84.inverse(XY(c.lon1, c.lat1), XY(c.lon2, c.lat2))
            XCTAssertEqual(r.distance, c.s12, accuracy: 1e-6)
            XCTAssertEqual(r.azimuth1, c.azi1, accuracy: 1e-10)
            XCTAssertEqual(r.azimuth2, c.azi2, accuracy: 1e-10)
        }
    }

    func testGeodesicClosedForms() {
        let g = Geodesic.cgcs2000
        // One degree along the equator: a·π/180.
        XCTAssertEqual(g.length([XY(0, 0), XY(1, 0)]), 6378137 * .pi / 180, accuracy: 1e-6)
        // Equator → 90°E → pole → back: one eighth of the ellipsoid's surface,
        // total = 2πa²(1 + (1 − e²)/e · atanh e).
        let a = 6378137.0, f = 1 / 298.257222101, e2 = f * (2 - f), e = e2.squareRoot()
        let total = 2 * Double.pi * a * a * (1 + (1 - e2) / e * atanh(e))
        XCTAssertEqual(g.ringArea([XY(0, 0), XY(90, 0), XY(0, 90)]), total / 8, accuracy: 1)
        XCTAssertEqual(g.ringArea([XY(0, 0), XY(90, 0), XY(0, 90)]) / (total / 8), 1, accuracy: 1e-12)
        // Holes are subtracted, orientation does not matter.
        let poly = Geometry.polygon([XY(0, 0), XY(0, 1), XY(1, 1), XY(1, 0)], holes: [[XY(0.2, 0.2), XY(0.4, 0.2), XY(0.4, 0.4), XY(0.2, 0.4)]])
        let outer = g.ringArea([XY(0, 0), XY(1, 0), XY(1, 1), XY(0, 1)])
        let hole = g.ringArea([XY(0.2, 0.2), XY(0.4, 0.2), XY(0.4, 0.4), XY(0.2, 0.4)])
        XCTAssertEqual(g.area(poly), outer - hole, accuracy: 1e-6)
        XCTAssertGreaterThan(hole, 0)
    }
}
