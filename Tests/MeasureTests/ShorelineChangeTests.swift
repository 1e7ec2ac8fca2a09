import Foundation
import XCTest
import GeoCore
@testable import Measure
import SampleData

/// Shoreline change with known NSM, EPR, SCE, LRR and WLR.
final class ShorelineChangeTests: XCTestCase {
    let baseline = [CoordinateSequence([XY(0, 0), XY(1000, 0)])]
    func line(_ y: Double) -> [CoordinateSequence] { [CoordinateSequence([XY(-10, y), XY(1010, y)])] }
    func date(_ s: String) -> CivilDate { CivilDate(s)! }

    /// Shorelines at y = 0, 10 and 30 m on 2020-01-01, 2021-01-01 and 2023-01-01; sea on the
    /// right (y < 0), so moving to +y is erosion.
    func testKnownNSMAndEPRAndSCE() {
        let t = TransectCaster.cast(baseline, TransectParameters())
        let c = ShorelineChange(transects: t, shorelines: [
            DatedShoreline(date: date("2021-01-01"), lines: line(10), uncertainty: 3),
            DatedShoreline(date: date("2020-01-01"), lines: line(0), uncertainty: 4),
            DatedShoreline(date: date("2023-01-01"), lines: line(30), uncertainty: 3)], seaSign: -1)
        XCTAssertEqual(c.days, 1096)
        for tc in c.transects {
            XCTAssertEqual(tc.nsm!, -30, accuracy: 1e-9)
            XCTAssertEqual(tc.sce!, 30, accuracy: 1e-9)
            XCTAssertEqual(tc.epr!, -30 / (1096 / 365.25), accuracy: 1e-9)
            XCTAssertEqual(tc.eprUncertainty!, 5 / (1096 / 365.25), accuracy: 1e-9, "√(4² + 3²) / Δt")
            XCTAssertFalse(tc.ambiguous)
        }
        XCTAssertEqual(c.eroding, 100); XCTAssertEqual(c.accreting, 0); XCTAssertEqual(c.missingBoth, 0)
        XCTAssertEqual(c.erosionShare, 1)
        XCTAssertEqual(c.endPointRate!, -30 / (1096 / 365.25), accuracy: 1e-9)
    }

    /// Positions exactly on a line d = 4·t (t in years of 365.25 days): LRR = WLR = 4 m/yr, R² = 1, CI 0.
    func testLinearRegressionRateOnExactLine() {
        let t = TransectCaster.cast(baseline, TransectParameters(spacing: 100))
        let dates = ["2020-01-01", "2021-06-15", "2022-03-01", "2024-12-31"].map(date)
        let shorelines = dates.map { d -> DatedShoreline in
            let years = Double(dates[0].days(to: d)) / 365.25
            return DatedShoreline(date: d, lines: line(4 * years), uncertainty: 2)   // sea on the left: +y is seaward
        }
        let c = ShorelineChange(transects: t, shorelines: shorelines, seaSign: 1)
        for tc in c.transects {
            XCTAssertEqual(tc.lrr!, 4, accuracy: 1e-9)
            XCTAssertEqual(tc.lrrR2!, 1, accuracy: 1e-12)
            XCTAssertEqual(tc.lrrCI95!, 0, accuracy: 1e-9)
            XCTAssertEqual(tc.wlr!, 4, accuracy: 1e-9)
        }
        XCTAssertEqual(c.accreting, 10)
    }

    /// LRR against a hand computation: x = 0, 1, 2, 3, y = 0, 2, 2, 6 → Sxx 5, Sxy 9, Syy 19,
    /// slope 1.8, SSE = 19 − 1.8·9 = 2.8, se = √(2.8/2/5) = 0.52915, t(2) = 4.3027 → CI 2.27677.
    func testRegressionConfidenceInterval() {
        let fit = Regression.fit([(0, 0, 1), (1, 2, 1), (2, 2, 1), (3, 6, 1)])!
        XCTAssertEqual(fit.slope, 1.8, accuracy: 1e-12)
        XCTAssertEqual(fit.ci95!, 4.3027 * (2.8 / 2 / 5).squareRoot(), accuracy: 1e-9)
        XCTAssertEqual(fit.r2, 1 - 2.8 / 19, accuracy: 1e-12)
        XCTAssertEqual(Regression.tQuantile975(40), 2.0211, accuracy: 2e-4)
        XCTAssertEqual(Regression.tQuantile975(120), 1.9799, accuracy: 2e-4)
    }

    /// A shoreline that crosses the transect twice: the rule picks which, and the transect is listed.
    func testIntersectionRulesAndAmbiguity() {
        let t = TransectCaster.cast([CoordinateSequence([XY(0, 0), XY(10, 0)])], TransectParameters(spacing: 10, halfLength: 100))
        let zigzag = [CoordinateSequence([XY(0, -20), XY(10, -20), XY(10, 40), XY(0, 40)])]   // crosses x = 5 at y = −20 and 40
        let old = DatedShoreline(date: date("2020-01-01"), lines: [CoordinateSequence([XY(0, 0), XY(10, 0)])])
        func position(_ rule: IntersectionRule) -> Double? {
            ShorelineChange(transects: t, shorelines: [old, DatedShoreline(date: date("2022-01-01"), lines: zigzag)], seaSign: 1, rule: rule).transects[0].positions[1]
        }
        XCTAssertEqual(position(.closest)!, -20, accuracy: 1e-9); XCTAssertEqual(position(.farthest)!, 40, accuracy: 1e-9)
        XCTAssertEqual(position(.seaward)!, 40, accuracy: 1e-9); XCTAssertEqual(position(.landward)!, -20, accuracy: 1e-9)
        let c = ShorelineChange(transects: t, shorelines: [old, DatedShoreline(date: date("2022-01-01"), lines: zigzag)], seaSign: 1)
        XCTAssertEqual(c.ambiguousTransects.count, 1)
        XCTAssertEqual(c.transects[0].intersectionCounts, [1, 2])
    }

    /// Transects that miss a shoreline are counted, not given a change.
    func testMissingIntersections() {
        let t = TransectCaster.cast(baseline, TransectParameters())
        let short = [CoordinateSequence([XY(-10, 5), XY(500, 5)])]
        let c = ShorelineChange(transects: t, shorelines: [DatedShoreline(date: date("2020-01-01"), lines: line(0)),
                                                           DatedShoreline(date: date("2022-01-01"), lines: short)], seaSign: 1)
        XCTAssertEqual(c.missingBoth, 50)
        XCTAssertEqual(c.netChangeMean!, 5, accuracy: 1e-9)
    }
}

/// Crossing transects on a tight bend, and the window that avoids them.
final class TransectCrossingTests: XCTestCase {
    func testRightAngleBendMakesCrossingsAndAWiderWindowRemovesThem() {
        // An L-shaped baseline: 500 m east then 500 m north; with h = 250 m and w = 10 m,
        // transects on either side of the corner cross.
        let l = [CoordinateSequence([XY(0, 0), XY(500, 0), XY(500, 500)])]
        let p = TransectParameters(spacing: 10, halfLength: 250, smoothingWindow: 10)
        let crossings = TransectCrossings(TransectCaster.cast(l, p))
        XCTAssertFalse(crossings.pairs.isEmpty)
        let w = TransectCrossings.suggestedWindow(baseline: l, p)
        XCTAssertNotNil(w)
        var q = p; q.smoothingWindow = w!
        XCTAssertTrue(TransectCrossings(TransectCaster.cast(l, q)).pairs.isEmpty)
        // A straight baseline has none.
        XCTAssertTrue(TransectCrossings(TransectCaster.cast([CoordinateSequence([XY(0, 0), XY(1000, 0)])], p)).pairs.isEmpty)
        // Probing near the first crossing gives the same window.
        let first = crossings.runs[0].transect, t = TransectCaster.cast(l, p)
        XCTAssertEqual(TransectCrossings.suggestedWindow(baseline: l, p, near: (t[first].part, t[first].station)), w)
    }

    /// The suggested window is the same whether each wider window is first probed near a
    /// crossing or not, on seeded wavy baselines of several parts; a partial cast equals the
    /// same stations of the whole cast.
    func testProbedWindowEqualsFullSearchAndPartialCastsAreSlices() {
        var rng = SeededGenerator.forTest("testProbedWindowEqualsFullSearch")
        for trial in 0..<12 {
            let parts = (0..<2).map { k -> CoordinateSequence in
                let amp = rng.uniform(5, 80), wave = rng.uniform(60, 400)
                return CoordinateSequence((0..<400).map { i in XY(Double(i) * 10, Double(k) * 5000 + amp * sin(Double(i) * 10 / wave * 2 * .pi)) })
            }
            let p = TransectParameters(spacing: 10, halfLength: rng.uniform(50, 300), smoothingWindow: 10)
            let all = TransectCaster.cast(parts, p)
            let part1 = all.filter { $0.part == 1 }
            XCTAssertEqual(TransectCaster.cast(parts, p, part: 1, stations: 17..<123), Array(part1[17..<123]), "trial \(trial)")
            XCTAssertEqual(TransectCaster.cast(parts, p, part: 1, stations: 390..<9000), Array(part1[390...]), "trial \(trial)")
            let crossings = TransectCrossings(all)
            guard let run = crossings.runs.first else { continue }
            XCTAssertEqual(TransectCrossings.suggestedWindow(baseline: parts, p, near: (all[run.transect].part, all[run.transect].station)),
                           TransectCrossings.suggestedWindow(baseline: parts, p), "trial \(trial)")
        }
    }

    /// The runs are the pairs, found by brute force over every pair of transects, on wavy
    /// baselines of a seeded random shape (the seed is printed); the stretches hold exactly the
    /// transects of some pair; the existence test agrees with the list.
    func testRunsAndStretchesAgreeWithEveryPairByBruteForce() {
        let seed = UInt64(20261203)
        print("TransectCrossingTests seed \(seed)")
        var rng = SeededGenerator(seed: seed)
        var found = 0
        defer { XCTAssertGreaterThan(found, 1000, "the trials must make crossings to test") }
        for trial in 0..<12 {
            let amplitude = rng.uniform(5, 120), wavelength = rng.uniform(150, 900), h = rng.uniform(50, 300)
            let parts = (0..<Int(rng.uniform(1, 3.99))).map { k in
                CoordinateSequence(stride(from: 0.0, through: 3000, by: 7).map { x in XY(x, Double(k) * 2000 + amplitude * sin(x * 2 * .pi / wavelength)) })
            }
            let p = TransectParameters(spacing: rng.uniform(5, 20), halfLength: h, smoothingWindow: rng.uniform(10, 60))
            let t = TransectCaster.cast(parts, p)
            var brute: [[Int]] = []
            for i in t.indices { for j in (i + 1)..<max(i + 1, t.count) where t[j].part == t[i].part && TransectCrossings.cross(t[i], t[j]) { brute.append([i, j]) } }
            let c = TransectCrossings(t)
            XCTAssertEqual(c.pairs.map { [$0.0, $0.1] }, brute, "trial \(trial) (seed \(seed))")
            XCTAssertEqual(c.pairCount, brute.count)
            found += brute.count
            XCTAssertEqual(TransectCrossings.anyCross(t), !brute.isEmpty, "trial \(trial)")
            let involved = Set(brute.flatMap { $0 })
            let inStretches = Set(c.stretches(t).flatMap { Array($0.firstTransect...$0.lastTransect) })
            XCTAssertEqual(inStretches, involved, "trial \(trial)")
            for s in c.stretches(t) { XCTAssertTrue((s.firstTransect...s.lastTransect).allSatisfy { t[$0].part == s.part }) }
        }
    }
}
