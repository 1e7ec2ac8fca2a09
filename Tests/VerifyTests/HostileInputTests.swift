import Foundation
import XCTest
import GeoCore
import Rules
import Submission
@testable import Check
@testable import Verify
@testable import Workflow

/// Hostile and unlucky inputs found crashing (integer-conversion traps) or hanging the stages
/// after reading: each now gives a coded error or finding within a second, through the whole
/// pipeline (verify → measure → check).
final class HostileInputTests: XCTestCase {
    typealias F = Fixture

    /// Runs the pipeline on `bundle` and returns every code it reports: finding codes, the
    /// check's reasons, or the thrown error's code.
    func codes(_ bundle: String) -> (codes: Set<String>, seconds: Double) {
        let start = Date()
        var out: Set<String> = []
        do {
            try Pipeline.withBundle(bundle) { r in
                out.formUnion(r.verification.findings.map(\.code.rawValue))
                out.formUnion(r.check?.reasons.map(\.code) ?? [])
            }
        } catch let e as WorkflowError { out.insert(e.code) }
        catch let e as RulesError { out.insert(e.code) }
        catch { out.insert("UNEXPECTED: \(error)") }
        return (out, Date().timeIntervalSince(start))
    }

    func testParameterValuesThatCrashedOrHungAreRefusedWithTheirKey() throws {
        let cases: [(String, Any, String)] = [
            ("transectSpacing_m", 0, "MANIFEST.PARAMETER_RANGE"), ("transectSpacing_m", 1e-300, "MANIFEST.PARAMETER_RANGE"),
            ("transectSpacing_m", 0.001, "MANIFEST.PARAMETER_RANGE"), ("transectHalfLength_m", 1e308, "MANIFEST.PARAMETER_RANGE"),
            ("transectHalfLength_m", 0, "MANIFEST.PARAMETER_RANGE"), ("transectHalfLength_m", -250, "MANIFEST.PARAMETER_RANGE"),
            ("transectHalfLength_m", 1e-9, "MANIFEST.PARAMETER_RANGE"), ("smoothingWindow_m", -50, "MANIFEST.PARAMETER_RANGE"),
            ("transectSpacing_m", "10", "MANIFEST.TYPE"), ("transectSpacing_m", [10], "MANIFEST.TYPE"), ("intersectionRule", "nearest", "MANIFEST.PARAMETER_RANGE"),
        ]
        for (key, value, code) in cases {
            let b = try F.copy("shanwei-beach")
            try F.editManifest(b) { $0["parameters"] = [key: value] }
            let (found, seconds) = codes(b)
            XCTAssertTrue(found.contains(code), "\(key)=\(value): \(found)")
            XCTAssertLessThan(seconds, 1, "\(key)=\(value)")
            let report = Verifier.verify(b)
            XCTAssertTrue(report.findings.contains { $0.message.en.contains("parameters.\(key)") }, "the key is named: \(key)")
        }
    }

    /// Wrong JSON types on every key the manifest has: a coded error naming the key, never "absent".
    func testWrongManifestTypesNameTheirKey() throws {
        let edits: [(String, (inout [String: Any]) -> Void)] = [
            ("format", { $0["format"] = 1 }), ("checkDate", { $0["checkDate"] = true }), ("crs", { $0["crs"] = 4490 }),
            ("layers", { $0["layers"] = "beach.shp" }), ("fields", { $0["fields"] = ["beach.id": 3] }),
            ("values", { $0["values"] = ["dike_before.permeability.impermeable": "不透水"] }), ("declared", { $0["declared"] = [1, 2] }),
            ("parameters", { $0["parameters"] = 10 }), ("rulebook", { $0["rulebook"] = "mine.json" }),
            ("project", { $0["project"] = "beach" }),
            ("project.id", { m in var p = m["project"] as! [String: Any]; p["id"] = 17; m["project"] = p }),
            ("project.district", { m in var p = m["project"] as! [String: Any]; p["district"] = ["汕尾"]; m["project"] = p }),
        ]
        for (key, edit) in edits {
            let b = try F.copy("shanwei-beach")
            try F.editManifest(b, edit)
            let report = Verifier.verify(b)
            XCTAssertTrue(report.codes.contains(.manifestType), "\(key): \(report.codes)")
            XCTAssertTrue(report.findings.contains { $0.message.en.contains(key) }, "\(key) is named")
            XCTAssertEqual(report.exitStatus, 2)
        }
    }

    /// A vertex at ±1e308: a coded finding, nothing measured, no trap.
    func testHugeCoordinateIsAFindingNotATrap() throws {
        for v in [1e308, -1e308] {
            let b = try F.copy("shanwei-beach")
            try F.editGeometry(b, "beach.shp") { g in var r = g.firstRing; r[1] = XY(v, r[1].y); return .polygon([CoordinateSequence(r)]) }
            let (found, seconds) = codes(b)
            XCTAssertTrue(found.contains("VERIFY.FAILED"), "\(found)")
            XCTAssertFalse(found.contains { $0.hasPrefix("UNEXPECTED") }, "\(found)")
            XCTAssertLessThan(seconds, 1)
        }
    }

    /// The .shx indexing fewer records than the .shp holds is reported on the .shx.
    func testShortShxIsReportedOnTheShx() throws {
        let b = try F.copy("jiangyin-restoration")
        try F.editBytes(b, "parcels.shx") { b in
            b.removeLast(8); let words = UInt32(b.count / 2)
            for k in 0..<4 { b[24 + k] = UInt8((words >> (8 * UInt32(3 - k))) & 0xFF) }
        }
        let report = Verifier.verify(b)
        XCTAssertTrue(report.findings.contains { $0.code == .shxInconsistent && $0.layer == "parcels.shx" }, "\(report.findings.map { "\($0.code.rawValue) \($0.layer ?? "")" })")
        XCTAssertFalse(report.codes.contains(.dbfRecordCountMismatch))
    }

    /// A zip entry whose name carries terminal control bytes is printed escaped.
    func testControlBytesAreEscapedForTheTerminal() {
        XCTAssertEqual(TerminalText.safe("a\u{1B}[31mb\u{7}c\nd\u{202E}e"), "a\\u{1B}[31mb\\u{7}c\nd\\u{202E}e")
    }
}
