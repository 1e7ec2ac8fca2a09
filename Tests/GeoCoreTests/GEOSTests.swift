import Foundation
import XCTest
@testable import GeoCore

/// GEOS wrapper: closed-form answers, round trips and typed errors.
final class GEOSTests: XCTestCase {
    var geos: GEOSContext!
    override func setUpWithError() throws { geos = try GEOSContext() }
    override func tearDown() { geos = nil }

    func square(_ x0: Double, _ y0: Double, _ side: Double) -> Geometry {
        .rectangle(Envelope(minX: x0, minY: y0, maxX: x0 + side, maxY: y0 + side))
    }

    /// Geometries of two contexts are never combined; a context's message log holds only the
    /// messages of the call that failed, and nothing after a call that succeeded.
    func testContextsAreNotMixedAndMessagesAreDrained() throws {
        let a = try GEOSContext(), b = try GEOSContext()
        let square = Geometry.rectangle(Envelope(minX: 0, minY: 0, maxX: 10, maxY: 10))
        let ga = try a.make(square), gb = try b.make(square)
        XCTAssertThrowsError(try ga.intersection(gb)) { XCTAssertTrue("\($0)".contains("different GEOS contexts"), "\($0)") }
        XCTAssertThrowsError(try ga.intersects(gb))
        XCTAssertThrowsError(try STRtree([ga, gb], context: a))
        a.log.messages = ["notice: an earlier call's message"]
        _ = try ga.area()
        _ = try ga.intersection(try a.make(square))
        XCTAssertEqual(a.log.messages, [], "a successful call drains the log")
    }

    func testAreaAndLengthOfClosedForms() throws {
        XCTAssertEqual(try geos.make(.rectangle(Envelope(minX: 0, minY: 0, maxX: 100, maxY: 80))).area(), 8000, accuracy: 1e-9)
        let holed = Geometry.polygon([XY(0, 0), XY(10, 0), XY(10, 10), XY(0, 10)], holes: [[XY(2, 2), XY(2, 4), XY(4, 4), XY(4, 2)]])
        XCTAssertEqual(try geos.make(holed).area(), 96, accuracy: 1e-12)
        XCTAssertEqual(try geos.make(holed).length(), 48, accuracy: 1e-12)   // 40 + 8
        XCTAssertEqual(try geos.make(.lineString([XY(0, 0), XY(3, 4), XY(3, 10)])).length(), 11, accuracy: 1e-12)
        XCTAssertEqual(try geos.make(.point(0, 0)).area(), 0)
    }

    func testBufferMatchesInscribedPolygonAndFlatCaps() throws {
        // A point buffered with 8 segments per quadrant is a regular 32-gon inscribed in the circle.
        let r = 10.0, n = 32.0
        XCTAssertEqual(try geos.make(.point(5, 5)).buffer(r).area(), 0.5 * n * r * r * sin(2 * .pi / n), accuracy: 1e-9)
        // A straight line with flat caps: a rectangle of 2w × L.
        let line = try geos.make(.lineString([XY(0, 0), XY(250, 0)]))
        XCTAssertEqual(try line.buffer(3, style: BufferStyle(cap: .flat)).area(), 2 * 3 * 250, accuracy: 1e-9)
        // Square caps add w at each end.
        XCTAssertEqual(try line.buffer(3, style: BufferStyle(cap: .square, join: .mitre)).area(), 6 * 256, accuracy: 1e-9)
    }

    func testSetOperations() throws {
        let a = try geos.make(square(0, 0, 10)), b = try geos.make(square(5, 5, 10))
        XCTAssertEqual(try a.intersection(b).area(), 25, accuracy: 1e-12)
        XCTAssertEqual(try a.difference(b).area(), 75, accuracy: 1e-12)
        XCTAssertEqual(try a.union(b).area(), 175, accuracy: 1e-12)
        // 20 × 20 grid of touching unit squares dissolves to one 400 m² square of perimeter 80.
        let cells = try (0..<400).map { try geos.make(square(Double($0 % 20), Double($0 / 20), 1)) }
        let u = try geos.unaryUnion(cells)
        XCTAssertEqual(try u.area(), 400, accuracy: 1e-9)
        XCTAssertEqual(try u.length(), 80, accuracy: 1e-9)
        XCTAssertEqual(u.typeName, "Polygon")
    }

    func testDistanceLinearReferencingClipAndSimplify() throws {
        XCTAssertEqual(try geos.make(.point(0, 0)).distance(to: try geos.make(.point(3, 4))), 5, accuracy: 1e-12)
        let line = try geos.make(.lineString([XY(0, 0), XY(100, 0), XY(100, 50)]))
        XCTAssertEqual(try line.interpolate(120).value(), .point(100, 20))
        XCTAssertEqual(try line.project(try geos.make(.point(40, 7))), 40, accuracy: 1e-12)
        let clipped = try geos.make(square(0, 0, 10)).clip(to: Envelope(minX: 5, minY: -5, maxX: 20, maxY: 5))
        XCTAssertEqual(try clipped.area(), 25, accuracy: 1e-12)
        let wiggly = try geos.make(.lineString([XY(0, 0), XY(1, 0.001), XY(2, 0), XY(3, 0.001), XY(4, 0)]))
        XCTAssertEqual(try wiggly.simplify(tolerance: 0.01).value(), .lineString([XY(0, 0), XY(4, 0)]))
    }

    func testValidityReasonAndLocationAndMakeValid() throws {
        let bowtie = try geos.make(.polygon([XY(0, 0), XY(10, 10), XY(10, 0), XY(0, 10)]))
        let report = try bowtie.validity()
        XCTAssertFalse(report.isValid)
        XCTAssertEqual(report.reason, "Self-intersection")
        XCTAssertEqual(report.location, XY(5, 5))
        let fixed = try bowtie.makeValid()
        XCTAssertTrue(try fixed.validity().isValid)
        XCTAssertEqual(try fixed.area(), 50, accuracy: 1e-9)   // two triangles of 25
        XCTAssertTrue(try geos.make(square(0, 0, 1)).validity().isValid)
    }

    func testValueWKTAndWKBRoundTrips() throws {
        let values: [Geometry] = [
            .point(1.5, -2.25),
            .lineString([XY(0, 0), XY(1, 1), XY(2, 0)]),
            .polygon([XY(0, 0), XY(10, 0), XY(10, 10), XY(0, 10)], holes: [[XY(2, 2), XY(2, 4), XY(4, 4), XY(4, 2)]]),
            .multiLineString([CoordinateSequence([XY(0, 0), XY(1, 0)]), CoordinateSequence([XY(5, 5), XY(6, 6)])]),
            .multiPolygon([square(0, 0, 1).polygonParts[0], square(5, 5, 1).polygonParts[0]]),
            .lineString(CoordinateSequence([XY(0, 0), XY(1, 1)], z: [10, 20])),
            .point(CoordinateSequence([])),
            .collection([.point(1, 1), .lineString([XY(0, 0), XY(1, 0)])]),
        ]
        for v in values {
            let g = try geos.make(v)
            XCTAssertEqual(try g.value(), v, "value round trip of \(v.typeName)")
            XCTAssertEqual(try geos.geometry(wkt: try g.wkt()).value(), v, "WKT round trip of \(v.typeName)")
            if !v.isEmpty { XCTAssertEqual(try geos.geometry(wkb: try g.wkb()).value(), v, "WKB round trip of \(v.typeName)") }
        }
        XCTAssertEqual(try geos.make(.point(1, 2)).wkt(), "POINT (1 2)")
    }

    func testPreparedGeometryAndSTRtree() throws {
        let big = try PreparedGeometry(try geos.make(square(0, 0, 100)))
        XCTAssertTrue(try big.contains(try geos.make(.point(50, 50))))
        XCTAssertFalse(try big.contains(try geos.make(.point(150, 50))))
        XCTAssertTrue(try big.intersects(try geos.make(.lineString([XY(-10, 50), XY(10, 50)]))))
        let cells = try (0..<100).map { try geos.make(square(Double($0 % 10) * 10, Double($0 / 10) * 10, 5)) }
        let tree = try STRtree(cells, context: geos)
        XCTAssertEqual(try tree.query(Envelope(minX: 1, minY: 1, maxX: 12, maxY: 2)), [0, 1])
        XCTAssertEqual(try tree.query(Envelope(minX: 6, minY: 6, maxX: 9, maxY: 9)), [])
        XCTAssertEqual(try tree.query(Envelope(minX: -1, minY: -1, maxX: 1000, maxY: 1000)).count, 100)
    }

    func testInvalidValuesGiveTypedErrors() throws {
        func code(_ g: Geometry) -> String? {
            do { _ = try geos.make(g); return nil } catch let e as GeoError { return e.code } catch { return "other" }
        }
        XCTAssertEqual(code(.polygon([CoordinateSequence([XY(0, 0), XY(1, 0), XY(1, 1), XY(0, 1), XY(0, 0.5)])])), "GEOM.RING_NOT_CLOSED")
        XCTAssertEqual(code(.polygon([CoordinateSequence([XY(0, 0), XY(1, 0), XY(0, 0)])])), "GEOM.RING_TOO_FEW_POINTS")
        XCTAssertEqual(code(.lineString(CoordinateSequence([XY(0, 0)]))), "GEOM.LINE_TOO_FEW_POINTS")
        XCTAssertEqual(code(.lineString([XY(0, 0), XY(.nan, 1)])), "GEOM.NON_FINITE")
        XCTAssertEqual(code(.multiPolygon([square(0, 0, 1).polygonParts[0], [CoordinateSequence([XY(0, 0), XY(1, 0), XY(0, 0)])]])), "GEOM.RING_TOO_FEW_POINTS")
        XCTAssertThrowsError(try geos.geometry(wkt: "POLYGON ((0 0, 1 1")) { e in
            guard case .geos(_, let messages) = e as? GeoError else { return XCTFail("\(e)") }
            XCTAssertFalse(messages.isEmpty, "GEOS's parse message is attached")
        }
    }

    /// One context per task: parallel work gives the same answers as serial work.
    func testOneContextPerTaskInParallel() async throws {
        let results = try await withThrowingTaskGroup(of: Double.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let ctx = try GEOSContext()
                    let a = try ctx.make(.rectangle(Envelope(minX: 0, minY: 0, maxX: Double(i + 1), maxY: 10)))
                    return try a.buffer(1, style: BufferStyle(cap: .flat, join: .mitre)).area()
                }
            }
            return try await group.reduce(0, +)
        }
        // Σ (i+3)·12 for i = 0…15 (each rectangle grows by 1 on every side with mitre joins).
        XCTAssertEqual(results, (0..<16).reduce(0.0) { $0 + Double($1 + 3) * 12 }, accuracy: 1e-9)
    }
}

final class InscribedCircleTests: XCTestCase {
    /// A 100 × 25 m rectangle: the largest inscribed circle has radius 12.5 m.
    func testRectangle() throws {
        let geos = try GEOSContext()
        let g = try geos.make(.rectangle(Envelope(minX: 0, minY: 0, maxX: 100, maxY: 25)))
        let mic = try g.maximumInscribedCircle(tolerance: 0.001)!
        XCTAssertEqual(mic.radius, 12.5, accuracy: 0.001)
        XCTAssertEqual(mic.center.y, 12.5, accuracy: 0.001)
    }
}
