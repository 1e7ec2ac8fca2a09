import Foundation
import XCTest
import GeoCore
import SampleData
import Measure
@testable import Submission

/// Bundles: manifests, roles, CRS rules of measurement-methods §0, and the sample data.
final class SubmissionTests: XCTestCase {
    var proj: ProjContext!
    var geos: GEOSContext!
    var dir: String!
    override func setUpWithError() throws {
        proj = try ProjContext(); geos = try GEOSContext()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-sub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func load(_ folder: String) throws -> LayerSet { try LayerSet.load(try SubmissionBundle.open(folder), proj: proj) }

    func planarArea(_ layer: VectorLayer) throws -> Double {
        try layer.features.reduce(0) { $0 + (try geos.make($1.geometry).area()) }
    }
    func planarLength(_ layer: VectorLayer) throws -> Double {
        try layer.features.reduce(0) { $0 + (try geos.make($1.geometry).length()) }
    }

    /// Every sample bundle loads, and the sizes it was built with come back in the working CRS.
    func testSampleBundlesGiveTheirDesignedSizes() throws {
        try Samples.writeAll(to: dir, proj: proj)
        let beach = try load(dir + "/shanwei-beach")
        XCTAssertEqual(beach.workingCRS.epsg, 4547)
        let beachArea: Double = 400 * 25 + 40 * 25 + 100 * 18
        XCTAssertEqual(try planarArea(beach.layer("beach")!.working), beachArea, accuracy: 1e-3)
        XCTAssertEqual(beach.layers("dated_shorelines").compactMap(\.date), ["2025-06-01", "2026-09-01"])
        XCTAssertEqual(beach.layer("beach")!.source.value(beach.layer("beach")!.source.features[0], "砂质"), .string("中细砂"))

        let mud = try load(dir + "/shanwei-mudflat")
        XCTAssertEqual(mud.workingCRS.epsg, 4548, "115.56°E is east of the 115.5°E zone edge")
        XCTAssertEqual(try planarLength(mud.layer("shoreline")!.working), 1000, accuracy: 1e-3)
        XCTAssertEqual(mud.layer("shoreline")!.source.encoding?.source, .languageDriver)

        let mangrove = try load(dir + "/shanwei-mangrove")
        let mangroveArea: Double = 250 * 30 + 260 * 28 + 180 * 32
        XCTAssertEqual(try planarArea(mangrove.layer("mangrove")!.working), mangroveArea, accuracy: 1e-3)
        XCTAssertEqual(mangrove.layer("mangrove")!.source.encoding?.source, .detected)
        XCTAssertEqual(mangrove.layer("mangrove")!.source.encoding?.encoding, .gb18030)

        let seawall = try load(dir + "/shanwei-eco-seawall")
        XCTAssertEqual(seawall.workingCRS.epsg, 4548)
        XCTAssertEqual(seawall.workingCRSReason.contains("only CGCS2000 Gauss–Krüger"), true)
        XCTAssertEqual(try planarArea(seawall.layer("seawall")!.working), 10_000, accuracy: 1e-6)

        let dike = try load(dir + "/shanwei-dike-removal")
        XCTAssertEqual(try planarLength(dike.layer("dike_before")!.working), 1000, accuracy: 1e-3)

        let jy = try load(dir + "/jiangyin-restoration")
        XCTAssertEqual(jy.workingCRS.epsg, 4549)
        XCTAssertEqual(try planarArea(jy.layer("parcels")!.working) / (10000.0 / 15.0), 12 + 4.5, accuracy: 1e-5, "mu")
        let supply = try load(dir + "/jiangyin-land-supply")
        XCTAssertEqual(try planarArea(supply.layer("parcels")!.working), 15_000, accuracy: 1e-6)
        XCTAssertEqual(supply.bundle.manifest?.fields["landuse_before.class"], "DLBM")
    }

    /// The same bundle stored in EPSG:4490, EPSG:4547 and EPSG:4326 measures the same.
    func testSameBundleInThreeCRSsGivesTheSameSizes() throws {
        var areas: [Int: Double] = [:], lengths: [Int: Double] = [:], meanWidths: [Int: Double] = [:]
        for epsg in [4490, 4547, 4326] {
            let folder = dir + "/b\(epsg)"
            let w = try SampleWriter(folder: folder, originLonLat: XY(115.36, 22.76), storeEPSG: epsg, proj: proj)
            try w.shapefile("beach", family: .polygon, fields: [Field(name: "ID", type: .character)],
                            rows: [(Shapes.band(0, 400, along: { 5 * sin($0 / 60) }, width: { 20 + $0 / 100 }), [.string("b")])])
            try w.shapefile("restored_shoreline", family: .line, fields: [Field(name: "ID", type: .character)],
                            rows: [(.lineString(Shapes.curve(0, 400, step: 5) { 5 * sin($0 / 60) }), [.string("s")])])
            let set = try load(folder)
            XCTAssertEqual(set.workingCRS.epsg, 4547)
            XCTAssertTrue(set.bundle.roleGuesses.contains("beach.shp → beach"))
            XCTAssertTrue(set.bundle.roleGuesses.contains("restored_shoreline.shp → shoreline"))
            areas[epsg] = try planarArea(set.layer("beach")!.working)
            lengths[epsg] = try planarLength(set.layer("shoreline")!.working)
            let transects = TransectCaster.cast(set.layer("shoreline")!.working.features.flatMap(\.geometry.lineParts), TransectParameters())
            let widths = try WidthMeasurer(feature: set.layer("beach")!.working.features.map(\.geometry), geos: geos).measure(transects)
            meanWidths[epsg] = WidthStatistics(widths.map(\.width)).mean
            if epsg == 4326 { XCTAssertTrue(set.layer("beach")!.crsNotes.joined().contains("WGS 84")) }
            if epsg == 4547 {
                // The .prj is PROJ's ESRI WKT1 of the working CRS: identified as it, and the operation
                // between the two dialects is a no-op, so coordinates are kept as read, bit for bit.
                for role in ["beach", "shoreline"] {
                    let l = set.layer(role)!
                    XCTAssertEqual(l.sourceCRS.epsg, set.workingCRS.epsg)
                    XCTAssertEqual(l.working.finiteVertices, l.source.finiteVertices, role)
                }
            }
        }
        for epsg in [4547, 4326] {
            XCTAssertEqual(areas[epsg]! / areas[4490]!, 1, accuracy: 1e-6)
            XCTAssertEqual(lengths[epsg]! / lengths[4490]!, 1, accuracy: 1e-6)
            XCTAssertEqual(meanWidths[epsg]! / meanWidths[4490]!, 1, accuracy: 1e-6, "§2 mean transect width")
        }
        XCTAssertEqual(meanWidths[4490]!, 22, accuracy: 0.1, "band 20 + x/100 m wide over 0–400 m has mean width ≈ 22 m")
    }

    func testBeijing1954AndMissingPrjAndManifestCRS() throws {
        try Samples.jiangyinLandSupply(dir + "/jy", proj)
        // Beijing 1954 .prj: rejected with the reason.
        let b54 = try CRS.epsg(2436, context: proj).esriWKT(context: proj)   // Beijing 1954 / 3-degree GK CM 120E
        try b54.write(toFile: dir + "/jy/parcels.prj", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try load(dir + "/jy")) { e in
            guard let s = e as? SubmissionError, case .crsUnusable(_, let detail) = s else { return XCTFail("\(e)") }
            XCTAssertTrue(detail.contains("Beijing 1954"), detail)
            XCTAssertEqual(s.code, "CRS.NOT_CGCS2000")
        }
        // Missing .prj and no manifest crs: rejected.
        try FileManager.default.removeItem(atPath: dir + "/jy/parcels.prj")
        XCTAssertThrowsError(try load(dir + "/jy")) { e in XCTAssertEqual((e as? SubmissionError)?.code, "CRS.NOT_CGCS2000") }
        // The manifest's crs fills in.
        var m = try String(contentsOfFile: dir + "/jy/submission.json", encoding: .utf8)
        m = m.replacingOccurrences(of: "\"checkDate\"", with: "\"crs\" : \"EPSG:4549\",\n  \"checkDate\"")
        try m.write(toFile: dir + "/jy/submission.json", atomically: true, encoding: .utf8)
        let set = try load(dir + "/jy")
        XCTAssertTrue(set.layer("parcels")!.crsNotes.joined().contains("manifest"))
        XCTAssertEqual(try planarArea(set.layer("parcels")!.working), 15_000, accuracy: 1e-6)
    }

    func testManifestParsingAndErrors() throws {
        let doc = #"{"format":"ecocredit-submission/1","project":{"id":"X","rule":"shanwei-coastline","kind":"beach"},"layers":{"shoreline":"s.shp","dated_shorelines":[{"path":"a.shp","date":"2025-01-01"}]},"parameters":{"transectSpacing_m":5},"extra":1}"#
        let m = try Manifest.parse(Data(doc.utf8), path: "m")
        XCTAssertEqual(m.layers, [.init(role: "dated_shorelines", path: "a.shp", date: "2025-01-01"), .init(role: "shoreline", path: "s.shp", date: nil)])
        XCTAssertEqual(m.parameters["transectSpacing_m"], 5)
        XCTAssertEqual(m.unknownKeys, ["extra"])
        XCTAssertThrowsError(try Manifest.parse(Data("{".utf8), path: "m"))
        XCTAssertThrowsError(try Manifest.parse(Data(#"{"parameters":{"transectSpacing_m":"ten"}}"#.utf8), path: "m"))
        XCTAssertThrowsError(try SubmissionBundle.open(dir + "/nope")) { e in XCTAssertEqual((e as? SubmissionError)?.code, "BUNDLE.NOT_FOUND") }
    }

    func testSummaryCarriesPlanarAndGeodesicValues() throws {
        try Samples.mudflat(dir + "/mud", proj)
        let set = try load(dir + "/mud")
        let rows = try LayerSummary.summarize(set, geos: geos, proj: proj)
        let shore = try XCTUnwrap(rows.first { $0.role == "shoreline" })
        XCTAssertEqual(shore.measure, "length")
        XCTAssertEqual(shore.planar, 1000, accuracy: 1e-3)
        // 1.44° west of CM 117°E the Gauss–Krüger scale is about 1 + (Δλ·cosφ)²/2 ≈ 1.00027.
        XCTAssertEqual(shore.relativeDifference, 0.00027, accuracy: 0.00003)
        let tidal = try XCTUnwrap(rows.first { $0.role == "intertidal" })
        XCTAssertEqual(tidal.measure, "area")
        XCTAssertEqual(tidal.planar, 150_000, accuracy: 1)
        XCTAssertTrue(tidal.encoding.contains("GB18030"))
    }
}

/// The committed `geodata/` is exactly what the generator writes (so it can be rebuilt and trusted).
final class GeodataReproducibilityTests: XCTestCase {
    func testCommittedSampleDataMatchesTheGenerator() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-geodata-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        try Samples.writeAll(to: tmp, proj: try ProjContext())
        var compared = 0
        for bundle in Samples.all.map(\.name) {
            let files = try FileManager.default.contentsOfDirectory(atPath: tmp + "/" + bundle).sorted()
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: repo + "/geodata/" + bundle).sorted(), files, bundle)
            for f in files {
                let a = FileManager.default.contents(atPath: "\(tmp)/\(bundle)/\(f)")
                let b = FileManager.default.contents(atPath: "\(repo)/geodata/\(bundle)/\(f)")
                XCTAssertEqual(a, b, "\(bundle)/\(f) differs from the generator's output: run `make geodata`")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 50)
    }
}
