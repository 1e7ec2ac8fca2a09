import Foundation
import GeoCore

/// Deterministic benchmark workloads (fixed seed): a wavy synthetic shoreline of `km`
/// kilometres with vertices every ~5 m, and a beach layer of many polygons 10–40 m wide with
/// gaps, in EPSG:4547 (CGCS2000 3° Gauss–Krüger, CM 114°E). Synthetic, for timing only.
public enum BenchWorkload {
    /// SplitMix64: a small, fixed, platform-independent generator.
    public struct Random {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [a, b).
        public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * Double(next() >> 11) / Double(1 << 53) }
    }

    /// y of the shoreline at x (metres east of the start), local frame.
    public static func shorelineY(_ x: Double) -> Double { 2000 * sin(x / 7000) + 30 * sin(x / 300) + 4 * sin(x / 37) }

    /// Writes `restored_shoreline.shp`, `beach.shp` and a manifest into `folder`; returns the
    /// number of beach polygons.
    @discardableResult
    public static func writeShoreline(km: Double, to folder: String, seed: UInt64 = 20261123, proj: ProjContext) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let length = km * 1000
        let origin = XY(400_000, 2_400_000)
        func placed(_ p: XY) -> XY { XY(origin.x + p.x, origin.y + p.y) }
        let line = Shapes.curve(0, length, step: 5, shorelineY).map(placed)
        var rng = Random(seed: seed)
        var polygons: [Geometry] = []
        var x = rng.uniform(0, 200)
        while x < length - 10 {
            let len = min(rng.uniform(200, 1200), length - x), w0 = rng.uniform(10, 40), w1 = rng.uniform(10, 40)
            let x0 = x
            let g = Shapes.band(x0, x0 + len, step: 5, along: shorelineY, width: { w0 + (w1 - w0) * ($0 - x0) / len })
            polygons.append(g.mapSequences { CoordinateSequence($0.xy.map(placed)) })
            x += len + rng.uniform(20, 300)
        }
        let prj = try CRS.epsg(4547, context: proj).esriWKT(context: proj)
        let idField = [Field(name: "ID", type: .character, width: 12)]
        try ShapefileWriter.write(VectorLayer(name: "restored_shoreline", path: "", format: .shapefile, family: .line, fields: idField,
                                              features: [Feature(index: 0, geometry: .lineString(line), attributes: [.string("S")])], crs: nil),
                                  to: folder + "/restored_shoreline.shp", prj: prj)
        try ShapefileWriter.write(VectorLayer(name: "beach", path: "", format: .shapefile, family: .polygon, fields: idField,
                                              features: polygons.enumerated().map { Feature(index: $0, geometry: $1, attributes: [.string("B\($0)")]) }, crs: nil),
                                  to: folder + "/beach.shp", prj: prj)
        let manifest = """
        {"format": "ecocredit-submission/1",
         "project": {"id": "BENCH-\(Int(km))KM", "rule": "shanwei-coastline", "kind": "beach", "district": "汕尾市"},
         "checkDate": "2026-11-20",
         "layers": {"shoreline": "restored_shoreline.shp", "beach": "beach.shp"},
         "declared": {"seaSide": "right"},
         "parameters": {"transectSpacing_m": 10, "transectHalfLength_m": 250, "smoothingWindow_m": 50}}
        """
        try manifest.write(toFile: folder + "/submission.json", atomically: true, encoding: .utf8)
        return polygons.count
    }
}
