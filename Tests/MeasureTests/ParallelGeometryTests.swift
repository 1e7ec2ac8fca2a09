import XCTest
import GeoCore
import GeometryAlgorithms
@testable import Measure

/// `ParallelGeometry.mapBalanced` gives what a plain loop gives, in input order, whatever the
/// weights; each group's GEOS context computes independently.
final class ParallelGeometryTests: XCTestCase {
    func testBalancedMapIsInInputOrder() throws {
        // Squares of very different vertex counts (one large, many small), area by GEOS.
        func square(_ side: Double, vertices: Int) -> Geometry {
            let n = max(1, vertices / 4)
            var ring: [XY] = []
            for (a, b) in [(XY(0, 0), XY(side, 0)), (XY(side, 0), XY(side, side)), (XY(side, side), XY(0, side)), (XY(0, side), XY(0, 0))] {
                for k in 0..<n { let t = Double(k) / Double(n); ring.append(XY(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)) }
            }
            ring.append(ring[0])
            return .polygon([CoordinateSequence(ring)])
        }
        let items = (0..<301).map { i in square(Double(i + 1), vertices: i == 150 ? 40_000 : 4 + (i * 37) % 64) }
        let areas = try ParallelGeometry.mapBalanced(items, weight: { $0.coordinateCount }) { geos, g in try geos.make(g).area() }
        let geos = try GEOSContext()
        XCTAssertEqual(areas, try items.map { try geos.make($0).area() })   // the same computation, in order: bit for bit
        for (i, a) in areas.enumerated() { XCTAssertEqual(a, Double((i + 1) * (i + 1)), accuracy: 1e-9 * a) }
        XCTAssertEqual(try ParallelGeometry.mapBalanced([Geometry](), weight: { $0.coordinateCount }) { geos, g in try geos.make(g).area() }, [])
        XCTAssertEqual(try ParallelGeometry.mapBalanced([items[3]], weight: { _ in 0 }) { geos, g in try geos.make(g).area() }, [16])
    }
}
