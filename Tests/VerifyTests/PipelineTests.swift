import Foundation
import XCTest
import GeoCore
@testable import Rules
import Submission
@testable import Annex
@testable import Check
@testable import Verify
@testable import Outputs
@testable import Workflow

/// The pipeline never computes a number from data that failed verification, never calls a
/// quantity issuable when it is not, applies and marks the manifest's what-if override, decides
/// "does this value meet the rule" in one place, and writes outputs whole or not at all.
final class PipelineTests: XCTestCase {
    typealias F = Fixture

    func run(_ path: String, _ options: Pipeline.Options = .init()) throws -> (check: CheckReport?, measured: Bool, verification: VerificationReport) {
        try Pipeline.withBundle(path, options: options) { r in (r.check, r.measurement != nil, r.verification) }
    }

    /// One NaN coordinate: verification reports GEOM.NON_FINITE; nothing is measured; the
    /// check is not assessed, the quantity has no value (never 0), and the code is given.
    func testNonFiniteCoordinateIsNotAssessed() throws {
        for (sample, file, quantity) in [("jiangyin-land-supply", "parcels.shp", "vouchersRequired"), ("shanwei-beach", "beach.shp", "indicatorMetres")] {
            let b = try F.copy(sample)
            try F.editGeometry(b, file) { g in var r = g.firstRing; r[1] = XY(.nan, r[1].y); return .polygon([CoordinateSequence(r)]) }
            let (check, measured, v) = try run(b)
            XCTAssertTrue(v.codes.contains(.nonFinite), sample)
            XCTAssertFalse(measured, sample)
            let c = try XCTUnwrap(check)
            XCTAssertEqual(c.overall, .notAssessed, sample)
            let q = try XCTUnwrap(c.quantities.first { $0.id == quantity }, sample)
            XCTAssertNil(q.units, sample); XCTAssertEqual(q.status, .notAssessed); XCTAssertEqual(q.value, "—")
            XCTAssertTrue(c.reasons.contains { $0.code == "VERIFY.FAILED" && $0.en.contains("GEOM.NON_FINITE") }, "\(c.reasons)")
            XCTAssertFalse(c.text(.en).contains("Overall: pass"))
            XCTAssertEqual(c.exitStatus, 3)
        }
    }

    /// A required layer missing from the manifest: BUNDLE.REQUIRED_ROLE_MISSING, not assessed.
    func testMissingRequiredRoleIsNotAssessed() throws {
        let b = try F.copy("jiangyin-restoration")
        try F.editManifest(b) { m in var l = m["layers"] as! [String: Any]; l["landuse_after"] = nil; m["layers"] = l }
        let (check, measured, v) = try run(b)
        XCTAssertTrue(v.codes.contains(.requiredRoleMissing))
        XCTAssertFalse(measured)
        XCTAssertEqual(check?.overall, .notAssessed)
        XCTAssertTrue(check!.reasons.contains { $0.en.contains("BUNDLE.REQUIRED_ROLE_MISSING") })
        XCTAssertTrue(check!.quantities.allSatisfy { $0.units == nil && $0.status == .notAssessed })
    }

    /// A check date outside the rulebook's period, and the example coefficient table: the
    /// quantity is for reference only, with the reason, in text (both languages), JSON and annex.
    func testRulebookOutOfPeriodAndExampleCoefficientsAreNotIssuable() throws {
        let b = try F.copy("jiangyin-restoration")
        let (c0, _, _) = try run(b)
        let inPeriod = try XCTUnwrap(c0)
        XCTAssertEqual(inPeriod.reasons.map(\.code), ["RULES.EXAMPLE_COEFFICIENTS"])
        XCTAssertEqual(inPeriod.quantities.first { $0.id == "vouchers" }?.status, .referenceOnly)
        XCTAssertFalse(inPeriod.quantities.contains { $0.isIssuable })
        XCTAssertTrue(inPeriod.text(.zh).contains("示例折算系数，非正式数值"))
        XCTAssertTrue(inPeriod.text(.en).contains("example coefficients, not official"))
        XCTAssertTrue(inPeriod.json().contains("\"official\" : false"))

        let (c1, _, _) = try run(b, .init(checkDate: CivilDate("2026-12-03")!))
        let out = try XCTUnwrap(c1)
        XCTAssertTrue(out.reasons.contains { $0.code == "RULES.NOT_IN_FORCE" && $0.en.contains("not in force on 2026-12-03") && $0.en.contains("JY Art. 44") })
        XCTAssertTrue(out.text(.zh).contains("仅供参考"))
        XCTAssertNotEqual(out.exitStatus, 0)

        // The annex says so, in Chinese and English.
        for lang in ["zh", "en"] {
            let dir = b + "/annex-\(lang)"
            _ = try Pipeline.withBundle(b) { r in
                try Outputs.write(r, to: dir, annex: .init(lang: lang, generatedAt: "2026-12-03T00:00:00Z", command: "test", pdf: false))
            }
            let html = try String(contentsOfFile: dir + "/annex.html", encoding: .utf8)
            XCTAssertTrue(html.contains("RULES.EXAMPLE_COEFFICIENTS"), lang)
            XCTAssertTrue(html.contains(lang == "zh" ? "示例折算系数，非正式数值" : "example coefficients, not official"), lang)
            XCTAssertTrue(html.contains(lang == "zh" ? "仅供参考" : "for reference only"), lang)
        }
    }

    /// The manifest's `rulebook` override is applied (different vouchers) and marked what-if.
    func testRulebookOverrideIsAppliedAndMarkedWhatIf() throws {
        let b = try F.copy("jiangyin-restoration")
        let (base, _, _) = try run(b)
        let baseVouchers = try XCTUnwrap(base?.quantities.first { $0.id == "vouchers" }?.units)
        try F.editManifest(b) { m in
            m["rulebook"] = ["coefficientTables": [["id": "WHAT-IF-1", "validFrom": "2020-01-01", "validTo": "2030-12-31", "source": "test",
                                                    "coefficients": ["0301": 2.0, "01": 0.5, "0101": 0.5]]]]
        }
        let (c, _, _) = try run(b)
        let check = try XCTUnwrap(c)
        let vouchers = try XCTUnwrap(check.quantities.first { $0.id == "vouchers" })
        XCTAssertNotEqual(vouchers.units, baseVouchers, "the override's coefficients are used")
        XCTAssertTrue(check.whatIf)
        XCTAssertTrue(check.reasons.contains { $0.code == "RULES.WHAT_IF" })
        XCTAssertFalse(check.reasons.contains { $0.code == "RULES.EXAMPLE_COEFFICIENTS" }, "the override's table is not an example")
        XCTAssertEqual(vouchers.status, .referenceOnly)
        XCTAssertTrue(check.text(.zh).contains("【假设情景】"))
        let dir = b + "/annex"
        try Pipeline.withBundle(b) { r in
            XCTAssertTrue(r.measurement!.whatIf)
            try Outputs.write(r, to: dir, annex: .init(lang: "zh", generatedAt: "t", command: "test", pdf: false))
        }
        XCTAssertTrue(try String(contentsOfFile: dir + "/annex.html", encoding: .utf8).contains("id=\"whatif\""))
        // An override of anything else is refused with its code.
        try F.editManifest(b) { m in m["rulebook"] = ["thresholds": [:]] }
        let (_, measured, v) = try run(b)
        XCTAssertFalse(measured)
        XCTAssertTrue(v.unusable)
        XCTAssertTrue(v.findings.contains { $0.message.en.contains("RULES.OVERRIDE_INVALID") })
    }

    /// Segment `qualifies`, the checker's verdict and the annex map colour follow one decision:
    /// flip the comparison of the width threshold in a test rulebook and all three flip.
    func testOneDecisionForSegmentsVerdictsAndMapColours() throws {
        let b = F.sample("shanwei-beach")
        let shipped = try String(decoding: XCTUnwrap(RuleLibrary.shippedFile("shanwei-coastline")), as: UTF8.self)
        let flipped = shipped.replacingOccurrences(of: "\"comparison\": \">\",\n      \"article\": \"SW Art. 19(1)\",\n      \"note\": \"平均宽度大于15米\"",
                                                   with: "\"comparison\": \"<=\",\n      \"article\": \"SW Art. 19(1)\",\n      \"note\": \"平均宽度大于15米\"")
        XCTAssertNotEqual(shipped, flipped, "the test rulebook differs in the width comparison")
        let file = Fixture.root + "/flipped-\(UUID().uuidString.prefix(6)).json"
        try flipped.write(toFile: file, atomically: true, encoding: .utf8)
        var qualifies: [[Bool]] = []
        for options in [Pipeline.Options(), Pipeline.Options(rulebookFile: file)] {
            try Pipeline.withBundle(b, options: options) { r in
                let m = try XCTUnwrap(r.measurement), c = try XCTUnwrap(r.check)
                let maps = MapMaker(set: r.set!, measurement: m, rulebook: r.rulebook!, geos: r.geos, words: [:])
                for s in m.segments {
                    // A segment qualifies when its length and its width criteria both pass.
                    let rows = c.results.filter { ["beach.segmentWidth", "beach.segmentLength"].contains($0.criterion) && $0.subject == "segment \(s.index)" }
                    XCTAssertEqual(rows.count, 2)
                    if !rows.contains(where: { $0.verdict == .indeterminate }) {
                        XCTAssertEqual(s.qualifies, rows.allSatisfy { $0.verdict == .pass }, "segment \(s.index)")
                    }
                    for t in m.transects where t.run == s.index && t.width > 0 {
                        XCTAssertEqual(maps.transectClass(t), s.qualifies == true ? "t-pass" : "t-fail")
                    }
                }
                qualifies.append(m.segments.map { $0.qualifies ?? false })
            }
        }
        XCTAssertNotEqual(qualifies[0], qualifies[1], "changing the comparison changes which segments qualify")
    }

    /// A rulebook whose comparison, kind, role or rule is unknown is refused with its code.
    func testUnknownRulebookValuesAreRefused() throws {
        let shipped = try String(decoding: XCTUnwrap(RuleLibrary.shippedFile("shanwei-coastline")), as: UTF8.self)
        let cases: [(String, String, String)] = [
            ("\"comparison\": \">\"", "\"comparison\": \"=>\"", "RULES.UNKNOWN_COMPARISON"),
            ("\"beach\"\n      ]", "\"lagoon\"\n      ]", "RULES.UNKNOWN_KIND"),
            ("\"id\": \"shanwei-coastline\"", "\"id\": \"shenzhen-carbon\"", "RULES.UNKNOWN_RULE"),
            ("\"dike_before.permeability.impermeable\"", "\"dyke.permeability.impermeable\"", "RULES.UNKNOWN_ROLE"),
            ("\"scope\": \"segment\"", "\"scope\": \"beachfront\"", "RULES.UNKNOWN_SCOPE"),
        ]
        for (from, to, code) in cases {
            XCTAssertTrue(shipped.contains(from), from)
            let file = Fixture.root + "/bad-\(UUID().uuidString.prefix(6)).json"
            try shipped.replacingOccurrences(of: from, with: to).write(toFile: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try RuleLibrary.rulebook(file: file), code) { XCTAssertEqual(($0 as? RulesError)?.code, code) }
            // The pipeline stops with the same code, before reading the bundle.
            XCTAssertThrowsError(try run(F.sample("shanwei-beach"), .init(rulebookFile: file))) { XCTAssertEqual(($0 as? RulesError)?.code, code) }
        }
        // A rulebook of another rule than the bundle's is refused, not applied.
        let other = Fixture.root + "/other-\(UUID().uuidString.prefix(6)).json"
        try String(decoding: XCTUnwrap(RuleLibrary.shippedFile("jiangyin-eco-voucher")), as: UTF8.self).write(toFile: other, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try run(F.sample("shanwei-beach"), .init(rulebookFile: other))) { XCTAssertEqual(($0 as? RulesError)?.code, "RULES.RULE_MISMATCH") }
        // Broken JSON says where: line and column.
        let file = Fixture.root + "/broken-\(UUID().uuidString.prefix(6)).json"
        try "{\n  \"id\": \"shanwei-coastline\",\n  oops\n}".write(toFile: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try RuleLibrary.rulebook(file: file)) { e in
            XCTAssertEqual((e as? RulesError)?.code, "RULES.INVALID")
            XCTAssertTrue("\(e)".contains("line 3"), "\(e)")
        }
        // A manifest with an unknown kind is an error finding: not assessed.
        let b = try F.copy("shanwei-beach")
        try F.editManifest(b) { m in var p = m["project"] as! [String: Any]; p["kind"] = "lagoon"; m["project"] = p }
        let (c, measured, v) = try run(b)
        XCTAssertTrue(v.codes.contains(.kindUnknown)); XCTAssertFalse(measured); XCTAssertEqual(c?.overall, .notAssessed)
    }

    /// Outputs: complete or not at all, an index with SHA-256, no symlink followed, no foreign folder overwritten.
    func testOutputFolderIsWholeIndexedAndSafe() throws {
        let b = F.sample("shanwei-eco-seawall")
        let dir = Fixture.root + "/out-\(UUID().uuidString.prefix(6))"
        let names = try Pipeline.withBundle(b) { try Outputs.write($0, to: dir) }
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/index.json"))) as! [String: Any]
        let files = index["files"] as! [[String: Any]]
        XCTAssertEqual(Set(files.map { $0["name"] as! String }), Set(names))
        for f in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + (f["name"] as! String)))
            XCTAssertEqual(f["bytes"] as? Int, data.count)
            XCTAssertEqual(f["sha256"] as? String, SHA256Hex.of(data))
        }
        // A stale file of an earlier run never survives a new run.
        try "stale".write(toFile: dir + "/stale.txt", atomically: true, encoding: .utf8)
        _ = try Pipeline.withBundle(b) { try Outputs.write($0, to: dir) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/stale.txt"))
        // A symbolic link at the target is refused and its target untouched.
        let victim = Fixture.root + "/victim-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: victim, withIntermediateDirectories: true)
        try "keep".write(toFile: victim + "/keep.txt", atomically: true, encoding: .utf8)
        let link = Fixture.root + "/link-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        XCTAssertThrowsError(try Pipeline.withBundle(b) { try Outputs.write($0, to: link) }) { XCTAssertEqual(($0 as? OutputError)?.code, "OUTPUT.SYMLINK") }
        // A folder of someone else's files is refused, not replaced.
        XCTAssertThrowsError(try Pipeline.withBundle(b) { try Outputs.write($0, to: victim) }) { XCTAssertEqual(($0 as? OutputError)?.code, "OUTPUT.NOT_EMPTY") }
        XCTAssertEqual(try String(contentsOfFile: victim + "/keep.txt", encoding: .utf8), "keep")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: Fixture.root).filter { $0.contains(".ecocredit-") }, [], "no staging folder left")
    }

    /// The layers' GeoJSON made ahead on an idle core (`layerGeoJSONAhead`, as `measure`,
    /// `annex` and jobs run) is byte for byte what `Outputs.write` makes in place, on every
    /// Shanwei sample and the wavy workload (several pieces in place, one ahead).
    func testLayerGeoJSONMadeAheadIsTheSameFiles() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        for b in ["shanwei-beach", "shanwei-mangrove", "shanwei-dike-removal"].map(F.sample) + [repo + "/tools/workloads/wavy-10km"] {
            func files(_ ahead: Bool) throws -> [String: Data] {
                let dir = Fixture.root + "/out-\(UUID().uuidString.prefix(6))"
                let names = try Pipeline.withBundle(b, options: .init(layerGeoJSONAhead: ahead)) { r -> [String] in
                    XCTAssertEqual(r.layerGeoJSON != nil, ahead)
                    return try Outputs.write(r, to: dir)
                }
                return try Dictionary(uniqueKeysWithValues: names.filter { $0.hasSuffix(".geojson") }.map { ($0, try Data(contentsOf: URL(fileURLWithPath: dir + "/" + $0))) })
            }
            let inPlace = try files(false), ahead = try files(true)
            XCTAssertGreaterThan(inPlace.count, 1, b)
            XCTAssertEqual(inPlace, ahead, b)
        }
    }

    /// `Ahead`: the value, the same on every call; what the work threw, thrown by `value()`.
    func testAheadGivesItsValueOrItsError() throws {
        let a = Ahead { (0..<100_000).reduce(0, +) }
        XCTAssertEqual(try a.value(), 4_999_950_000)
        XCTAssertEqual(try a.value(), 4_999_950_000)
        struct Failed: Error {}
        let b = Ahead<Int> { throw Failed() }
        XCTAssertThrowsError(try b.value()) { XCTAssertTrue($0 is Failed) }
        XCTAssertThrowsError(try b.value()) { XCTAssertTrue($0 is Failed) }
    }

    /// Only the manifest and the files it names are inflated from a zip: an unreferenced entry
    /// (however large) is never written.
    /// On the wavy workload (tools/workloads/wavy-10km: tight bends, most transects crossing),
    /// the summary in measurements.json agrees with crossings.csv and with every pair found
    /// again by `TransectCrossings`; index.json's digests are those of the files as written.
    func testCrossingSummaryAgreesWithTheFullList() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let dir = Fixture.root + "/cases/crossings-\(UUID().uuidString.prefix(6))"
        let pairsFound = try Pipeline.withBundle(repo + "/tools/workloads/wavy-10km") { r -> Int in
            _ = try Outputs.write(r, to: dir)
            return r.measurement!.crossings.rows.reduce(0) { $0 + $1.pairs }
        }
        let m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/measurements.json"))) as! [String: Any]
        let c = m["crossings"] as! [String: Any]
        let csv = try String(contentsOfFile: dir + "/crossings.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let fromCSV = csv.reduce(0) { $0 + Int($1.split(separator: ",")[5])! }
        let rangesAgree = csv.allSatisfy { row in
            let f = row.split(separator: ","); return Int(f[5])! == Int(f[4])! - Int(f[3])! + 1 && Int(f[3])! > Int(f[2])!
        }
        XCTAssertTrue(rangesAgree)
        XCTAssertGreaterThan(fromCSV, 10_000, "the wavy workload has many crossings")
        XCTAssertEqual(c["pairs"] as? Int, fromCSV)
        XCTAssertEqual(pairsFound, fromCSV)
        let stretches = c["stretches"] as! [[String: Any]]
        XCTAssertEqual(stretches.reduce(0) { $0 + ($1["transects"] as! Int) }, c["transects"] as? Int)
        XCTAssertNotNil(c["suggestedSmoothingWindow_m"] as? Double)
        // Every transect named in crossings.csv lies in a stretch.
        let inStretch = { (station: Int) in stretches.contains { ($0["fromStation"] as! Int) <= station && station <= ($0["toStation"] as! Int) } }
        XCTAssertTrue(csv.allSatisfy { inStretch(Int($0.split(separator: ",")[2])!) && inStretch(Int($0.split(separator: ",")[4])!) })
        // index.json: each file's bytes and SHA-256 as they are on disk.
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/index.json"))) as! [String: Any]
        for f in index["files"] as! [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + (f["name"] as! String)))
            XCTAssertEqual(f["bytes"] as? Int, data.count, f["name"] as! String)
            XCTAssertEqual(f["sha256"] as? String, SHA256Hex.of(data), f["name"] as! String)
        }
    }

    func testUnreferencedZipEntriesAreNotInflated() throws {
        let zip = try FindingCodeTests.zipWith([("shanwei-eco-seawall/junk.bin", .file, Data(count: 3 << 20)),
                                                ("shanwei-eco-seawall/inner.zip", .file, Data(count: 1 << 10))])
        let b = try SubmissionBundle.open(zip)
        defer { b.removeUnpacked() }
        let files = try FileManager.default.contentsOfDirectory(atPath: b.root)
        XCTAssertFalse(files.contains("junk.bin")); XCTAssertFalse(files.contains("inner.zip"))
        XCTAssertTrue(files.contains("submission.json"))
        for e in b.entries { XCTAssertTrue(FileManager.default.fileExists(atPath: try b.confinedPath(e)), e.path) }
        XCTAssertEqual(Verifier.verify(zip).exitStatus, 0)
    }

    /// The Chinese check report holds no English word but codes, identifiers (value ids, the
    /// bundle's path, rulebook citations), units' symbols and proper names.
    func testChineseCheckTextHasNoEnglishWords() throws {
        for name in ["shanwei-beach", "shanwei-mudflat", "shanwei-mangrove", "shanwei-eco-seawall", "shanwei-dike-removal", "jiangyin-restoration", "jiangyin-land-supply"] {
            let path = F.sample(name)
            var text = try XCTUnwrap(try run(path).check).text(.zh).replacingOccurrences(of: path, with: " ")
            for rule in RuleId.allCases { text = text.replacingOccurrences(of: rule.rawValue, with: " ") }
            text = text.replacingOccurrences(of: #"[0-9]+\.[0-9]+-draft"#, with: " ", options: .regularExpression)
            let words = text.split(whereSeparator: { !($0.isLetter && $0.isASCII) && $0 != "_" && $0 != "." && $0 != "-" }).map(String.init)
                .filter { w in w.count > 1 && w.contains(where: \.isLowercase) && !w.contains("_") && !w.contains(".") && w != "EcoCredit" }
            XCTAssertEqual(words, [], name)
        }
    }

    /// A FIFO named like a zip or a layer is refused at once, never read (it would block).
    func testFIFOIsRefusedNotRead() throws {
        let fifo = Fixture.root + "/fifo-\(UUID().uuidString.prefix(6)).zip"
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let start = Date()
        let v = Verifier.verify(fifo)
        XCTAssertTrue(v.codes.contains(.zipUnreadable), "\(v.codes)")
        let b = try F.copy("shanwei-beach")
        try F.remove(b, "beach.dbf")
        XCTAssertEqual(mkfifo(b + "/beach.dbf", 0o644), 0)
        XCTAssertTrue(Verifier.verify(b).codes.contains(.notRegularFile))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }
}

import Crypto
enum SHA256Hex {
    static func of(_ d: Data) -> String { SHA256.hash(data: d).map { String(format: "%02x", $0) }.joined() }
}
