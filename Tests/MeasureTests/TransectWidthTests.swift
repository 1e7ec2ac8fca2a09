import Foundation
import XCTest
import SampleData
import GeoCore
@testable import Measure

/// §1 transects and §2 widths against closed-form geometry.
final class TransectWidthTests: XCTestCase {
    var geos: GEOSContext!
    override func setUpWithError() throws { geos = try GEOSContext() }

    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry { MeasureFixture.rect(x0, y0, x1, y1) }
    func widths(_ baseline: [XY], _ feature: [Geometry], _ p: TransectParameters = TransectParameters()) throws -> [TransectWidth] {
        try MeasureFixture.widths(baseline, feature, p, geos: geos)
    }

    func testStationsFollowSection1() {
        let t = TransectCaster.cast([CoordinateSequence([XY(0, 0), XY(25, 0)])], TransectParameters(spacing: 10, halfLength: 100))
        XCTAssertEqual(t.count, 3, "n = round(2.5) with a half rounding up")
        for (a, b) in zip(t.map(\.arcLength), [25.0 / 6, 25.0 / 2, 25.0 * 5 / 6]) { XCTAssertEqual(a, b, accuracy: 1e-12) }
        XCTAssertEqual(t[0].normal, XY(0, 1), "left of the direction of travel")
        XCTAssertEqual(t[0].start.x, 25.0 / 6, accuracy: 1e-12); XCTAssertEqual(t[0].start.y, -100, accuracy: 1e-12)
        XCTAssertEqual(t[0].end.x, 25.0 / 6, accuracy: 1e-12); XCTAssertEqual(t[0].end.y, 100, accuracy: 1e-12)
        XCTAssertEqual(TransectCaster.cast([CoordinateSequence([XY(0, 0), XY(3, 0)])], TransectParameters()).count, 1, "n ≥ 1")
        // A repeated vertex under a zero-length chord falls back to the segment's direction.
        let z = TransectCaster.cast([CoordinateSequence([XY(0, 0), XY(0, 10)])], TransectParameters(spacing: 10, smoothingWindow: 0))
        XCTAssertEqual(z[0].normal.x, -1, accuracy: 1e-15)
    }

    /// A rectangular beach 400 × 25 m along a straight 600 m shoreline, sea to the right.
    func testRectangularBeachAlongStraightShoreline() throws {
        let w = try widths([XY(0, 0), XY(600, 0)], [rect(0, -25, 400, 0)])
        XCTAssertEqual(w.count, 60)
        XCTAssertEqual(w.prefix(40).map(\.width), [Double](repeating: 25, count: 40))
        XCTAssertEqual(w.suffix(20).map(\.width), [Double](repeating: 0, count: 20))
        XCTAssertFalse(w.contains { $0.truncated })
        let runs = WidthMeasurer.runs(w)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs[0].length, 400, accuracy: 1e-9)
        XCTAssertEqual(runs[0].statistics.mean, 25, accuracy: 1e-12)
        XCTAssertEqual(WidthStatistics(w.map(\.width)).mean, 25 * 40 / 60.0, accuracy: 1e-12, "overall statistics include zeros")
        XCTAssertEqual(WidthStatistics(w.map(\.width)).positiveShare, 40 / 60.0, accuracy: 1e-12)
    }

    /// A beach of width W between radii R and R + W along a circular-arc shoreline: radial transects, width W.
    func testAnnularSectorBeachAlongCircularArc() throws {
        let R = 500.0, W = 20.0
        let angles = stride(from: 0.0, through: 90.0, by: 0.05).map { $0 * Double.pi / 180 }
        let arc = angles.map { XY(R * cos($0), R * sin($0)) }     // counter-clockwise: left = inward
        let outer = angles.reversed().map { XY((R + W) * cos($0), (R + W) * sin($0)) }
        let w = try widths(arc, [.polygon(arc + outer)])
        let interior = w.dropFirst(3).dropLast(3)   // away from the radial ends of the sector
        for x in interior { XCTAssertEqual(x.width, W, accuracy: 1e-3) }
        let L = Polyline(arc).length
        XCTAssertEqual(L, R * Double.pi / 2, accuracy: 0.01)
        XCTAssertEqual(WidthMeasurer.runs(w).first?.length ?? 0, L, accuracy: 1e-9)
    }

    /// A gap splits the beach into two segments; the second is under 50 m.
    func testGapMakesTwoSegments() throws {
        let w = try widths([XY(0, 0), XY(400, 0)], [rect(0, -20, 200, 0), rect(260, -20, 300, 0)])
        let runs = WidthMeasurer.runs(w)
        XCTAssertEqual(runs.map(\.length), [200, 40])
        XCTAssertEqual(runs.map(\.from), [0, 260])
        XCTAssertEqual(runs.map(\.to), [200, 300])
    }

    /// Average widths just either side of the 15 m threshold come back exactly.
    func testWidthsOf14point9And15point1() throws {
        for width in [14.9, 15.1] {
            let w = try widths([XY(0, 0), XY(100, 0)], [rect(0, -width, 100, 0)])
            XCTAssertEqual(WidthStatistics(w.map(\.width)).mean, width, accuracy: 1e-9)
        }
    }

    /// Overlapping polygons count once; pieces on both sides count; a feature wider than h is truncated.
    func testOverlapBothSidesAndTruncation() throws {
        let w = try widths([XY(0, 0), XY(100, 0)], [rect(0, -20, 100, 0), rect(0, -30, 100, -10), rect(0, 5, 100, 8)])
        XCTAssertEqual(w[0].width, 33, accuracy: 1e-9)
        let wide = try widths([XY(0, 0), XY(100, 0)], [rect(0, -300, 100, 0)], TransectParameters(halfLength: 250))
        XCTAssertTrue(wide.allSatisfy(\.truncated))
        XCTAssertEqual(wide[0].width, 250, accuracy: 1e-9)
    }

    func testPercentilesInterpolateLinearly() {
        let s = WidthStatistics([4, 1, 3, 2])
        XCTAssertEqual(s.p10, 1.3, accuracy: 1e-12)
        XCTAssertEqual(s.median, 2.5, accuracy: 1e-12)
        XCTAssertEqual(s.minimum, 1); XCTAssertEqual(s.maximum, 4); XCTAssertEqual(s.mean, 2.5)
    }

    /// Selection gives the sorted order statistics, and the statistics equal those computed from
    /// the sorted widths (sizes 1–300, many ties and zeros).
    func testSelectionEqualsSorting() {
        var rng = SeededGenerator.forTest("testSelectionEqualsSorting")
        for _ in 0..<500 {
            let n = Int.random(in: 1...300, using: &rng)
            let w = (0..<n).map { _ in Bool.random(using: &rng) ? 0 : Double(Int.random(in: 0...20, using: &rng)) * 0.5 }
            let sorted = w.sorted()
            var a = w
            let k = Int.random(in: 0..<n, using: &rng)
            XCTAssertEqual(WidthStatistics.select(&a, k), sorted[k])
            XCTAssertEqual(a.sorted(), sorted, "selection only reorders")
            func q(_ p: Double) -> Double {
                let r = p * Double(n - 1), lo = Int(r.rounded(.down)), hi = min(lo + 1, n - 1)
                return sorted[lo] + (r - Double(lo)) * (sorted[hi] - sorted[lo])
            }
            let s = WidthStatistics(w)
            XCTAssertEqual(s.p10, q(0.1)); XCTAssertEqual(s.median, q(0.5))
            XCTAssertEqual(s.minimum, sorted.first!); XCTAssertEqual(s.maximum, sorted.last!)
        }
    }

    /// Stations found by cursors walking along the line (on all cores) are those a search of
    /// the line for each station finds: a long wavy line with repeated vertices, two parts.
    func testTransectCursorsEqualSearchingEachStation() {
        var pts: [XY] = []
        for k in 0..<30_000 {
            let x = Double(k) * 2.5
            pts.append(XY(x, 40 * sin(x / 90) + 7 * sin(x / 13)))
            if k % 97 == 0 { pts.append(pts.last!) }          // a zero-length segment
        }
        let parts = [CoordinateSequence(pts), CoordinateSequence(Array(pts.prefix(5000).reversed()))]
        let p = TransectParameters(spacing: 10, halfLength: 250, smoothingWindow: 50)
        let cast = TransectCaster.cast(parts, p)
        var k = 0
        for (pi, part) in parts.enumerated() {
            let line = Polyline(part.xy), L = line.length
            let n = max(1, Int((L / p.spacing).rounded(.toNearestOrAwayFromZero))), step = L / Double(n)
            for i in 0..<n {
                let t = (Double(i) + 0.5) * step
                let a = line.point(at: max(0, t - p.smoothingWindow / 2)), b = line.point(at: min(L, t + p.smoothingWindow / 2))
                let len = a.distance(to: b), o = line.point(at: t)
                XCTAssertEqual(cast[k].part, pi)
                XCTAssertEqual(cast[k].origin, o, "part \(pi) station \(i)")
                XCTAssertEqual(cast[k].normal, XY(-(b.y - a.y) / len, (b.x - a.x) / len), "part \(pi) station \(i)")
                k += 1
            }
        }
        XCTAssertEqual(k, cast.count)
    }
}
