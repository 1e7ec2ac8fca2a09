import Foundation
import XCTest
import SampleData
import GeoCore
@testable import Measure

/// The edge-clipping width engine gives the GEOS overlay's lengths and truncation flags.
final class EdgeGridTests: XCTestCase {
    var geos: GEOSContext!
    override func setUpWithError() throws { geos = try GEOSContext() }

    func compare(_ feature: [Geometry], _ baseline: [XY], _ p: TransectParameters, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let m = try WidthMeasurer(feature: feature, geos: geos)
        let t = TransectCaster.cast([CoordinateSequence(baseline)], p)
        let (fast, fallbacks) = try m.measureCountingFallbacks(t)
        for (a, tr) in zip(fast, t) {
            let g = try m.measureWithGEOS(tr)
            XCTAssertEqual(a.width, g.width, accuracy: 1e-9, "station \(tr.station)", file: file, line: line)
            XCTAssertEqual(a.truncated, g.truncated, "station \(tr.station)", file: file, line: line)
        }
        return fallbacks
    }

    /// A wavy band with holes, a second overlapping polygon, and an island, along a wavy baseline.
    func testWavyBandWithHolesAndOverlaps() throws {
        func band(_ x0: Double, _ x1: Double, _ w: Double, _ off: Double) -> [XY] {
            let top = stride(from: x0, through: x1, by: 3.7).map { XY($0, 7 * sin($0 / 23) + off) }
            let bottom = stride(from: x1, through: x0, by: -4.1).map { XY($0, 7 * sin($0 / 23) + off - w - 5 * cos($0 / 11)) }
            return top + bottom + [top[0]]
        }
        let hole = [XY(100.3, -10.1), XY(100.3, -14.2), XY(108.9, -14.7), XY(109.4, -9.8), XY(100.3, -10.1)]
        let feature: [Geometry] = [
            .polygon(band(0, 300, 25, 0), holes: [hole]),
            .polygon(band(250, 500, 18, -3)),                 // overlaps the first: dissolved
            .polygon([XY(400, -60), XY(430, -60), XY(430, -45), XY(400, -45), XY(400, -60)].reversed()),   // an island offshore
        ]
        let base = stride(from: 0.0, through: 520, by: 5).map { XY($0, 7 * sin($0 / 23) + 0.5) }
        let f1 = try compare(feature, base, TransectParameters(spacing: 3.3, halfLength: 80, smoothingWindow: 20))
        let f2 = try compare(feature, base, TransectParameters(spacing: 7.1, halfLength: 12, smoothingWindow: 50))   // short: many truncated
        XCTAssertLessThan(f1 + f2, 5, "degenerate transects are rare on irregular data")
    }

    /// A feature much wider than 2h: every transect lies inside, width 2h, truncated.
    func testTransectInsideAWideFeature() throws {
        let m = try WidthMeasurer(feature: [.rectangle(Envelope(minX: -1000, minY: -1000, maxX: 1000, maxY: 1000))], geos: geos)
        let t = TransectCaster.cast([CoordinateSequence([XY(-50, 3), XY(50, 3)])], TransectParameters(spacing: 10, halfLength: 40))
        for w in try m.measure(t) { XCTAssertEqual(w.width, 80, accuracy: 1e-12); XCTAssertTrue(w.truncated) }
    }

    /// A transect through a vertex is degenerate for the clipper and is measured by GEOS.
    func testVertexOnTransectFallsBackToGEOS() throws {
        let diamond: Geometry = .polygon([XY(5, 0), XY(10, -5), XY(5, -10), XY(0, -5), XY(5, 0)])
        let fallbacks = try compare([diamond], [XY(0, 0), XY(10, 0)], TransectParameters(spacing: 10, halfLength: 20, smoothingWindow: 1))
        XCTAssertEqual(fallbacks, 1, "the one station at x = 5 passes through two vertices")
    }

    /// The cell table gives, for every key, exactly the items a dictionary of arrays gives, in
    /// input order (clustered and scattered keys, repeats, `Int64.min`), and nil for absent keys.
    func testCellTableMatchesDictionary() {
        var rng = SeededGenerator.forTest("testCellTableMatchesDictionary")
        for n in [0, 1, 7, 1000, 50_000] {
            let keys: [Int64] = (0..<n).map { k in
                switch k % 5 {
                case 0: return Int64.random(in: -40...40, using: &rng)                     // clustered, many repeats
                case 1: return EdgeGrid.key(Int64.random(in: -3...3, using: &rng), Int64.random(in: -3...3, using: &rng))
                case 2: return Int64.random(in: .min ... .max, using: &rng)
                case 3: return .min
                default: return Int64(k)
                }
            }
            var expected: [Int64: [Int32]] = [:]
            for (k, key) in keys.enumerated() { expected[CellTable.stored(key), default: []].append(Int32(k)) }
            let table = CellTable(count: n) { (keys[$0], Int32($0)) }
            for (key, items) in expected {
                guard let r = table.range(key) else { XCTFail("key \(key) missing"); continue }
                XCTAssertEqual(Array(table.items[r]), items)
            }
            XCTAssertEqual(table.items.count, n)
            for _ in 0..<200 {
                let probe = Int64.random(in: 1_000_000...2_000_000, using: &rng)
                if expected[probe] == nil { XCTAssertNil(table.range(probe)) }
            }
        }
    }

    /// The nearest-edge search (cells pruned by their distance) gives the brute-force distance
    /// to the nearest edge, capped at the limit, at points scattered over a wavy band.
    func testDistanceToEdgesEqualsBruteForce() {
        var rng = SeededGenerator.forTest("testDistanceToEdgesEqualsBruteForce")
        let upper: [XY] = (0...400).map { k in XY(Double(k) * 2.5, 30 + 6 * sin(Double(k) / 9)) }
        let lower: [XY] = (0...400).reversed().map { k in XY(Double(k) * 2.5, 4 * sin(Double(k) / 7)) }
        let ring = upper + lower + [upper[0]]
        let grid = EdgeGrid(parts: [[CoordinateSequence(ring)]], cellSize: 8)
        for _ in 0..<2000 {
            let p = XY(Double.random(in: -20...1020, using: &rng), Double.random(in: -30...60, using: &rng))
            let limit = Double.random(in: 1...40, using: &rng)
            let nearest: Double = grid.edges.map { e in SegmentGrid.squaredDistance(p, e) }.min()!.squareRoot()
            let brute = min(limit, nearest)
            let fast = grid.withView { $0.distanceToEdges(p, limit: limit) }
            XCTAssertEqual(fast, brute, accuracy: 1e-12, "at \(p)")
        }
    }

    /// Widths alone (no inscribed-circle bound) are the same widths and truncation flags.
    func testWidthsWithoutInscribedBoundAreTheSame() throws {
        // Vertices off the stations (x = 5, 15, …), so that the clipper, not GEOS, measures them.
        let top: [XY] = (0...200).map { k in XY(Double(k) * 5 + 1.3, 10 + 3 * sin(Double(k) / 5)) }
        let bottom: [XY] = (0...200).reversed().map { k in XY(Double(k) * 5 + 1.3, -12) }
        let band: Geometry = .polygon(top + bottom)
        let m = try WidthMeasurer(feature: [band], geos: geos)
        let t = TransectCaster.cast([CoordinateSequence([XY(0, 0), XY(1000, 0)])], TransectParameters(spacing: 10, halfLength: 40))
        let full = try m.measure(t), alone = try m.measure(t, inscribed: false)
        XCTAssertEqual(full.map(\.width), alone.map(\.width))
        XCTAssertEqual(full.map(\.truncated), alone.map(\.truncated))
        XCTAssertTrue(alone.allSatisfy { $0.inscribedAtLeast == 0 })
        XCTAssertGreaterThan(full.filter { $0.inscribedAtLeast > 20 }.count, full.count / 2, "away from the ends the circle spans the band")
    }
}
