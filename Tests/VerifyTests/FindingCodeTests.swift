import Foundation
import XCTest
import GeoCore
import Submission
import ZIPFoundation
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
    ]

    func testUnexpectedErrorsAndValidityReasons() {
        struct Odd: Error {}
        let f = BundleChecks.finding(for: Odd(), role: "beach", root: "/x")
        XCTAssertEqual(f.code, .checkFailed); XCTAssertEqual(f.severity, .error)
        XCTAssertEqual(GeometryChecks.code(forValidityReason: "Duplicate Rings"), .invalid)
        XCTAssertEqual(GeometryChecks.code(forValidityReason: "Ring Self-intersection"), .selfIntersection)
        XCTAssertEqual(GeometryChecks.code(forValidityReason: "Too few distinct points in geometry component"), .tooFewPoints)
        XCTAssertEqual(GeometryChecks.code(forValidityReason: "Nested shells"), .ringTopology)
        XCTAssertEqual(GeometryChecks.code(forValidityReason: "Hole lies outside shell"), .ringTopology)
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
        }
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
