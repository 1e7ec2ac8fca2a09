import Foundation
import XCTest
import GeoCore
import Submission
import ZIPFoundation
import SampleData
import BundleMeasure
import Annex
import Workflow
import Outputs
import Check
import Registry
import Rules
@testable import GeoCore
@testable import Verify

/// Every finding code: a broken variant of a sample bundle that triggers it, and (in
/// `testSampleBundlesAreSound`) the sound samples that do not.
final class FindingCodeTests: XCTestCase {
    typealias Case = (code: FindingCode, make: () throws -> (path: String, options: Verifier.Options))

    static func plain(_ p: String) -> (path: String, options: Verifier.Options) { (p, .init()) }

    /// Builds a bundle zip of `folder` at `zip` (entries under the folder's name).
    static func zip(_ folder: String, to zip: String, extra: ((Archive) throws -> Void)? = nil) throws {
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .create)
        let base = URL(fileURLWithPath: (folder as NSString).deletingLastPathComponent)
        let name = (folder as NSString).lastPathComponent
        for f in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            try archive.addEntry(with: name + "/" + f, relativeTo: base, compressionMethod: .deflate)
        }
        try extra?(archive)
    }

    static func zipWith(_ entries: [(String, Entry.EntryType, Data)]) throws -> String {
        let path = Fixture.root + "/cases/z-\(UUID().uuidString.prefix(8)).zip"
        try FileManager.default.createDirectory(atPath: Fixture.root + "/cases", withIntermediateDirectories: true)
        try zip(Fixture.sample("shanwei-eco-seawall"), to: path) { a in
            for (p, type, data) in entries {
                try a.addEntry(with: p, type: type, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                               provider: { pos, size in data.subdata(in: Int(pos)..<Int(pos) + size) })
            }
        }
        return path
    }

    static func bundleZip(_ limits: BundleArchive.Limits = .init()) throws -> (path: String, options: Verifier.Options) {
        let path = Fixture.root + "/cases/b-\(UUID().uuidString.prefix(8)).zip"
        try FileManager.default.createDirectory(atPath: Fixture.root + "/cases", withIntermediateDirectories: true)
        try zip(Fixture.sample("shanwei-beach"), to: path)
        return (path, .init(zipLimits: limits))
    }

    nonisolated(unsafe) static let cases: [Case] = {
        let F = Fixture.self
        func on(_ sample: String, _ edit: @escaping (String) throws -> Void) -> () throws -> (path: String, options: Verifier.Options) {
            { let b = try F.copy(sample); try edit(b); return plain(b) }
        }
        let beach = "shanwei-beach", jy = "jiangyin-restoration", supply = "jiangyin-land-supply"
        return [
            // Bundle and manifest
            (.bundleNotFound, { plain(Fixture.root + "/no-such-bundle") }),
            (.notABundle, { let f = Fixture.root + "/cases/beach-\(UUID().uuidString.prefix(8)).shp"   // a layer given for its bundle
                            try FileManager.default.createDirectory(atPath: Fixture.root + "/cases", withIntermediateDirectories: true)
                            try Data([0, 0, 0x27, 0x0a]).write(to: URL(fileURLWithPath: f)); return plain(f) }),
            (.manifestInvalid, on(beach) { try F.write($0, "submission.json", "{ \"format\": ") }),
            (.noLayers, { let d = Fixture.root + "/cases/empty-\(UUID().uuidString.prefix(8))"
                          try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true); return plain(d) }),
            (.layerMissing, on(beach) { b in for e in ["shp", "shx", "dbf", "prj", "cpg"] { try F.remove(b, "beach." + e) } }),
            (.rolesGuessed, on(beach) { try F.remove($0, "submission.json") }),
            (.roleUnknown, on(beach) { try F.editManifest($0) { m in var l = m["layers"] as! [String: Any]; l["lagoon"] = "beach.shp"; m["layers"] = l } }),
            (.requiredRoleMissing, on(beach) { try F.editManifest($0) { m in var l = m["layers"] as! [String: Any]; l["beach"] = nil; m["layers"] = l } }),
            (.kindUnknown, on(beach) { try F.editManifest($0) { m in var p = m["project"] as! [String: Any]; p["kind"] = "lagoon"; m["project"] = p } }),
            (.manifestUnknownKey, on(beach) { try F.editManifest($0) { $0["colour"] = "blue" } }),
            (.manifestType, on(beach) { try F.editManifest($0) { $0["checkDate"] = 20261203 } }),
            (.manifestType, on(beach) { try F.editManifest($0) { m in var p = m["project"] as! [String: Any]; p["kind"] = 7; m["project"] = p } }),
            (.manifestRuleUnknown, on(beach) { try F.editManifest($0) { m in var p = m["project"] as! [String: Any]; p["rule"] = "shenzhen-carbon"; m["project"] = p } }),
            (.manifestParameterUnknown, on(beach) { try F.editManifest($0) { $0["parameters"] = ["transectSpacing": 10] } }),
            (.manifestParameterRange, on(beach) { try F.editManifest($0) { $0["parameters"] = ["transectSpacing_m": 0] } }),
            (.manifestParameterRange, on(beach) { try F.editManifest($0) { $0["parameters"] = ["transectHalfLength_m": 1e308] } }),
            (.manifestParameterRange, on(beach) { try F.editManifest($0) { $0["parameters"] = ["smoothingWindow_m": -50] } }),
            (.manifestType, on(beach) { try F.editManifest($0) { $0["parameters"] = ["transectSpacing_m": "10"] } }),
            (.manifestFormat, on(beach) { try F.editManifest($0) { $0["format"] = "ecocredit-submission/9" } }),
            // Zips
            (.zipUnreadable, { let p = Fixture.root + "/cases/garbage.zip"
                               try FileManager.default.createDirectory(atPath: Fixture.root + "/cases", withIntermediateDirectories: true)
                               try Data("PK not really a zip".utf8).write(to: URL(fileURLWithPath: p)); return plain(p) }),
            (.zipUnsafePath, { plain(try zipWith([("../../evil.txt", .file, Data("owned".utf8))])) }),
            (.zipSymlink, { plain(try zipWith([("shanwei-eco-seawall/link", .symlink, Data("/etc/passwd".utf8))])) }),
            (.zipTooManyEntries, { try bundleZip(.init(maxEntries: 5)) }),
            (.zipTooLarge, { try bundleZip(.init(maxTotalBytes: 2_000)) }),
            (.zipCompressionRatio, { plain(try zipWith([("shanwei-eco-seawall/bomb.bin", .file, Data(count: 40 << 20))])) }),
            (.zipSizeMismatch, {
                let (p, o) = try bundleZip()
                var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
                // Raise the first entry's declared size by 100 bytes in its local and central headers.
                func bump(_ at: Int) { var v = UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
                                       v += 100; for k in 0..<4 { b[at + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) } }
                bump(22)
                if let cd = (0..<(b.count - 4)).first(where: { b[$0] == 0x50 && b[$0 + 1] == 0x4B && b[$0 + 2] == 1 && b[$0 + 3] == 2 }) { bump(cd + 24) }
                try Data(b).write(to: URL(fileURLWithPath: p))
                return (p, o)
            }),
            (.zipCRCMismatch, {
                // Flip the CRC-32 of a layer file (a .shp the manifest names) in its local and
                // central headers: sizes agree, the inflated bytes do not match.
                let (p, o) = try bundleZip()
                var b = [UInt8](try Data(contentsOf: URL(fileURLWithPath: p)))
                func name(_ at: Int, _ len: Int) -> String { String(decoding: b[at..<(at + len)], as: UTF8.self) }
                for i in 0..<(b.count - 46) where b[i] == 0x50 && b[i + 1] == 0x4B {
                    if b[i + 2] == 3 && b[i + 3] == 4, name(i + 30, Int(b[i + 26]) | Int(b[i + 27]) << 8).hasSuffix(".shp") { b[i + 14] ^= 0xFF }
                    if b[i + 2] == 1 && b[i + 3] == 2, name(i + 46, Int(b[i + 28]) | Int(b[i + 29]) << 8).hasSuffix(".shp") { b[i + 16] ^= 0xFF }
                }
                try Data(b).write(to: URL(fileURLWithPath: p))
                return (p, o)
            }),
            // Files
            (.missingPart, on(beach) { try F.remove($0, "beach.shx") }),
            (.notRegularFile, on(beach) { b in try F.remove(b, "beach.dbf"); try FileManager.default.createDirectory(atPath: b + "/beach.dbf", withIntermediateDirectories: false) }),
            // A symbolic link that points at itself: there, but the system cannot open it.
            (.unreadable, on(beach) { b in try F.remove(b, "beach.dbf"); try FileManager.default.createSymbolicLink(atPath: b + "/beach.dbf", withDestinationPath: "beach.dbf") }),
            (.pathOutside, on(beach) { b in try F.editManifest(b) { m in var l = m["layers"] as! [String: Any]; l["beach"] = "../../samples/shanwei-beach/beach.shp"; m["layers"] = l } }),
            (.pathOutside, on(beach) { b in try F.editManifest(b) { m in var l = m["layers"] as! [String: Any]; l["beach"] = "/etc/passwd"; m["layers"] = l } }),
            (.pathOutside, on(beach) { b in
                try F.remove(b, "beach.dbf")
                try FileManager.default.createSymbolicLink(atPath: b + "/beach.dbf", withDestinationPath: Fixture.sample("shanwei-beach") + "/beach.dbf") }),
            (.shpBadHeader, on(beach) { try F.editBytes($0, "beach.shp") { $0[3] = 0 } }),
            (.shpTruncated, on(beach) { try F.editBytes($0, "beach.shp") { $0.removeLast(10) } }),
            (.shpRecordCorrupt, on(beach) { try F.editBytes($0, "beach.shp") { b in b[144] = 0xFF; b[145] = 0xFF; b[146] = 0xFF; b[147] = 0x7F } }),
            (.shxInconsistent, on(beach) { try F.editBytes($0, "beach.shx") { $0[103] &+= 2 } }),
            (.dbfBadHeader, on(beach) { try F.editBytes($0, "beach.dbf") { b in b[8] = 0xFF; b[9] = 0xFF } }),
            (.dbfTruncated, on(beach) { try F.editBytes($0, "beach.dbf") { $0.removeLast($0.count - 20) } }),
            (.dbfRecordCountMismatch, on(beach) { try F.editBytes($0, "beach.dbf") { $0[4] -= 1 } }),
            // The .shx indexes one record fewer than the .shp and .dbf hold: the .shx is the file named.
            (.shxInconsistent, on(jy) { try F.editBytes($0, "parcels.shx") { b in
                b.removeLast(8); let words = UInt32(b.count / 2)
                for k in 0..<4 { b[24 + k] = UInt8((words >> (8 * UInt32(3 - k))) & 0xFF) } } }),
            (.textUndecodable, on(beach) { try F.write($0, "beach.cpg", "KLINGON-1") }),
            (.unsupportedShapeType, on(beach) { b in for f in ["beach.shp", "beach.shx"] { try F.editBytes(b, f) { $0[32] = 31 } } }),
            (.prjUnreadable, on(beach) { try F.write($0, "beach.prj", "this is not a CRS") }),
            (.geojsonSyntax, on(beach) { b in try F.write(b, "extra.geojson", "{\"type\": \"FeatureCollection\", ")
                try F.editManifest(b) { m in var l = m["layers"] as! [String: Any]; l["intertidal"] = "extra.geojson"; m["layers"] = l } }),
            (.geojsonStructure, on(beach) { b in try F.write(b, "extra.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":5}}]}")
                try F.editManifest(b) { m in var l = m["layers"] as! [String: Any]; l["intertidal"] = "extra.geojson"; m["layers"] = l } }),
            (.encodingDetected, on(beach) { try F.remove($0, "beach.cpg") }),
            (.encodingCodePageByte, { plain(try F.copy("shanwei-mudflat")) }),
            // CRS and position
            (.prjMissing, on(beach) { try F.remove($0, "beach.prj") }),
            (.prjOverManifest, on(beach) { try F.editManifest($0) { $0["crs"] = "EPSG:4490" } }),
            (.wgs84, on(beach) { try F.write($0, "beach.prj", try F.prj(4326)) }),
            (.beijing1954, on(beach) { try F.write($0, "beach.prj", try F.prj(4214)) }),
            (.xian1980, on(beach) { try F.write($0, "beach.prj", try F.prj(4610)) }),
            (.wgs84Projected, on(beach) { try F.write($0, "beach.prj", try F.prj(32650)) }),
            (.notCGCS2000, on(beach) { try F.write($0, "beach.prj", try F.prj(4269)) }),
            (.axesSwapped, on(beach) { try F.editLayer($0, "beach.shp") { l in
                for i in l.features.indices { l.features[i].geometry = l.features[i].geometry.mapSequences { CoordinateSequence($0.xy.map { XY($0.y, $0.x) }) } } } }),
            (.outsideChina, on(beach) { try F.editGeometry($0, "beach.shp") { F.translate($0, 50, 0) } }),
            (.farFromDistrict, on(beach) { try F.editManifest($0) { m in var p = m["project"] as! [String: Any]; p["district"] = "江阴市"; m["project"] = p } }),
            (.districtUnknown, on(beach) { try F.editManifest($0) { m in var p = m["project"] as! [String: Any]; p["district"] = "火星区"; m["project"] = p } }),
            // Geometry
            (.wrongType, on(beach) { try F.editManifest($0) { m in var l = m["layers"] as! [String: Any]; l["intertidal"] = "shoreline_2025.shp"; m["layers"] = l } }),
            (.empty, on(beach) { try F.editGeometry($0, "beach.shp") { _ in .polygon([CoordinateSequence]()) } }),
            (.nonFinite, on(beach) { try F.editGeometry($0, "beach.shp") { g in
                var r = g.firstRing; r[1] = XY(.nan, r[1].y); return .polygon([CoordinateSequence(r)]) } }),
            (.ringNotClosed, on(beach) { try F.editGeometry($0, "beach.shp") { g in .polygon([CoordinateSequence(Array(g.firstRing.dropLast()))]) } }),
            (.tooFewPoints, on(beach) { try F.editGeometry($0, "beach.shp") { g in let r = g.firstRing; return .polygon([CoordinateSequence([r[0], r[1], r[0]])]) } }),
            (.selfIntersection, on(beach) { try F.editGeometry($0, "beach.shp") { g in   // bow-tie: swap two corners
                var r = g.firstRing; r.swapAt(1, 2); return .polygon([CoordinateSequence(r)]) } }),
            (.ringTopology, on(beach) { try F.editGeometry($0, "beach.shp") { g in   // a second shell nested inside the first
                let r = g.firstRing, e = Envelope(of: r)!, c = e.center, dx = e.width / 10, dy = e.height / 10
                let inner = [XY(c.x - dx, c.y - dy), XY(c.x - dx, c.y + dy), XY(c.x + dx, c.y + dy), XY(c.x + dx, c.y - dy), XY(c.x - dx, c.y - dy)]
                return .multiPolygon([[CoordinateSequence(r)], [CoordinateSequence(inner)]]) } }),
            (.duplicateVertex, on(beach) { try F.editGeometry($0, "beach.shp") { g in var r = g.firstRing; r.insert(r[1], at: 1); return .polygon([CoordinateSequence(r)]) } }),
            (.spike, on(beach) { try F.editGeometry($0, "beach.shp") { g in
                var r = g.firstRing; let a = r[1], b = r[2]
                let m = XY((a.x + b.x) / 2, (a.y + b.y) / 2), out = XY(m.x + (b.y - a.y), m.y - (b.x - a.x))
                r.insert(contentsOf: [m, out, m], at: 2); return .polygon([CoordinateSequence(r)]) } }),
            (.sliver, on(beach) { try F.editLayer($0, "beach.shp") { l in
                let p = l.features[0].geometry.firstRing[0], d = 3e-6   // about 0.3 m
                var f = l.features[0]; f.index = l.features.count
                f.geometry = .polygon([XY(p.x, p.y), XY(p.x + d, p.y), XY(p.x + d, p.y + d), XY(p.x, p.y + d), XY(p.x, p.y)].reversed())
                l.features.append(f) } }),
            (.ringTooSmall, on(beach) { try F.editGeometry($0, "beach.shp") { g in
                let c = Envelope(of: g.firstRing)!.center, d = 2e-6
                return .polygon([CoordinateSequence(g.firstRing), CoordinateSequence([XY(c.x, c.y), XY(c.x + d, c.y), XY(c.x + d, c.y + d), XY(c.x, c.y + d), XY(c.x, c.y)])]) } }),
            (.lineSelfIntersection, on(beach) { try F.editGeometry($0, "restored_shoreline.shp") { g in
                let s = g.lineParts[0].xy, a = s[0], b = s[s.count - 1]
                let m = XY((a.x + b.x) / 2, (a.y + b.y) / 2), up = XY(m.x, m.y + 0.001), back = XY(a.x + (b.x - a.x) * 0.4, a.y + (b.y - a.y) * 0.4 - 0.001)
                return .lineString([a, m, up, back, b]) } }),
            // Topology
            (.overlap, on(jy) { try F.editLayer($0, "parcels.shp") { l in var f = l.features[0]; f.index = l.features.count; l.features.append(f) } }),
            (.landuseGap, on(supply) { try F.editLayer($0, "landuse_before.shp") { $0.features.removeLast() } }),
            (.nearJoin, on(beach) { try F.editGeometry($0, "restored_shoreline.shp") { g in
                let s = g.lineParts[0].xy, a = s[0], b = s[s.count - 1]
                let m = XY((a.x + b.x) / 2, (a.y + b.y) / 2), m2 = XY(m.x + 5e-6, m.y)   // 0.5 m gap
                return .multiLineString([CoordinateSequence([a, m]), CoordinateSequence([m2, b])]) } }),
            // Relations
            (.beachOffShoreline, on(beach) { try F.editGeometry($0, "beach.shp") { F.translate($0, 0, -0.002) } }),
            (.intertidalOffShoreline, on(beach) { try F.editGeometry($0, "intertidal.shp") { F.translate($0, 0, -0.01) } }),
            (.mangroveLandward, on("shanwei-mangrove") { try F.editManifest($0) { m in m["declared"] = ["seaSide": "left"] } }),
            (.seaSideUnknown, on("shanwei-mangrove") { try F.editManifest($0) { m in m["declared"] = [String: Any]() } }),
            (.dikeOffOriginal, on("shanwei-dike-removal") { try F.editGeometry($0, "dike_after.shp") { F.translate($0, 0, 0.0003) } }),
            (.parcelOutsideLanduse, on(supply) { try F.editGeometry($0, "parcels.shp") { F.translate($0, 5000, 0) } }),
            // Attributes
            (.fieldMissing, on("shanwei-eco-seawall") { try F.editManifest($0) { $0["fields"] = ["vegetation.species": "NO_SUCH_FIELD"] } }),
            (.fieldType, on(supply) { try F.editLayer($0, "landuse_before.shp") { l in
                l.fields[0] = Field(name: "DLBM", type: .numeric, width: 6)
                for i in l.features.indices { l.features[i].attributes[0] = .integer(Int64(l.features[i].attributes[0].description) ?? 0) } } }),
            (.dateInvalid, on(beach) { try F.editManifest($0) { m in var l = m["layers"] as! [String: Any]
                l["dated_shorelines"] = [["path": "shoreline_2025.shp", "date": "2025-02-30"], ["path": "shoreline_2026.shp", "date": "2026-09-01"]]; m["layers"] = l } }),
            (.valueMissing, on("shanwei-eco-seawall") { try F.editLayer($0, "vegetation.shp") { $0.features[0].attributes[0] = .string("") } }),
            (.unknownSpecies, on("shanwei-eco-seawall") { try F.editLayer($0, "vegetation.shp") { $0.features[0].attributes[0] = .string("神秘草") } }),
            (.unknownLandClass, on(supply) { try F.editLayer($0, "landuse_before.shp") { $0.features[0].attributes[0] = .string("9999") } }),
            (.unknownValue, on("shanwei-dike-removal") { try F.editLayer($0, "dike_before.shp") { l in
                l.features[0].attributes[l.fieldIndex("透水性")!] = .string("半透水") } }),
            (.declaredMismatch, on(beach) { try F.editManifest($0) { m in m["declared"] = ["restoredLength_m": 400.0] } }),
        ]
    }()

    /// Codes no sample bundle can trigger here, each triggered by a unit test named beside it.
    static let triggeredByUnitTests: [FindingCode: String] = [
        .tooLarge: "testFileLimit (a file over 2 GiB is out of reach; the limit is a parameter)",
        .checkFailed: "testUnexpectedErrorsAndValidityReasons (an error of no known kind)",
        .invalid: "testUnexpectedErrorsAndValidityReasons (a GEOS validity reason without a narrower code)",
        .zipScratchUnwritable: "VerifyCLITests.testATemporaryFolderThatCannotHoldTheZipIsNamed (TMPDIR is the process's environment)",
    ]

    func testUnexpectedErrorsAndValidityReasons() {
        struct Odd: Error {}
        let f = BundleChecks.finding(for: Odd(), role: "beach", root: "/x")
        XCTAssertEqual(f.code, .checkFailed); XCTAssertEqual(f.severity, .error)
        XCTAssertEqual(FindingMessage.code(forValidityReason: "Duplicate Rings"), .invalid)
        XCTAssertEqual(FindingMessage.code(forValidityReason: "Ring Self-intersection"), .selfIntersection)
        XCTAssertEqual(FindingMessage.code(forValidityReason: "Too few distinct points in geometry component"), .tooFewPoints)
        XCTAssertEqual(FindingMessage.code(forValidityReason: "Nested shells"), .ringTopology)
        XCTAssertEqual(FindingMessage.code(forValidityReason: "Hole lies outside shell"), .ringTopology)
    }

    func testEveryCodeHasACase() {
        let covered = Set(Self.cases.map(\.code)).union(Self.triggeredByUnitTests.keys)
        XCTAssertEqual(Set(FindingCode.allCases).subtracting(covered), [], "codes without a triggering case")
    }

    func testEachCaseTriggersItsCode() throws {
        for c in Self.cases {
            let (path, options) = try c.make()
            let report = Verifier.verify(path, options: options)
            XCTAssertTrue(report.codes.contains(c.code), "\(c.code.rawValue): got \(report.codes.map(\.rawValue).sorted())")
            if c.code.severity == .error {
                XCTAssertNotEqual(report.exitStatus, 0, "\(c.code.rawValue) is an error and must fail verification")
            }
            if c.code.isUnusable { XCTAssertEqual(report.exitStatus, 2, c.code.rawValue) }
            for f in report.findings where f.code == c.code {
                XCTAssertFalse(f.message.zh.isEmpty); XCTAssertFalse(f.message.en.isEmpty)
            }
            // The whole Chinese report — every finding's message, the layers, the working CRS —
            // holds no English word but codes, units' symbols, file names and proper names.
            XCTAssertEqual(LanguageScan.englishWords(Self.withoutPaths(report.text(.zh), path)), [], "\(c.code.rawValue): \(report.text(.zh))")
        }
    }

    /// The report without the bundle's own path (a folder name the user chose, not our text).
    static func withoutPaths(_ text: String, _ path: String) -> String {
        text.replacingOccurrences(of: path, with: " ").replacingOccurrences(of: Fixture.root, with: " ")
    }

    /// Every coded error the command line prints (and the service will return) has its message in
    /// both languages, kept with its code; the Chinese holds no English word.
    func testEveryCodedErrorIsBilingual() {
        let d = "something the library said in English"
        let errors: [any CodedError] = [
            GeoError.io(code: .shpTruncated, file: "beach.shp", record: 3, field: "NAME", detail: d), GeoError.geos(operation: "GEOSUnion_r", messages: [d]),
            GeoError.proj(operation: "proj_create", messages: []), GeoError.invalidGeometry(code: .ringNotClosed, detail: d),
            SubmissionError.notFound(path: "/x"), SubmissionError.pathOutside(role: "beach", path: "../b.shp"),
            RulesError.notFound(name: "x.json"), RulesError.invalid(name: "x.json", detail: d),
            RulesError.unknownValue(what: "comparison", value: "=>", path: "criteria[0].comparison", allowed: [">", ">="]),
            RulesError.overrideInvalid(detail: d), RulesError.ruleMismatch(rulebook: "jiangyin-eco-voucher 2023.1", bundleRule: "shanwei-coastline"),
            MeasureError.thresholdMissing(key: "beachWidth", rulebook: "shanwei-coastline 2026.1-draft"), MeasureError.workloadTooLarge(detail: d),
            WorkflowError.measuring(bundle: "/b", underlying: MeasureError.workloadTooLarge(detail: d)),
            OutputError.symlink(path: "/o"), OutputError.notAFolder(path: "/o"), OutputError.notOurs(path: "/o"), OutputError.cannotWrite(path: "/o", detail: d),
            MoneyError.invalidInput(d), MoneyError.overflow("9 cm × 9 fen/m"), AnnexError.resourceMissing("annex.mustache"),
        ]
        for e in errors {
            XCTAssertEqual(LanguageScan.englishWords(e.message.zh), [], "\(e.code): \(e.message.zh)")
            XCTAssertFalse(e.message.en.isEmpty)
            XCTAssertTrue("\(e)".hasPrefix("[\(e.code)] "), "\(e)")
        }
    }

    /// Every message of the catalogue, in Chinese, with details as checks fill them in: no
    /// English word. Details that only exist in English (GEOS and OS messages, a reader's
    /// technical detail) are kept to the English message.
    func testEveryCatalogueMessageIsChineseInChinese() {
        let detail = "header declares 3868 bytes, the file has 3858"
        let messages: [FindingMessage] = [
            .rolesGuessed(guesses: ["beach.shp → beach"]), .manifestFormat(found: "ecocredit-submission/9"), .manifestUnknownKey(key: "colour"),
            .rulebookOverrideInvalid(detail: detail), .roleUnknown(role: "lagoon"), .requiredRoleMissing(kind: "beach", role: "beach"),
            .kindUnknown(kind: "lagoon", known: ["beach", "mudflat"]), .checkDateInvalid(value: "2026-13-01"),
            .datedShorelineDateInvalid(file: "s.shp", date: nil), .encodingDetected(encoding: "GB18030"),
            .encodingCodePageByte(declared: "0x4D", encoding: "GB18030"),
            .bundleProblem(.notFound(path: "/x")), .bundleProblem(.manifestInvalid(path: "/x", detail: detail)), .bundleProblem(.noLayers(path: "/x")),
            .bundleProblem(.layerMissing(role: "beach", path: "/x/beach.shp")), .bundleProblem(.crsUnusable(layer: "beach.shp", detail: detail)),
            .bundleProblem(.pathOutside(role: "beach", path: "../beach.shp")),
            .crsUnknown, .datumWithoutParameters(beijing1954: true, crs: "EPSG:2435", datum: "Beijing 1954"),
            .wgs84Projected(crs: "EPSG:32650"), .notCGCS2000(crs: "EPSG:3857", datum: "WGS 84", detail: detail),
            .prjMissingManifestUsed(crs: "EPSG:4490"), .prjOverManifest(prj: "EPSG:4490", manifest: "EPSG:4547"), .wgs84AsCGCS2000,
            .axesSwapped, .outsideChina, .districtUnknown(name: "汕尾市城区"),
            .farFromDistrict(centre: XY(115.3, 22.7), km: 120, district: "汕尾市城区", radiusKm: 60),
            .empty, .nonFinite(part: 0, vertex: 3, x: .nan, y: 1), .wrongType(found: "MultiLineString", role: "beach", wantsLine: false),
            .ringTooFewPoints(polygon: 0, ring: 1, count: 3), .ringNotClosed(polygon: 0, ring: 0), .lineTooFewPoints(part: 0, count: 1),
            .invalid(reason: "Self-intersection[10 5]"), .invalid(reason: "Ring Self-intersection"), .invalid(reason: "Hole lies outside shell"),
            .invalid(reason: "Something a later GEOS says"), .lineSelfIntersection,
            .sliver(polygon: 0, area: 0.01, limit: 1), .holeTooSmall(polygon: 0, hole: 1, area: 0.01, limit: 1),
            .duplicateVertices(sequence: 0, count: 2, first: 4), .spike(sequence: 0, vertex: 7, angle: 10),
            .overlap(record: 2, id: "B-3", area: 40), .nearJoin(part: 0, record: 1, otherPart: 0, distance: 0.2),
            .offShoreline(role: "beach", distance: 12, tolerance: 5), .offShoreline(role: "intertidal", distance: 12, tolerance: 5),
            .dikeOffOriginal(length: 30, tolerance: 5), .seaSideUnknown, .mangroveLandward(side: "left", declared: "right"),
            .parcelOutsideLanduse(role: "landuse_after", area: 600, total: 1000), .landuseGap(role: "landuse_before", area: 40),
            .fieldMissing(role: "vegetation", meaning: "species", tried: ["树种", "SPECIES"]), .speciesEmpty(field: "树种"),
            .unknownSpecies(value: "Sonneratia x"), .landClassNumeric(field: "DLBM", type: "N"), .landClassEmpty(field: "DLBM"),
            .unknownLandClass(value: "9999"), .permeabilityUnknown(value: "maybe", known: ["impermeable", "permeable"]),
            .removedFlagUnknown(value: "maybe"), .dateFieldInvalid(field: "RQ", value: "2026-02-30"),
            .declaredAreaMismatch(declared: 1000, measured: 900, relative: 0.11, tolerance: 0.05),
            .declaredLengthMismatch(declared: 1000, measured: 900, relative: 0.11, tolerance: 0.05),
            .libraryFailed(stage: .validity, detail: detail), .readFailed(detail: detail), .verifierFailed(detail: detail),
        ] + IOErrorCode.allCases.map { .fileUnreadable(code: $0, record: 3, field: "NAME", detail: detail) }
          + [.bundleProblem(.scratchUnwritable(path: "/x.zip", folder: "/tmp/gone", detail: detail))]
          + SubmissionError.ArchiveCode.allCases.map { .bundleProblem(.archive(code: $0, path: "/x.zip", entry: "a/b.shp", detail: detail)) }
          + SubmissionError.ManifestCode.allCases.map { .bundleProblem(.manifestValue(code: $0, path: "submission.json", key: "parameters.transectSpacing_m", detail: detail)) }
        for m in messages {
            XCTAssertEqual(LanguageScan.englishWords(m.text.zh), [], "\(m.code.rawValue): \(m.text.zh)")
            XCTAssertFalse(m.text.en.isEmpty)
        }
        // Every code a message can carry is one of the catalogue's (and the scan finds English where there is some).
        XCTAssertEqual(LanguageScan.englishWords("几何无效（GEOS：Self-intersection）"), ["Self-intersection"])
    }

    /// Sound data: every sample bundle verifies with no error, and with none of the codes above
    /// except the two its data was built to show (GBK without .cpg, code page by DBF byte).
    func testSampleBundlesAreSound() throws {
        let expected: [String: Set<FindingCode>] = ["shanwei-mangrove": [.encodingDetected], "shanwei-mudflat": [.encodingCodePageByte]]
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.root + "/samples").sorted() {
            let report = Verifier.verify(Fixture.sample(name))
            XCTAssertEqual(report.exitStatus, 0, name)
            XCTAssertEqual(report.codes, expected[name] ?? [], "\(name): \(report.text(.en))")
        }
    }

    /// Read once: every sample's layers as verification read them are those `LayerSet.load`
    /// gives (so `ecocredit annex` can measure them without reading again); with a layer
    /// refused, no partial set is handed on, and the report is the one `verify` gives.
    func testReadingIsTheLoadedSet() throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixture.root + "/samples").sorted() {
            let reading = Verifier.read(Fixture.sample(name))
            defer { reading.close() }
            let set = try XCTUnwrap(reading.completeSet, name)
            let loaded = try LayerSet.load(try SubmissionBundle.open(Fixture.sample(name)), proj: try ProjContext())
            XCTAssertEqual(set.workingCRS, loaded.workingCRS, name)
            XCTAssertEqual(set.lonLatBounds, loaded.lonLatBounds, name)
            let read: [RoleLayer] = set.layers, expected: [RoleLayer] = loaded.layers
            XCTAssertEqual(read.map(\.role), expected.map(\.role), name)
            for (a, b) in Swift.zip(read, expected) {
                XCTAssertEqual(a.working.features, b.working.features, "\(name) \(a.role)")
                XCTAssertEqual(a.source.features, b.source.features, "\(name) \(a.role)")
            }
            XCTAssertEqual(Verifier.check(reading).json(), Verifier.verify(Fixture.sample(name)).json(), name)
        }
        let broken = try Fixture.copy("shanwei-beach")
        try Fixture.write(broken, "beach.prj", try Fixture.prj(4214))   // Beijing 1954: refused
        let reading = Verifier.read(broken)
        defer { reading.close() }
        XCTAssertNil(reading.completeSet, "a refused layer: no partial set")
        XCTAssertNotEqual(Verifier.check(reading).exitStatus, 0)
    }

    func testFileLimit() throws {
        let p = Fixture.root + "/limit.bin"
        try Data(count: 100).write(to: URL(fileURLWithPath: p))
        XCTAssertThrowsError(try RegularFile.read(p, limit: 10)) { e in
            XCTAssertEqual((e as? GeoError)?.code, "IO.TOO_LARGE")
            guard case let .io(code, _, _, _, _) = e as! GeoError else { return XCTFail() }
            XCTAssertEqual(FindingCode(code), .tooLarge)
        }
        XCTAssertEqual(try RegularFile.read(p, limit: 100).count, 100)
    }
}
