import Foundation
import GeoCore

/// Deterministic benchmark workloads (fixed seed): a wavy synthetic shoreline of `km`
/// kilometres with vertices every ~5 m, and a beach layer of many polygons 10–40 m wide with
/// gaps, in EPSG:4547 (CGCS2000 3° Gauss–Krüger, CM 114°E). Synthetic, for timing only.
public enum BenchWorkload {
    /// The workloads' generator: `SeededGenerator` (SplitMix64), the same sequence everywhere.
    public typealias Random = SeededGenerator

    /// y of the shoreline at x (metres east of the start), local frame.
    public static func shorelineY(_ x: Double) -> Double { 2000 * sin(x / 7000) + 30 * sin(x / 300) + 4 * sin(x / 37) }

    /// The wavy shoreline with tight bends: bends of 400 m wavelength and 60 m amplitude (radius
    /// of curvature down to 68 m, well under the 250 m transect half-length, so that most
    /// transects cross a neighbour) on the gentle shoreline's large curve.
    public static func wavyY(_ x: Double) -> Double { 2000 * sin(x / 7000) + 60 * sin(x * 2 * .pi / 400) }

    /// The two shoreline workloads: `gentle` (few crossings, beaches 200–1200 m long) and `wavy`
    /// (tight bends: most transects cross; beaches 800–3000 m long).
    public enum Shape: String, Sendable { case gentle, wavy }

    /// Writes `restored_shoreline.shp`, `beach.shp` and a manifest into `folder`; returns the
    /// number of beach polygons. The shoreline is `km` kilometres long along the line (the
    /// wavy one spans fewer kilometres east–west), with a vertex every 5 m of easting.
    @discardableResult
    public static func writeShoreline(km: Double, shape: Shape = .gentle, to folder: String, seed: UInt64 = 20261123, proj: ProjContext) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let f = shape == .gentle ? shorelineY : wavyY
        let beachLength: ClosedRange<Double> = shape == .gentle ? 200...1200 : 800...3000
        // Easting span whose line length is `km` (the stretch of the curve measured on 100 km).
        let probe = Shapes.curve(0, 100_000, step: 5, f)
        let stretch = zip(probe, probe.dropFirst()).reduce(0.0) { $0 + $1.0.distance(to: $1.1) } / 100_000
        let length = km * 1000 / stretch
        let origin = XY(400_000, 2_400_000)
        func placed(_ p: XY) -> XY { XY(origin.x + p.x, origin.y + p.y) }
        let line = Shapes.curve(0, length, step: 5, f).map(placed)
        var rng = Random(seed: seed)
        var polygons: [Geometry] = []
        var x = rng.uniform(0, 200)
        while x < length - 10 {
            let len = min(rng.uniform(beachLength.lowerBound, beachLength.upperBound), length - x), w0 = rng.uniform(10, 40), w1 = rng.uniform(10, 40)
            let x0 = x
            let g = Shapes.band(x0, x0 + len, step: 5, along: f, width: { w0 + (w1 - w0) * ($0 - x0) / len })
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
         "project": {"id": "BENCH-\(shape.rawValue.uppercased())-\(Int(km))KM", "rule": "shanwei-coastline", "kind": "beach", "district": "汕尾市"},
         "checkDate": "2026-11-20",
         "layers": {"shoreline": "restored_shoreline.shp", "beach": "beach.shp"},
         "declared": {"seaSide": "right"},
         "parameters": {"transectSpacing_m": 10, "transectHalfLength_m": 250, "smoothingWindow_m": 50}}
        """
        try manifest.write(toFile: folder + "/submission.json", atomically: true, encoding: .utf8)
        return polygons.count
    }
}

extension BenchWorkload {
    /// Writes `parcels.shp`, `landuse_before.shp`, `landuse_after.shp`, `construction_land.shp`
    /// and `heritage.shp` with `count` restoration parcels (30 × 40 m, 5 m apart, on a square
    /// grid) in EPSG:4549, each parcel split into two land classes before and after, and a
    /// manifest. Deterministic for a seed.
    public static func writeParcels(count: Int, to folder: String, seed: UInt64 = 20261123, proj: ProjContext) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var rng = Random(seed: seed)
        let cols = Int(Double(count).squareRoot().rounded(.up))
        let origin = XY(500_000, 3_500_000)
        let beforeClasses = ["0601", "0602", "0701", "0702", "1003", "0508"], afterClasses = ["0301", "0305", "0101", "0103", "0404", "1104"]
        var parcels: [Feature] = [], before: [Feature] = [], after: [Feature] = [], construction: [Feature] = []
        func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry { Shapes.rect(origin.x + x0, origin.y + y0, origin.x + x1, origin.y + y1) }
        for i in 0..<count {
            let x = Double(i % cols) * 35, y = Double(i / cols) * 45
            parcels.append(Feature(index: i, geometry: rect(x, y, x + 30, y + 40), attributes: [.string("P\(i)")]))
            let sb = rng.uniform(5, 25), sa = rng.uniform(5, 25)
            // Land use before reaches 2 m beyond the parcel (surveyed polygons are not cut to parcels).
            before.append(Feature(index: before.count, geometry: rect(x - 2, y - 2, x + sb, y + 42),
                                  attributes: [.string(beforeClasses[Int(rng.next() % UInt64(beforeClasses.count))])]))
            before.append(Feature(index: before.count, geometry: rect(x + sb, y - 2, x + 32, y + 42),
                                  attributes: [.string(beforeClasses[Int(rng.next() % UInt64(beforeClasses.count))])]))
            after.append(Feature(index: after.count, geometry: rect(x, y, x + sa, y + 40), attributes: [.string(afterClasses[Int(rng.next() % UInt64(afterClasses.count))])]))
            after.append(Feature(index: after.count, geometry: rect(x + sa, y, x + 30, y + 40), attributes: [.string(afterClasses[Int(rng.next() % UInt64(afterClasses.count))])]))
        }
        // Third-survey construction land in blocks of 10 × 10 parcels.
        for by in stride(from: 0, to: (count + cols - 1) / cols, by: 10) {
            for bx in stride(from: 0, to: cols, by: 10) {
                construction.append(Feature(index: construction.count, geometry: rect(Double(bx) * 35 - 3, Double(by) * 45 - 3, Double(bx + 10) * 35, Double(by + 10) * 45),
                                            attributes: [.string("20")]))
            }
        }
        let heritage = [Feature(index: 0, geometry: rect(-500, -500, -400, -400), attributes: [.string("H")])]
        let prj = try CRS.epsg(4549, context: proj).esriWKT(context: proj)
        func write(_ name: String, _ field: String, _ features: [Feature]) throws {
            try ShapefileWriter.write(VectorLayer(name: name, path: "", format: .shapefile, family: .polygon,
                                                  fields: [Field(name: field, type: .character, width: 12)], features: features, crs: nil),
                                      to: folder + "/\(name).shp", prj: prj)
        }
        try write("parcels", "ID", parcels); try write("landuse_before", "DLBM", before); try write("landuse_after", "DLBM", after)
        try write("construction_land", "DLBM", construction); try write("heritage", "NAME", heritage)
        let manifest = """
        {"format": "ecocredit-submission/1",
         "project": {"id": "BENCH-\(count)-PARCELS", "rule": "jiangyin-eco-voucher", "kind": "restoration-parcels", "district": "江阴市"},
         "checkDate": "2025-06-01",
         "layers": {"parcels": "parcels.shp", "landuse_before": "landuse_before.shp", "landuse_after": "landuse_after.shp",
                    "construction_land": "construction_land.shp", "heritage": "heritage.shp"},
         "fields": {"parcels.id": "ID", "landuse_before.class": "DLBM", "landuse_after.class": "DLBM"}}
        """
        try manifest.write(toFile: folder + "/submission.json", atomically: true, encoding: .utf8)
    }
}
