import Foundation
import XCTest
import Rules
import GeoCore
@testable import Measure

/// §2 cross-check and §3–§8 against closed-form answers: thresholds just below and above.
final class SectionMeasureTests: XCTestCase {
    var geos: GEOSContext!
    override func setUpWithError() throws { geos = try GEOSContext() }
    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry { MeasureFixture.rect(x0, y0, x1, y1) }
    func widths(_ baseline: [XY], _ feature: [Geometry], _ p: TransectParameters = TransectParameters()) throws -> [TransectWidth] {
        try MeasureFixture.widths(baseline, feature, p, geos: geos)
    }

    /// §2: for a rectangle the area width equals the transect mean (25 m over 400 of 600 m).
    func testAreaWidthCrossCheck() throws {
        let line = [XY(0, 0), XY(600, 0)], beach = [rect(0, -25, 400, 0)]
        let w = try widths(line, beach)
        let mean = WidthStatistics(w.map(\.width)).mean
        XCTAssertEqual(mean, 25.0 * 400 / 600, accuracy: 1e-9)
        let c = try AreaWidthCheck.compute(feature: beach, baseline: [CoordinateSequence(line)], halfLength: 250, transectMean: mean, geos: geos)
        XCTAssertEqual(c.areaWidth, 10_000.0 / 600, accuracy: 1e-9)
        XCTAssertEqual(c.relativeDifference!, 0, accuracy: 1e-12)
        XCTAssertFalse(c.flagged)
        // A beach beyond the transects' reach on one side only shows in neither; one cut short by h differs.
        let deep = try AreaWidthCheck.compute(feature: [rect(0, -300, 600, 0)], baseline: [CoordinateSequence(line)], halfLength: 250,
                                              transectMean: 400, geos: geos)
        XCTAssertEqual(deep.areaWidth, 250, accuracy: 1e-9)
        XCTAssertTrue(deep.flagged, "(250 − 400) / 400 = −37.5 % exceeds 20 %")
    }

    /// Whether a run qualifies under the shipped Shanwei rulebook's thresholds (SW Art. 19(1)),
    /// decided by `Rulebook.Threshold.passes`, as measuring does.
    static func qualifies(_ r: WidthRun) -> Bool {
        let book = try! RuleLibrary.rulebook(for: .shanweiCoastline)
        return book.thresholds["beach.length_m"]!.passes(r.length) && book.thresholds["beach.averageWidth_m"]!.passes(r.statistics.mean)
    }

    /// §3: a beach with a gap makes two segments, 300 m and 40 m; only the first qualifies.
    func testBeachWithGapMakesTwoSegments() throws {
        let w = try widths([XY(0, 0), XY(600, 0)], [rect(0, -20, 300, 0), rect(400, -20, 440, 0)])
        let runs = WidthMeasurer.runs(w)
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs[0].length, 300, accuracy: 1e-9)
        XCTAssertEqual(runs[1].length, 40, accuracy: 1e-9)
        XCTAssertEqual(runs.map(Self.qualifies), [true, false])
        XCTAssertEqual(runs.filter(Self.qualifies).reduce(0) { $0 + $1.length }, 300, accuracy: 1e-9)
    }

    /// §3: average widths of 14.9 m and 15.1 m on either side of the strict 15 m threshold, and
    /// a segment of exactly 50 m does not exceed 50 m.
    func testBeachWidthAndLengthThresholds() throws {
        for (width, pass) in [(14.9, false), (15.0, false), (15.1, true)] {
            let runs = WidthMeasurer.runs(try widths([XY(0, 0), XY(200, 0)], [rect(0, -width, 200, 0)]))
            XCTAssertEqual(runs.count, 1)
            XCTAssertEqual(runs[0].statistics.mean, width, accuracy: 1e-9)
            XCTAssertEqual(Self.qualifies(runs[0]), pass, "width \(width)")
        }
        let exact = WidthMeasurer.runs(try widths([XY(0, 0), XY(100, 0)], [rect(0, -20, 50, 0)]))
        XCTAssertEqual(exact[0].length, 50, accuracy: 1e-9)
        XCTAssertFalse(Self.qualifies(exact[0]), "length > 50 m is strict")
    }

    /// §4: mudflats 95 m and 120 m wide along a 1 km shoreline, h = 1000 m.
    func testMudflatWidths() throws {
        for width in [95.0, 120.0] {
            let w = try widths([XY(0, 0), XY(1000, 0)], [rect(0, -width, 1000, 0)], TransectParameters(halfLength: 1000))
            XCTAssertEqual(WidthStatistics(w.map(\.width)).mean, width, accuracy: 1e-9)
            XCTAssertEqual(WidthStatistics(w.map(\.width)).mean > 100, width > 100)
        }
    }

    /// §5: a 20 m belt along 600 of 1000 m of seawall: mean width including zeros is 12 m; cover
    /// of intertidal zones sized for 28 % and 35 %.
    func testMangroveWidthWithGapsAndCover() throws {
        let belt = [rect(0, -20, 400, 0), rect(600, -20, 800, 0)]
        let w = try widths([XY(0, 0), XY(1000, 0)], belt)
        XCTAssertEqual(WidthStatistics(w.map(\.width)).mean, 20.0 * 600 / 1000, accuracy: 1e-9)
        let mangroveArea = 20.0 * 600
        for share in [0.28, 0.35] {
            let depth = mangroveArea / share / 1000
            let c = try CoverFraction.mangroveCover(mangrove: belt, intertidal: [rect(0, -depth, 1000, 0)], geos: geos)
            XCTAssertEqual(c.fraction, share, accuracy: 1e-12)
            XCTAssertEqual(c.fraction > 0.30, share > 0.30)
        }
    }

    /// §6: seawall 100 × 10 m; native cover overlapping itself; an invasive patch inside the native
    /// cover is removed: 29 % and 31 %.
    func testSeawallVegetationWithoutInvasive() throws {
        let wall = [rect(0, 0, 100, 10)]
        for (nativeLength, expected) in [(34.0, 0.29), (36.0, 0.31)] {
            // Two overlapping native polygons covering x ∈ [0, nativeLength], plus one beyond the wall.
            let native = [rect(0, 0, nativeLength * 0.6, 10), rect(nativeLength * 0.4, 0, nativeLength, 10), rect(0, 10, 100, 30)]
            let invasive = [rect(10, 0, 15, 10)]   // 50 m² inside the native cover
            let c = try CoverFraction.seawallVegetation(vegetation: native + invasive, invasive: invasive, seawall: wall, geos: geos)
            XCTAssertEqual(c.fraction, expected, accuracy: 1e-12)
            XCTAssertEqual(c.fraction >= 0.30, expected >= 0.30)
        }
    }

    /// §7: 1000 m of dike, 800 impermeable; removing 240 m gives 24 %, 300 m gives 30 %.
    func testDikeRemovalFractions() throws {
        let imp = [Geometry.lineString([XY(0, 0), XY(800, 0)])], perm = [Geometry.lineString([XY(800, 0), XY(1000, 0)])]
        for removed in [240.0, 300.0] {
            let after = [Geometry.lineString([XY(0, 0), XY(400, 0)]), .lineString([XY(400 + removed, 0), XY(1000, 0)])]
            let d = try DikeRemoval.fromBeforeAfter(impermeable: imp, permeable: perm, after: after, geos: geos)
            XCTAssertEqual(d.totalBefore, 1000, accuracy: 1e-9)
            // The 0.5 m round-capped buffer of the remaining dike eats 0.5 m at each side of the gap.
            XCTAssertEqual(d.removedImpermeable, removed - 1, accuracy: 1e-9)
            XCTAssertEqual(d.fraction >= 0.25, removed >= 300)
        }
        let flagged = try DikeRemoval.fromFlags(features: [(imp[0], true, true), (perm[0], false, true)], geos: geos)
        XCTAssertEqual(flagged.fraction, 0.8, accuracy: 1e-12, "permeable removed pieces do not count")
    }

    /// §8: the Jiangyin sample's parcel JY-001 (100 × 80 m = 12 mu): before 0601 industrial, after
    /// 0301 forest 7.2 mu and 0101 paddy 4.8 mu. With forest 1.0 and paddy 0.5: 7.2 + 2.4 = 9.6.
    func testParcelClassAreasAndVouchers() throws {
        let parcel = rect(0, 0, 100, 80)
        let before = try ParcelClassAreas.compute(parcel: parcel, landuse: [("0601", rect(-10, -10, 110, 90))], geos: geos)
        let after = try ParcelClassAreas.compute(parcel: parcel, landuse: [("0301", rect(0, 0, 60, 80)), ("0101", rect(60, 0, 100, 80)),
                                                                           ("0101", rect(99.9, 80, 100, 81))], geos: geos)
        XCTAssertEqual(before.areas["0601"]!, 8000, accuracy: 1e-9)
        XCTAssertEqual(after.areas["0301"]! / squareMetresPerMu, 7.2, accuracy: 1e-12)
        XCTAssertEqual(after.areas["0101"]! / squareMetresPerMu, 4.8, accuracy: 1e-12)
        let table = CoefficientTable(["03": 1.0, "0101": 0.5, "06": 0])
        XCTAssertEqual(table.coefficient("0301"), 1.0, "longest prefix")
        XCTAssertEqual(table.coefficient("1205"), 0, "unknown class → 0")
        XCTAssertEqual(table.vouchersEarned(before: before, after: after), CreditQuantity(tenThousandths: 96_000))
        XCTAssertEqual(table.vouchersEarned(before: before, after: after).description, "9.6000")
        // A sliver piece (0.1 × 0.1 m) is dropped and counted.
        let s = try ParcelClassAreas.compute(parcel: parcel, landuse: [("0301", rect(0, 0, 60, 80)), ("0301", rect(99.9, 79.9, 100.5, 80.5))], geos: geos)
        XCTAssertEqual(s.sliversDropped, 1)
        XCTAssertEqual(s.sliverArea, 0.01, accuracy: 1e-9)
        XCTAssertEqual(s.areas["0301"]!, 4800, accuracy: 1e-9)
    }

    /// §8 demand side: land-supply parcel 150 × 100 m taking 0103 dry land 9 mu, 0301 forest 6 mu,
    /// 1101 river 3 mu and 0601 industrial 4.5 mu; with 01 → 0.5, 03 → 1.0, 11 → 0.8: 4.5 + 6 + 2.4 = 12.9.
    func testVouchersRequiredRoundUp() throws {
        let current = try ParcelClassAreas.compute(parcel: rect(0, 0, 150, 100), landuse: [
            ("0103", rect(0, 0, 60, 100)), ("0301", rect(60, 0, 100, 100)), ("1101", rect(100, 0, 120, 100)), ("0601", rect(120, 0, 150, 100))], geos: geos)
        let table = CoefficientTable(["01": 0.5, "03": 1.0, "11": 0.8, "06": 2.0])
        XCTAssertEqual(table.vouchersRequired(current: current).description, "12.9000", "0601 is not ecological, whatever its coefficient")
        XCTAssertFalse(CoefficientTable.isEcological("1109"))
        XCTAssertEqual(CreditQuantity.ceil(1.00001).description, "1.0001")
        XCTAssertEqual(CreditQuantity.floor(1.00009).description, "1.0000")
        XCTAssertEqual(CreditQuantity.floor(0.3 * 3).description, "0.9000", "binary noise (0.8999999…) is guarded")
        XCTAssertEqual(CreditQuantity.ceil(0.1 + 0.2).description, "0.3000", "binary noise (0.30000000000000004) is guarded")
        XCTAssertEqual(CreditQuantity.floor(9.59999999987).description, "9.6000", "storage noise of degree coordinates is guarded")
        XCTAssertEqual(CreditQuantity.floor(9.59999).description, "9.5999", "a real shortfall of 0.1 step is not")
        XCTAssertEqual(CreditQuantity.ceil(12.90001).description, "12.9001")
    }
}
