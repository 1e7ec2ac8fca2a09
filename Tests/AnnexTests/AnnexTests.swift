import Foundation
import XCTest
import GeoCore
import Rules
import SampleData
import Submission
import Verify
@testable import Annex
@testable import BundleMeasure
@testable import Check

/// The annex: its numbers are the measurements', it is byte-identical across runs, and it
/// renders in a real headless browser with a CJK font.
final class AnnexTests: XCTestCase {
    nonisolated(unsafe) static var root: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-annex-\(UUID().uuidString)").path
        try! Samples.writeAll(to: dir, proj: try! ProjContext())
        return dir
    }()

    func build(_ name: String, lang: String = "zh", time: String = "2026-11-23T00:00:00Z") throws -> (html: String, measurement: MeasurementReport) {
        try Self.build(name, lang: lang, time: time)
    }

    static func build(_ name: String, lang: String = "zh", time: String = "2026-11-23T00:00:00Z") throws -> (html: String, measurement: MeasurementReport) {
        let proj = try ProjContext(), geos = try GEOSContext()
        let path = Self.root + "/" + name
        let b = try SubmissionBundle.open(path)
        let set = try LayerSet.load(b, proj: proj)
        let book = try RuleLibrary.rulebook(for: b.manifest?.ruleId)
        let m = try BundleMeasurer.measure(set, rulebook: book, vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj)
        let c = Checker.check(m, rulebook: book, declared: b.manifest?.declared ?? [:], date: CivilDate(b.manifest!.checkDate!)!, dateSource: "the manifest's checkDate")
        let html = try AnnexBuilder.build(bundle: b, set: set, verification: Verifier.verify(path), measurement: m, check: c, rulebook: book,
                                          options: .init(lang: lang, generatedAt: time, command: "ecocredit annex \(name)", outputs: ["measurements.json"]), geos: geos)
        return (html, m)
    }

    /// Every number the annex shows with a data-id is the value in measurements.json, rounded
    /// as measurement-methods §0 displays it.
    func testNumbersInTheHTMLMatchMeasurementsJSON() throws {
        for name in ["shanwei-beach", "shanwei-mangrove", "jiangyin-restoration"] {
            let (html, m) = try build(name)
            // JSONValue parses numbers exactly (Foundation's JSONSerialization on Linux does not).
            let json = try JSONValue.parse(Data(m.json().utf8))
            var fromJSON: [String: Double] = [:]
            for v in json.objectValue!["values"]!.arrayValue! { fromJSON[v.objectValue!["id"]!.stringValue!] = v.objectValue!["value"]!.doubleValue! }
            let cell = try NSRegularExpression(pattern: #"data-id="([^"]+)" data-value="([^"]+)">([^<]*)<"#)
            let matches = cell.matches(in: html, range: NSRange(html.startIndex..., in: html))
            XCTAssertGreaterThan(matches.count, 5, name)
            var seen = 0
            for match in matches {
                let g = (1...3).map { String(html[Range(match.range(at: $0), in: html)!]) }
                guard let expected = fromJSON[g[0]] else { continue }   // declared quantities are not in measurements.json
                XCTAssertEqual(Double(g[1]), expected, "\(name) \(g[0])")
                let unit = m.value(g[0])!.unit
                XCTAssertEqual(g[2], AnnexBuilder.show(expected, unit), "\(name) \(g[0]) display")
                seen += 1
            }
            XCTAssertGreaterThanOrEqual(seen, m.values.count, "every measured value appears in the annex (\(name))")
        }
        let (html, _) = try build("shanwei-beach")
        XCTAssertTrue(html.contains("data-quantity=\"indicatorMetres\">500.34<"))
        XCTAssertTrue(html.contains("<svg"), "maps are inline SVG")
        XCTAssertTrue(html.contains("长度短于 100 m 的边用中纬度公式"), "provenance states how the geodesic cross-checks are computed")
        XCTAssertTrue(try build("shanwei-beach", lang: "en").html.contains("edges under 100 m by the mid-latitude formula"))
        XCTAssertTrue(html.contains("生态修复量测附件"))
        XCTAssertTrue(try build("shanwei-beach", lang: "en").html.contains("Measurement annex for ecological restoration"))
    }

    func testAnnexIsByteIdenticalAcrossRuns() throws {
        let a = try build("shanwei-beach").html, b = try build("shanwei-beach").html
        XCTAssertEqual(a, b)
        let c = try build("shanwei-beach", time: "2027-01-01T00:00:00Z").html
        XCTAssertNotEqual(a, c, "the generation time is printed")
        XCTAssertEqual(a.replacingOccurrences(of: "2026-11-23T00:00:00Z", with: "T"), c.replacingOccurrences(of: "2027-01-01T00:00:00Z", with: "T"),
                       "and it is the only difference")
    }

    /// Prints the annex with headless Chromium and reads the PDF back: the page carries the
    /// Chinese title and the numbers, and the Chinese text is set in a CJK font.
    func testRendersInAHeadlessBrowserWithACJKFont() throws {
        // CI installs the browser (make deps) and sets ECOCREDIT_REQUIRE_BROWSER=1: there a missing tool fails the test.
        let required = ProcessInfo.processInfo.environment["ECOCREDIT_REQUIRE_BROWSER"] == "1"
        guard let chrome = PDFPrinter.browser() else {
            if required { return XCTFail("ECOCREDIT_REQUIRE_BROWSER=1 but no Chromium on PATH") }
            print("SKIPPED testRendersInAHeadlessBrowserWithACJKFont: no Chromium on PATH (apt-get install chromium fonts-noto-cjk poppler-utils)")
            throw XCTSkip("no Chromium on PATH")
        }
        guard let pdftotext = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first(where: FileManager.default.isExecutableFile),
              let fcmatch = ["/usr/bin/fc-match"].first(where: FileManager.default.isExecutableFile) else {
            if required { return XCTFail("ECOCREDIT_REQUIRE_BROWSER=1 but pdftotext or fc-match is missing") }
            print("SKIPPED testRendersInAHeadlessBrowserWithACJKFont: pdftotext or fc-match missing (apt-get install poppler-utils fontconfig)")
            throw XCTSkip("poppler-utils or fontconfig missing")
        }
        _ = chrome
        let dir = Self.root + "/annex-out"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(try build("shanwei-beach").html.utf8).write(to: URL(fileURLWithPath: dir + "/annex.html"))
        try PDFPrinter.print(html: dir + "/annex.html", to: dir + "/annex.pdf")
        func run(_ exe: String, _ args: [String]) throws -> String {
            let p = Process(); p.executableURL = URL(fileURLWithPath: exe); p.arguments = args
            let pipe = Pipe(); p.standardOutput = pipe; try p.run()
            let d = pipe.fileHandleForReading.readDataToEndOfFile(); p.waitUntilExit()
            return String(decoding: d, as: UTF8.self)
        }
        let text = try run(pdftotext, ["-layout", dir + "/annex.pdf", "-"])
        XCTAssertTrue(text.contains("生态修复量测附件"), "the Chinese title is on the page as text")
        XCTAssertTrue(text.contains("500.34"), "the qualifying length is on the page")
        XCTAssertGreaterThan(text.count, 2000, "not a blank page")
        // The first family of the annex's font stack resolves to a CJK font for Chinese.
        let family = try run(fcmatch, ["-f", "%{family}", "Noto Sans CJK SC:lang=zh-cn"])
        XCTAssertTrue(family.contains("CJK") || family.contains("Han") || family.contains("WenQuanYi"), "fontconfig gives \(family)")
    }
}
