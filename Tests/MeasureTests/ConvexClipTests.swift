import Foundation
import XCTest
import SampleData
import GeoCore
import GeometryAlgorithms
@testable import Measure

/// The convex fast path of §8 gives GEOS's areas, and hands everything else to GEOS.
final class ConvexClipTests: XCTestCase {
    var geos: GEOSContext!
    override func setUpWithError() throws { geos = try GEOSContext() }

    /// Stars, concave shapes, holes and multipolygons are not convex; a clockwise square is (and comes back counter-clockwise).
    func testConvexRingRecognisesOnlyConvexSimplePolygons() throws {
        let square = Geometry.polygon([XY(0, 0), XY(0, 10), XY(10, 10), XY(10, 0)])   // clockwise
        let ring = ConvexClip.convexRing(square)
        XCTAssertEqual(ring?.count, 4)
        XCTAssertGreaterThan(ConvexClip.area(ring!), 0)
        XCTAssertEqual(ConvexClip.area(ring!), 100)
        let star = Geometry.polygon((0..<5).map { k -> XY in let a = Double(k * 2 % 5) * 2 * Double.pi / 5; return XY(cos(a), sin(a)) })
        XCTAssertNil(ConvexClip.convexRing(star), "a pentagram turns one way throughout but is not simple")
        XCTAssertNil(ConvexClip.convexRing(.polygon([XY(0, 0), XY(10, 0), XY(5, 2), XY(10, 10), XY(0, 10)])))
        XCTAssertNil(ConvexClip.convexRing(.polygon([XY(0, 0), XY(10, 0), XY(10, 10), XY(0, 10)], holes: [[XY(2, 2), XY(3, 2), XY(3, 3)]])))
        XCTAssertNil(ConvexClip.convexRing(.multiPolygon([[CoordinateSequence([XY(0, 0), XY(1, 0), XY(0, 1), XY(0, 0)])]])))
        // Strict convexity (verify's shortcut past GEOS validity) refuses spikes and straight vertices.
        let spike = Geometry.polygon([XY(0, 0), XY(10, 0), XY(10, 5), XY(15, 5), XY(10, 5), XY(10, 10), XY(0, 10)])
        XCTAssertFalse(ConvexClip.isStrictlyConvexPolygon(spike))
        XCTAssertFalse(try geos.make(spike).validity().isValid, "GEOS calls it invalid, so verify must ask GEOS")
        XCTAssertFalse(ConvexClip.isStrictlyConvexPolygon(.polygon([XY(0, 0), XY(5, 0), XY(10, 0), XY(10, 10), XY(0, 10)])))
        XCTAssertTrue(ConvexClip.isStrictlyConvexPolygon(square))
        XCTAssertFalse(ConvexClip.isStrictlyConvexPolygon(star))
    }

    /// The layer-wide ring table holds, ring for ring, what `convexRing` gives each polygon
    /// (empty for the non-convex ones), also when built on several cores.
    func testConvexRingTableMatchesRingByRing() throws {
        var gs: [Geometry] = []
        for i in 0..<5000 {
            let x = Double(i % 70) * 3, y = Double(i / 70) * 3
            switch i % 4 {
            case 0: gs.append(.polygon([XY(x, y), XY(x, y + 2), XY(x + 2, y + 2), XY(x + 2, y)]))                  // clockwise square
            case 1: gs.append(.polygon([XY(x, y), XY(x + 2, y), XY(x + 1, y + 0.5), XY(x + 2, y + 2), XY(x, y + 2)]))  // concave
            case 2: gs.append(.polygon([XY(x, y), XY(x + 2, y), XY(x + 1, y + 2)]))                                  // triangle
            default: gs.append(.lineString([XY(x, y), XY(x + 1, y)]))                                              // not a polygon
            }
        }
        let table = ConvexRings(gs)
        XCTAssertEqual(table.count, gs.count)
        for (k, g) in gs.enumerated() {
            let ring = table.withRing(k) { $0.map(Array.init) }
            XCTAssertEqual(ring, ConvexClip.convexRing(g), "polygon \(k)")
            XCTAssertEqual(table.isConvex(k), k % 4 == 0 || k % 4 == 2)
        }
    }

    /// Random convex polygons (regular n-gons, rotated and scaled): clipped areas equal GEOS's intersections.
    func testClippedAreasEqualGEOS() throws {
        var rng = SeededGenerator.forTest("testClippedAreasEqualGEOS")
        for _ in 0..<300 {
            func polygon() -> Geometry {
                let n = Int.random(in: 3...9, using: &rng), c = XY(.random(in: 0...50, using: &rng), .random(in: 0...50, using: &rng))
                let r = Double.random(in: 5...40, using: &rng), rot = Double.random(in: 0...6.3, using: &rng), squash = Double.random(in: 0.3...1, using: &rng)
                return .polygon((0..<n).map { k in let a = rot + Double(k) * 2 * .pi / Double(n); return XY(c.x + r * cos(a), c.y + squash * r * sin(a)) })
            }
            let a = polygon(), b = polygon()
            let fast = ConvexClip.area(ConvexClip.clip(ConvexClip.convexRing(b)!, by: ConvexClip.convexRing(a)!))
            let exact = try geos.make(a).intersection(try geos.make(b)).area()
            XCTAssertEqual(fast, exact, accuracy: 1e-9 * max(1, exact))
        }
    }

    /// Class areas by the fast path equal GEOS's; overlapping same-class pieces and slivers go to GEOS and still agree.
    func testParcelClassAreasFastPathAgreesWithGEOS() throws {
        let parcel = Geometry.polygon([XY(0, 0), XY(30, 0), XY(30, 40), XY(0, 40)])
        func r(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry { .rectangle(Envelope(minX: x0, minY: y0, maxX: x1, maxY: y1)) }
        let cases: [[(code: String, geometry: Geometry)]] = [
            [("0301", r(-2, -2, 12, 42)), ("0305", r(12, -2, 32, 42))],                      // two classes, reaching beyond the parcel
            [("0301", r(-2, -2, 12, 42)), ("0301", r(10, -2, 32, 42))],                      // same class overlapping: union, not sum
            [("0301", r(-2, -2, 29.5, 42)), ("0305", r(29.5, -2, 32, 42))],                  // 0305 is a 0.5 × 40 = 20 m² strip
            [("0301", r(-2, -2, 29.99, 42)), ("0305", r(29.99, -2, 32, 42))],                // 0305 is a 0.4 m² sliver: dropped
            [("0301", .polygon([XY(-5, -5), XY(40, -5), XY(40, 50), XY(20, 20), XY(-5, 50)]))], // concave land use
        ]
        for landuse in cases {
            let fast = try ParcelClassAreas.compute(parcel: parcel, landuse: landuse, sliverArea: 1, geos: geos)
            // GEOS alone: a parcel with a hole is never convex, so compute with the same rule through GEOS by hand.
            var expected: [String: Double] = [:], slivers = 0
            for code in Set(landuse.map(\.code)) {
                let u = try geos.unaryUnion(try landuse.filter { $0.code == code }.map { try geos.make($0.geometry) })
                let inter = try geos.make(parcel).intersection(u)
                for i in 0..<max(inter.partCount, 1) {
                    let a = try (inter.partCount > 0 ? inter.part(i) : inter).area()
                    if a > 0 && a < 1 { slivers += 1 } else if a > 0 { expected[code, default: 0] += a }
                }
            }
            XCTAssertEqual(Set(fast.areas.keys), Set(expected.keys))
            for (k, v) in expected { XCTAssertEqual(fast.areas[k]!, v, accuracy: 1e-9) }
            XCTAssertEqual(fast.sliversDropped, slivers)
        }
        XCTAssertNil(ConvexClip.pieceAreas(ConvexClip.convexRing(parcel)!, [r(-2, -2, 12, 42), r(10, -2, 32, 42)], tiny: 0), "overlapping pieces")
        XCTAssertNotNil(ConvexClip.pieceAreas(ConvexClip.convexRing(parcel)!, [r(-2, -2, 12, 42), r(12, -2, 32, 42)], tiny: 0), "touching pieces")
    }

    /// ParcelOverlay (all cores, fast path where it holds) gives what GEOS alone gives, parcel
    /// by parcel: convex and concave parcels, slivers, same-class overlaps and a located heritage overlap.
    func testParcelOverlayEqualsGEOSParcelByParcel() throws {
        func r(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry { .rectangle(Envelope(minX: x0, minY: y0, maxX: x1, maxY: y1)) }
        var parcels: [Geometry] = [], before: ParcelOverlay.ClassPolygons = [], after: ParcelOverlay.ClassPolygons = []
        for i in 0..<300 {
            let x = Double(i % 20) * 35, y = Double(i / 20) * 45
            // Every seventh parcel is an L shape (not convex).
            parcels.append(i % 7 == 0 ? .polygon([XY(x, y), XY(x + 30, y), XY(x + 30, y + 20), XY(x + 15, y + 20), XY(x + 15, y + 40), XY(x, y + 40)])
                                      : r(x, y, x + 30, y + 40))
            let cut = i % 13 == 0 ? 29.99 : 5 + Double(i % 11) * 2.2          // some cuts leave a 0.01 × 40 m sliver
            before.append(("0601", r(x - 2, y - 2, x + cut, y + 42))); before.append((i % 5 == 0 ? "0601" : "0702", r(x + cut - (i % 9 == 0 ? 3 : 0), y - 2, x + 32, y + 42)))
            after.append(("0301", r(x, y, x + 30, y + 25))); after.append(("0305", r(x, y + 25, x + 30, y + 40)))
        }
        let heritage = [Geometry.polygon([XY(100, 100), XY(180, 110), XY(170, 200)])]
        let construction = [r(-3, -3, 400, 300)]
        let overlay = ParcelOverlay(before: before, after: after, layers: ["heritage": heritage, "construction_land": construction],
                                    located: ["heritage"], sliverArea: 1)
        let facts = try overlay.measure(parcels)
        XCTAssertEqual(facts.count, parcels.count)
        var located = 0
        for (k, p) in parcels.enumerated() {
            let e = p.envelope!
            func near(_ c: ParcelOverlay.ClassPolygons) -> ParcelOverlay.ClassPolygons { c.filter { $0.geometry.envelope!.intersects(e) } }
            let b = try ParcelClassAreas.compute(parcel: p, window: nil, landuse: near(before), sliverArea: 1, geos: geos)
            let a = try ParcelClassAreas.compute(parcel: p, window: nil, landuse: near(after), sliverArea: 1, geos: geos)
            XCTAssertEqual(Set(facts[k].before.areas.keys), Set(b.areas.keys), "parcel \(k)")
            for (c, v) in b.areas { XCTAssertEqual(facts[k].before.areas[c]!, v, accuracy: 1e-8, "parcel \(k) class \(c)") }
            XCTAssertEqual(facts[k].before.sliversDropped, b.sliversDropped, "parcel \(k)")
            for (c, v) in a.areas { XCTAssertEqual(facts[k].after!.areas[c]!, v, accuracy: 1e-8) }
            let h = try geos.make(p).intersection(try geos.make(heritage[0]))
            XCTAssertEqual(facts[k].overlaps["heritage"]!.area, try h.area(), accuracy: 1e-8)
            if try h.area() > 0 { located += 1; XCTAssertNotNil(facts[k].overlaps["heritage"]!.point) }
            XCTAssertEqual(facts[k].overlaps["construction_land"]!.area, try geos.make(p).intersection(try geos.make(construction[0])).area(), accuracy: 1e-8)
        }
        XCTAssertGreaterThan(located, 0)
        XCTAssertGreaterThan(facts.map(\.before.sliversDropped).reduce(0, +), 0, "some cuts leave slivers, dropped as GEOS drops them")
    }
}
