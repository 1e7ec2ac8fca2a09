import Foundation
import XCTest
import GeoCore
import Measure
import Rules
import SampleData
import Submission
@testable import BundleMeasure

/// Whole bundles measured: the sample data gives the numbers it was built to give, the same
/// bundle in three CRSs gives the same measurements, and bundles straddling two zones get one
/// working CRS by the §0 formula.
final class BundleMeasureTests: XCTestCase {
    var proj: ProjContext!
    var geos: GEOSContext!
    var dir: String!
    override func setUpWithError() throws {
        proj = try ProjContext(); geos = try GEOSContext()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-bm-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func measure(_ folder: String) throws -> MeasurementReport {
        let b = try SubmissionBundle.open(folder)
        let set = try LayerSet.load(b, proj: proj)
        return try BundleMeasurer.measure(set, rulebook: try RuleLibrary.rulebook(for: b.manifest?.ruleId),
                                          vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj)
    }

    func testSamplesGiveTheirDesignedMeasurements() throws {
        try Samples.writeAll(to: dir, proj: proj)
        let beach = try measure(dir + "/shanwei-beach")
        // 400 m × 25 m, 40 m × 25 m (under 50 m) and 100 m × 18 m along a 600.41 m shoreline; run
        // lengths are stations × L/n, so the 500 designed metres come back as 500 × L/600.
        let scale = beach.value("shoreline.length_m")!.value / 600
        XCTAssertEqual(beach.value("beach.qualifyingLength_m")!.value, 500 * scale, accuracy: 1e-6)
        XCTAssertEqual(beach.segments.map(\.qualifies), [true, false, true])
        XCTAssertEqual(beach.segments[1].lengthShortfall_m!, 50 - 40 * scale, accuracy: 1e-6)
        XCTAssertEqual(beach.value("stability.netChange_m")!.value, 2, accuracy: 0.01, "the 2026 shoreline lies 2 m seaward")
        XCTAssertEqual(beach.seaSide, "right")
        XCTAssertEqual(beach.value("stability.daysSinceEarliest")!.value, 537)
        XCTAssertTrue(beach.values.allSatisfy { !$0.article.isEmpty && !$0.unit.isEmpty && $0.crs == "EPSG:4547" })

        XCTAssertEqual(try measure(dir + "/shanwei-mudflat").value("mudflat.averageWidth_m")!.value, 150, accuracy: 1e-6)
        let mangrove = try measure(dir + "/shanwei-mangrove")
        XCTAssertEqual(mangrove.value("mangrove.averageCoverageWidth_m")!.value, 25.675, accuracy: 1e-6)
        XCTAssertEqual(mangrove.value("mangrove.intertidalCover")!.value, 0.428, accuracy: 0.001)
        XCTAssertEqual(try measure(dir + "/shanwei-eco-seawall").value("seawall.vegetationCover")!.value, 0.375, accuracy: 1e-9)
        let dike = try measure(dir + "/shanwei-dike-removal")
        XCTAssertEqual(dike.value("dike.removedImpermeable_m")!.value, 300 - 1, accuracy: 1e-6, "300 m removed, less the 0.5 m buffer at each end")
        XCTAssertEqual(dike.value("dike.totalBefore_m")!.value, 1000, accuracy: 1e-6)

        let jy = try measure(dir + "/jiangyin-restoration")
        XCTAssertEqual(jy.parcels.map { $0.vouchers?.description }, ["9.6000", "2.2500"], "example table: 7.2 mu × 1.0 + 4.8 mu × 0.5; 4.5 mu × 0.5")
        XCTAssertEqual(jy.value("parcels.vouchers")!.value, 11.85, accuracy: 1e-12)
        XCTAssertEqual(jy.parcels[0].constructionShare!, 1, accuracy: 1e-9)
        XCTAssertEqual(jy.parcels[1].homestead, true); XCTAssertEqual(jy.parcels[1].exitAgreementDeclared, true)
        let supply = try measure(dir + "/jiangyin-land-supply")
        XCTAssertEqual(supply.parcels[0].vouchersRequired?.description, "12.9000", "9 mu × 0.5 + 6 mu × 1.0 + 3 mu × 0.8")
    }

    /// Writes a beach bundle with a manifest, two dated shorelines and an intertidal zone,
    /// stored in `epsg`.
    func beachBundle(_ epsg: Int, origin: XY = XY(115.36, 22.76), length: Double = 400) throws -> String {
        let folder = dir + "/beach-\(epsg)-\(origin.x)"
        let w = try SampleWriter(folder: folder, originLonLat: origin, storeEPSG: epsg, proj: proj)
        let f = [Field(name: "ID", type: .character)]
        try w.shapefile("beach", family: .polygon, fields: f,
                        rows: [(Shapes.band(0, length, along: { 5 * sin($0 / 60) }, width: { 20 + $0 / 100 }), [.string("b")])])
        try w.shapefile("restored_shoreline", family: .line, fields: f, rows: [(.lineString(Shapes.curve(0, length, step: 5) { 5 * sin($0 / 60) }), [.string("s")])])
        try w.shapefile("shoreline_2024", family: .line, fields: f, rows: [(.lineString(Shapes.curve(-20, length + 20, step: 5) { 5 * sin($0 / 60) - 10 }), [.string("a")])])
        try w.shapefile("shoreline_2026", family: .line, fields: f, rows: [(.lineString(Shapes.curve(-20, length + 20, step: 5) { 5 * sin($0 / 60) - 14 }), [.string("c")])])
        try w.manifest(["format": "ecocredit-submission/1",
                        "project": ["id": "T", "rule": "shanwei-coastline", "kind": "beach", "district": "城区"],
                        "checkDate": "2026-11-20",
                        "layers": ["shoreline": "restored_shoreline.shp", "beach": "beach.shp",
                                   "dated_shorelines": [["path": "shoreline_2024.shp", "date": "2024-05-01"], ["path": "shoreline_2026.shp", "date": "2026-05-01"]]],
                        "declared": ["seaSide": "right"]])
        return folder
    }

    /// measurement-methods §0: the same bundle stored in EPSG:4490, 4547 and 4326 gives the same
    /// measurements within 1e-6 relative.
    func testSameBundleInThreeCRSsGivesTheSameMeasurements() throws {
        var reports: [Int: MeasurementReport] = [:]
        for epsg in [4490, 4547, 4326] { reports[epsg] = try measure(try beachBundle(epsg)) }
        let base = reports[4490]!
        XCTAssertGreaterThan(base.values.count, 20)
        XCTAssertEqual(base.value("stability.netChange_m")!.value, 4, accuracy: 0.05, "the 2026 line lies 4 m further out on the declared (right) sea side")
        for epsg in [4547, 4326] {
            let r = reports[epsg]!
            XCTAssertEqual(r.values.map(\.id), base.values.map(\.id))
            for (a, b) in zip(base.values, r.values) {
                XCTAssertEqual(b.value, a.value, accuracy: max(abs(a.value), 1) * 1e-6, "\(a.id) in EPSG:\(epsg)")
            }
            XCTAssertEqual(r.segments.count, base.segments.count)
        }
    }

    /// A bundle whose layers come in EPSG:4547 and EPSG:4548 (Shanwei's coast straddles 115.5°E):
    /// the working CRS follows the §0 formula from the centre longitude, not either file.
    func testBundleStraddlingTwoZonesGetsOneWorkingCRS() throws {
        let folder = try beachBundle(4547, origin: XY(115.49, 22.80), length: 1500)
        // Re-store the beach layer in the eastern zone.
        let w = try SampleWriter(folder: folder, originLonLat: XY(115.49, 22.80), storeEPSG: 4548, proj: proj)
        try w.shapefile("beach", family: .polygon, fields: [Field(name: "ID", type: .character)],
                        rows: [(Shapes.band(0, 1500, along: { 5 * sin($0 / 60) }, width: { 20 + $0 / 100 }), [.string("b")])])
        let set = try LayerSet.load(try SubmissionBundle.open(folder), proj: proj)
        let centre = set.lonLatBounds.center.x
        XCTAssertEqual(set.workingCRS.epsg, centre < 115.5 ? 4547 : 4548)
        XCTAssertTrue(set.workingCRSReason.contains("2 different Gauss–Krüger CRSs"), set.workingCRSReason)
        let r = try BundleMeasurer.measure(set, rulebook: try RuleLibrary.rulebook("shanwei-coastline"), vocabulary: try RuleLibrary.vocabulary(),
                                           geos: geos, proj: proj)
        XCTAssertEqual(r.value("beach.meanWidth_m")!.value, 27.5, accuracy: 0.2, "20 + x/100 over 0–1500 m averages 27.5 m")
    }

    /// Manifest parameters override the defaults and are reported; unknown names are notes.
    func testParametersFromTheManifest() throws {
        let folder = try beachBundle(4490)
        let path = folder + "/submission.json"
        var m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        // A misspelt parameter is refused, naming its key, when the manifest is read.
        m["parameters"] = ["transectSpacing_m": 5, "transectHalfLength_m": 100, "bogus_m": 3, "intersectionRule": "seaward"]
        try JSONSerialization.data(withJSONObject: m).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try measure(folder)) { e in
            XCTAssertEqual((e as? SubmissionError)?.code, "MANIFEST.PARAMETER_UNKNOWN")
            XCTAssertTrue("\(e)".contains("parameters.bogus_m"), "\(e)")
        }
        m["parameters"] = ["transectSpacing_m": 5, "transectHalfLength_m": 100, "intersectionRule": "seaward"]
        try JSONSerialization.data(withJSONObject: m).write(to: URL(fileURLWithPath: path))
        let r = try measure(folder)
        XCTAssertEqual(r.parameters["transectSpacing_m"], 5)
        XCTAssertEqual(r.parameters.intersectionRule, .seaward)
        XCTAssertEqual(r.parameters.overridden, ["transectSpacing_m", "transectHalfLength_m", "intersectionRule"])
        XCTAssertEqual(r.value("beach.stations")!.value, (r.value("shoreline.length_m")!.value / 5).rounded(.toNearestOrAwayFromZero))
        let json = try JSONSerialization.jsonObject(with: Data(r.json().utf8)) as! [String: Any]
        XCTAssertEqual((json["parameters"] as! [String: Double])["transectHalfLength_m"], 100)
        XCTAssertEqual(try r.transectsCSV().split(separator: "\n").count, r.transects.count + 1)
    }
}

/// measurements.json is written without JSONEncoder: it must still be JSON whose values decode
/// back (Codable) to exactly the measured values, with keys in sorted order.
final class MeasurementJSONTests: XCTestCase {
    func testMeasurementsJSONRoundTrips() throws {
        let proj = try ProjContext(), geos = try GEOSContext()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-json-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sample in Samples.all where ["shanwei-beach", "jiangyin-restoration"].contains(sample.name) {
            let folder = dir + "/" + sample.name
            try sample.build(folder, proj)
            let b = try SubmissionBundle.open(folder)
            let r = try BundleMeasurer.measure(try LayerSet.load(b, proj: proj), rulebook: try RuleLibrary.rulebook(for: b.manifest?.ruleId),
                                               vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj)
            let text = r.json()
            struct Doc: Decodable { let values: [MeasuredValue]; let format: String; let geodesicMethod: String; let segments: [[String: JSONValue]]; let parcels: [[String: JSONValue]] }
            let doc = try JSONDecoder().decode(Doc.self, from: Data(text.utf8))
            XCTAssertEqual(doc.format, "ecocredit-measurements/2")
            XCTAssertTrue(doc.geodesicMethod.contains("Karney") && doc.geodesicMethod.contains("mid-latitude"), "the report states how geodesics are computed")
            XCTAssertEqual(doc.values, r.values, "every value, unit, method and parameter survives exactly")
            XCTAssertEqual(doc.segments.count, r.segments.count)
            XCTAssertEqual(doc.parcels.count, r.parcels.count)
            // Keys in sorted order at the top level.
            let keys = text.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { String($0.dropFirst(3).prefix { $0 != "\"" }) }
            XCTAssertEqual(keys, keys.sorted())
            XCTAssertTrue(keys.contains("values") && keys.contains("workingCRS"))
            // Streamed to files, the same bytes.
            try r.writeJSON(to: folder + "/m.json"); try r.writeTransectsCSV(to: folder + "/t.csv")
            XCTAssertEqual(try String(contentsOfFile: folder + "/m.json", encoding: .utf8), text)
            XCTAssertEqual(try String(contentsOfFile: folder + "/t.csv", encoding: .utf8), try r.transectsCSV())
            XCTAssertThrowsError(try r.writeJSON(to: folder + "/no-such-folder/m.json")) { e in
                XCTAssertTrue("\(e)".contains("IO.WRITE_FAILED") || "\(e)".contains("writeFailed"), "\(e)")
            }
        }
    }
}
