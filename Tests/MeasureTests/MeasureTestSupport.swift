import GeoCore
@testable import Measure

/// Shared helpers of the measuring tests.
enum MeasureFixture {
    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
        .rectangle(Envelope(minX: x0, minY: y0, maxX: x1, maxY: y1))
    }

    /// §1 transects along `baseline` and their §2 widths against `feature`.
    static func widths(_ baseline: [XY], _ feature: [Geometry], _ p: TransectParameters = TransectParameters(), geos: GEOSContext) throws -> [TransectWidth] {
        try WidthMeasurer(feature: feature, geos: geos).measure(TransectCaster.cast([CoordinateSequence(baseline)], p))
    }
}
