import Foundation
import XCTest
import GeoCore
@testable import Measure

/// The local computations that replace whole-layer overlays give the whole-layer answers:
/// `DissolvedFeature` against GEOS's unary union, the part-by-part §2 area width against the
/// buffer of the whole baseline, and the inscribed circle found on transects against GEOS's
/// largest inscribed circle.
final class LocalOverlayTests: XCTestCase {
    var geos: GEOSContext!
    override func setUpWithError() throws { geos = try GEOSContext() }
    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry { MeasureFixture.rect(x0, y0, x1, y1) }

    /// Apart, overlapping, edge-sharing and corner-touching polygons dissolve to the union's parts and area.
    func testDissolveEqualsUnaryUnion() throws {
        let feature: [Geometry] = [
            rect(0, 0, 10, 10), rect(5, 5, 15, 15),            // overlap: one part of 175 m²
            rect(100, 0, 110, 10), rect(110, 0, 120, 10),      // share an edge: one part
            rect(200, 0, 210, 10), rect(210, 10, 220, 20),     // touch at a corner
            rect(300, 0, 310, 10),                             // alone
            .multiPolygon([[CoordinateSequence([XY(400, 0), XY(410, 0), XY(410, 10), XY(400, 0)])]]),
        ]
        let d = try DissolvedFeature(feature, geos: geos)
        let union = try geos.unaryUnion(try feature.map { try geos.make($0) })
        XCTAssertEqual(d.parts.reduce(0) { $0 + $1.planarArea }, try union.area(), accuracy: 1e-9)
        XCTAssertEqual(d.parts.reduce(0) { $0 + $1.planarArea }, 175 + 200 + 200 + 100 + 50, accuracy: 1e-9)
        let unionParts = try union.value().polygonParts.count
        XCTAssertEqual(d.parts.count, unionParts)
        // Parts never overlap: their union has the same area as their sum.
        let again = try geos.unaryUnion(try d.geosParts(geos))
        XCTAssertEqual(try again.area(), d.parts.reduce(0) { $0 + $1.planarArea }, accuracy: 1e-9)
        // Known valid (as after verification): the same parts, without GEOS's validity check.
        XCTAssertEqual(try DissolvedFeature(feature, geos: geos, knownValid: true), d)
    }

    /// An invalid polygon alone is not passed through: it goes to GEOS's union like a group.
    func testDissolveSendsInvalidPolygonsToGEOS() throws {
        let bowtie = Geometry.polygon([CoordinateSequence([XY(0, 0), XY(10, 10), XY(10, 0), XY(0, 10), XY(0, 0)])])
        let viaUnion: Result<Double, Error> = Result { try geos.unaryUnion([try geos.make(bowtie)]).area() }
        let viaDissolve: Result<Double, Error> = Result { try DissolvedFeature([bowtie], geos: geos).parts.reduce(0) { $0 + $1.planarArea } }
        switch (viaUnion, viaDissolve) {
        case (.success(let a), .success(let b)): XCTAssertEqual(a, b, accuracy: 1e-9)
        case (.failure, .failure): break
        default: XCTFail("dissolve and union disagree on an invalid polygon: \(viaUnion) vs \(viaDissolve)")
        }
    }

    /// §2 area width part by part equals Σ area(F ∩ buffer(whole part k)), on a wavy two-part
    /// baseline with strips inside the corridor (the proof path), strips reaching beyond h,
    /// a strip at a baseline end (flat cap) and one far away.
    func testLocalAreaWidthEqualsWholeBaselineBuffer() throws {
        func y(_ x: Double) -> Double { 400 * sin(x / 1500) + 25 * sin(x / 120) }
        let part1 = CoordinateSequence(stride(from: 0.0, through: 6000, by: 5).map { XY($0, y($0)) })
        let part2 = CoordinateSequence(stride(from: 6500.0, through: 9000, by: 5).map { XY($0, y($0)) })
        func strip(_ x0: Double, _ x1: Double, _ off0: Double, _ off1: Double) -> Geometry {
            let xs = Array(stride(from: x0, through: x1, by: 5))
            let lower = xs.map { XY($0, y($0) + off0) }, upper = xs.reversed().map { XY($0, y($0) + off1) }
            return .polygon(lower + upper)
        }
        let feature = [strip(50, 200, -30, 0), strip(400, 1100, -30, 0), strip(1200, 2600, -5, 25), strip(3000, 3400, -400, -10),   // beyond h
                       strip(5800, 6300, -20, 0),                                                       // over the end of part 1
                       strip(6600, 7000, 0, 35), strip(8950, 9100, -10, 10),                            // at the end of part 2
                       rect(20_000, 0, 20_100, 50)]                                                     // far away
        let baseline = [part1, part2]
        let h = 250.0
        let dissolved = try DissolvedFeature(feature, geos: geos)
        let local = try AreaWidthCheck.compute(feature: dissolved, baseline: baseline, halfLength: h, transectMean: 10)
        // The whole-baseline formula of §2.
        let f = try geos.unaryUnion(try feature.map { try geos.make($0) })
        var area = 0.0
        for part in baseline {
            let corridor = try geos.make(.lineString(part.xy)).buffer(h, style: BufferStyle(cap: .flat, join: .round, quadrantSegments: 8))
            area += try f.intersection(corridor).area()
        }
        let whole = area / baseline.reduce(0) { $0 + $1.planarLength }
        XCTAssertEqual(local.areaWidth, whole, accuracy: 1e-9 * whole)
        // Both paths ran: strips inside the corridor are proven covered, the others are overlaid.
        let corridor = Corridor(baseline, halfLength: h)
        let covered = dissolved.parts.filter { p in
            let rings = p.polygonParts[0]
            return baseline.indices.contains { corridor.covered(rings, envelope: Envelope(of: rings[0].xy)!, byPart: $0) }
        }
        XCTAssertEqual(covered.count, 2, "the two strips within 30 m of the line and over 250 m from its ends")
    }

    /// The circle found on a transect is inside the feature: never wider than GEOS's largest
    /// inscribed circle, and equal to it across the middle of a rectangle.
    func testInscribedCircleOnTransectsIsALowerBound() throws {
        let w = try MeasureFixture.widths([XY(0, 0), XY(600, 0)], [rect(0, -25, 400, 0)], geos: geos)
        XCTAssertEqual(w.map(\.inscribedAtLeast).max()!, 25, accuracy: 1e-9)
        // A wavy strip whose width varies: every transect's circle ≤ the largest inscribed circle.
        func y(_ x: Double) -> Double { 30 * sin(x / 90) }
        let xs = Array(stride(from: 0.0, through: 800, by: 4))
        let strip = Geometry.polygon(xs.map { XY($0, y($0) - 5 - 25 * $0 / 800) } + xs.reversed().map { XY($0, y($0) + 3) })
        let line = xs.map { XY($0, y($0)) }
        let ws = try MeasureFixture.widths(line, [strip], geos: geos)
        let mic = 2 * (try geos.make(strip).maximumInscribedCircle(tolerance: 0.01)!.radius)
        let best = ws.map(\.inscribedAtLeast).max()!
        XCTAssertLessThanOrEqual(best, mic + 0.02)
        XCTAssertGreaterThan(best, 0.9 * mic, "transects across the strip find nearly the largest circle")
    }
}
