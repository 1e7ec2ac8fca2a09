import Foundation
import XCTest
import GeoCore
import Measure
@testable import Rules
import SampleData
import Submission
@testable import BundleMeasure
@testable import Check

/// Criteria at, above and below their thresholds and inside the uncertainty band; dates and
/// rulebook periods; revenue splits in fen; the sample bundles' designed verdicts.
final class CheckTests: XCTestCase {
    let date = CivilDate("2026-11-20")!

    func emptyReport(kind: String) -> MeasurementReport {
        MeasurementReport(bundle: "t", projectId: "T", rule: nil, kind: kind, checkDate: nil, workingCRS: "EPSG:4547", workingCRSReason: "",
                          rulebook: "", parameters: MeasureParameters(kind: kind, manifest: nil))
    }
    func value(_ id: String, _ v: Double, _ u: Double?) -> MeasuredValue {
        MeasuredValue(id: id, label: id, value: v, unit: id.hasSuffix("_m") ? "m" : "ratio", method: "", layers: [], crs: "EPSG:4547", article: "", uncertainty: u)
    }

    /// Every measured criterion of both rulebooks: just above, at and just below its threshold
    /// (no uncertainty), and inside the uncertainty band (indeterminate).
    func testEveryCriterionAroundItsThreshold() throws {
        var checked = 0
        for name in ["shanwei-coastline", "jiangyin-eco-voucher"] {
            let book = try RuleLibrary.rulebook(name)
            for c in book.criteria ?? [] {
                guard let pattern = c.value, let t = book.thresholds[c.threshold!] else { continue }
                let id = pattern.replacingOccurrences(of: "[*]", with: "[X-1]")
                let eps = max(abs(t.value) * 1e-9, 1e-12)
                let strict = t.comparison == .greater || t.comparison == .less
                let above = t.comparison == .greater || t.comparison == .greaterOrEqual
                for (x, expected) in [(t.value + eps, above), (t.value, !strict), (t.value - eps, !above)] {
                    var m = emptyReport(kind: c.kinds[0].rawValue); m.values = [value(id, x, nil)]
                    let r = Checker.check(m, rulebook: book, declared: [:], date: date, dateSource: "test").results.first { $0.criterion == c.id }!
                    XCTAssertEqual(r.verdict, expected ? .pass : .fail, "\(c.id) at \(x) \(t.comparison) \(t.value)")
                    XCTAssertEqual(r.article, c.article)
                    if !expected { XCTAssertNotNil(r.shortfall, c.id) }
                }
                var m = emptyReport(kind: c.kinds[0].rawValue); m.values = [value(id, t.value + 0.5 * max(abs(t.value), 1) * 0.01, max(abs(t.value), 1) * 0.01)]
                let r = Checker.check(m, rulebook: book, declared: [:], date: date, dateSource: "test").results.first { $0.criterion == c.id }!
                XCTAssertEqual(r.verdict, .indeterminate, "\(c.id) inside the uncertainty band")
                XCTAssertTrue(r.shortfall!.en.contains("within the measurement uncertainty"))
                // Missing input: not assessed.
                let none = Checker.check(emptyReport(kind: c.kinds[0].rawValue), rulebook: book, declared: [:], date: date, dateSource: "test")
                    .results.first { $0.criterion == c.id }!
                if c.declaredSinceDate == nil { XCTAssertEqual(none.verdict, .notAssessed, c.id) }
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 14)
    }

    /// Declared facts: present and matching passes, mismatching fails, missing is not assessed.
    func testDeclaredCriteria() throws {
        let book = try RuleLibrary.rulebook("shanwei-coastline")
        func verdict(_ declared: [String: JSONValue]) -> Verdict {
            Checker.check(emptyReport(kind: "beach"), rulebook: book, declared: declared, date: date, dateSource: "t").results.first { $0.criterion == "beach.sandGrade" }!.verdict
        }
        XCTAssertEqual(verdict(["sandGrade": .string("medium-fine")]), .pass)
        XCTAssertEqual(verdict(["sandGrade": .string("coarse")]), .fail)
        XCTAssertEqual(verdict([:]), .notAssessed)
        // A measured criterion whose layer was not submitted falls back to a declared fact (JY Art. 9 spatial plan).
        let jy = try RuleLibrary.rulebook("jiangyin-eco-voucher")
        func plan(_ d: [String: JSONValue]) -> CriterionResult {
            Checker.check(emptyReport(kind: "restoration-parcels"), rulebook: jy, declared: d, date: date, dateSource: "t").results.first { $0.criterion == "eligibility.spatialPlan" }!
        }
        XCTAssertEqual(plan(["spatialPlanConformity": .bool(true)]).verdict, .pass)
        XCTAssertEqual(plan(["spatialPlanConformity": .bool(true)]).source, "declared")
        XCTAssertEqual(plan(["spatialPlanConformity": .bool(false)]).verdict, .fail)
        XCTAssertEqual(plan([:]).verdict, .notAssessed)
    }

    /// Stability from a declared date: more than 365 days passes, exactly 365 fails; a shortfall
    /// in metres for the dike (how much more to remove).
    func testStabilityDatesAndDikeShortfall() throws {
        let book = try RuleLibrary.rulebook("shanwei-coastline")
        func stable(_ since: String) -> CriterionResult {
            Checker.check(emptyReport(kind: "eco-seawall"), rulebook: book, declared: ["stableSince": .string(since)], date: date, dateSource: "t")
                .results.first { $0.criterion == "stability.duration" }!
        }
        XCTAssertEqual(stable("2025-11-19").verdict, .pass, "366 days")
        XCTAssertEqual(stable("2025-11-20").value, 365)
        XCTAssertEqual(stable("2025-11-20").verdict, .fail, "365 days is not more than a year")
        XCTAssertEqual(stable("2025-11-20").source, "declared")
        var m = emptyReport(kind: "dike-removal")
        m.values = [value("dike.removedFraction", 0.24, 0.001), MeasuredValue(id: "dike.totalBefore_m", label: "", value: 1000, unit: "m", method: "", layers: [], crs: "", article: "")]
        let r = Checker.check(m, rulebook: book, declared: [:], date: date, dateSource: "t").results.first { $0.criterion == "dike.removed" }!
        XCTAssertEqual(r.verdict, .fail)
        XCTAssertTrue(r.shortfall!.en.contains("more impermeable dike to remove: 10.00 m"), r.shortfall!.en)
    }

    /// A check dated outside a rulebook's period says so; the draft says it has none.
    func testRulebookPeriods() throws {
        let jy = try RuleLibrary.rulebook("jiangyin-eco-voucher")
        XCTAssertTrue(Checker.period(jy, CivilDate("2025-11-30")!).en.contains("within"))
        XCTAssertTrue(Checker.period(jy, CivilDate("2025-12-01")!).en.contains("OUTSIDE"))
        XCTAssertTrue(Checker.period(jy, CivilDate("2023-11-30")!).zh.contains("不在"))
        XCTAssertTrue(Checker.period(try RuleLibrary.rulebook("shanwei-coastline"), date).en.contains("sets no effective period"))
        XCTAssertNil(jy.coefficientTable(on: CivilDate("2025-12-01")!), "the example table ends with the measures")
        XCTAssertEqual(jy.coefficientTable(on: CivilDate("2025-11-30")!)?.id, "JY-EXAMPLE-2023")
        XCTAssertEqual(jy.trading?.objectValue?["reissueNoticeDays"]?.objectValue?["value"]?.doubleValue, 30)
        XCTAssertEqual(jy.landClassCrosswalk?.codes["031"], "0301")
    }

    /// The rulebooks and vocabularies compiled into the program are the files in
    /// Sources/6-RulesAndCheck/Rules/Data byte for byte, every file there is shipped, and each decodes.
    func testShippedRulesAreTheDataFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/6-RulesAndCheck/Rules/Data").standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        XCTAssertEqual(Set(names), ["shanwei-coastline.json", "jiangyin-eco-voucher.json", "vocabularies.json"])
        for name in names {
            let id = String(name.dropLast(5))
            let file = try Data(contentsOf: folder.appendingPathComponent(name))
            XCTAssertEqual(RuleLibrary.shippedFile(id).map { Data($0) }, file, name)
        }
        XCTAssertNil(RuleLibrary.shippedFile("no-such-rulebook"))
        XCTAssertThrowsError(try RuleLibrary.rulebook("no-such-rulebook")) { XCTAssertEqual(($0 as? RulesError)?.code, "RULES.NOT_FOUND") }
        XCTAssertEqual(try RuleLibrary.rulebook("shanwei-coastline").id, .shanweiCoastline)
        XCTAssertEqual(try RuleLibrary.rulebook("jiangyin-eco-voucher").id, .jiangyinEcoVoucher)
        _ = try RuleLibrary.vocabulary()
    }

    /// The members and values `JSONEncoder` gave for check.json before it was written by
    /// `JSONTextWriter` (the reference: the synthesised `Encodable` of the report's parts).
    func assertSameDocumentAsJSONEncoder(_ r: CheckReport, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        struct Doc: Encodable {
            let format = "ecocredit-check/1"
            let bundle: String; let projectId, rule, kind: String?; let rulebook, checkDate, dateSource: String
            let period: Bilingual; let overall: Verdict; let results: [CriterionResult]; let quantities: [CheckQuantity]; let notes: [String]
            let official: Bool; let reasons: [Reason]; let whatIf: Bool
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let reference = try enc.encode(Doc(bundle: r.bundle, projectId: r.projectId, rule: r.rule, kind: r.kind, rulebook: r.rulebook, checkDate: r.checkDate,
                                           dateSource: r.dateSource, period: r.period, overall: r.overall, results: r.results, quantities: r.quantities,
                                           notes: r.notes, official: r.isOfficial, reasons: r.reasons, whatIf: r.whatIf))
        let written = Data(r.json().utf8)
        let a = try JSONSerialization.jsonObject(with: written) as? NSDictionary, b = try JSONSerialization.jsonObject(with: reference) as? NSDictionary
        XCTAssertNotNil(a, what, file: file, line: line)
        XCTAssertEqual(a, b, what, file: file, line: line)
        XCTAssertTrue(r.json().hasSuffix("}\n"), file: file, line: line)
    }

    /// check.json with every optional member present and absent, text that needs escaping, a
    /// quantity not assessed: the same document as `JSONEncoder` made.
    func testCheckJSONIsTheDocumentJSONEncoderMade() throws {
        var r = CheckReport(bundle: "b/“引号” \"q\" \\ /", projectId: nil, rule: "shanwei-coastline", kind: nil, rulebook: "rb 1", checkDate: "2026-11-20",
                            dateSource: "--date", period: Bilingual(zh: "期间\n", en: "period\t"))
        r.results = [
            CriterionResult(criterion: "c1", label: Bilingual(zh: "标签", en: "label"), article: "SW Art. 19(1)", scope: "segment", subject: "segment 0",
                            source: "measured", value: 1000.0017981904386, unit: "m", uncertainty: 1e-9, threshold: 50, comparison: ">",
                            declaredValue: nil, expected: nil, verdict: .pass, inPrinciple: false, shortfall: nil),
            CriterionResult(criterion: "c2", label: Bilingual(zh: "", en: ""), article: "", scope: "project", subject: nil, source: "declared",
                            value: nil, unit: nil, uncertainty: nil, threshold: nil, comparison: nil, declaredValue: "true", expected: "false",
                            verdict: .fail, inPrinciple: true, shortfall: Bilingual(zh: "缺", en: "short by 0.1 m")),
        ]
        r.quantities = [CheckQuantity(id: "q", label: Bilingual(zh: "量", en: "q"), units: nil, decimals: 2, unit: "m", article: "a", status: .notAssessed,
                                      reasons: [Reason(code: "X.Y", zh: "z", en: "e", article: "JY Art. 3")]),
                        CheckQuantity(id: "v", label: Bilingual(zh: "券", en: "v"), units: -1234567, decimals: 4, unit: "unit", article: "a", status: .issuable)]
        r.reasons = [Reason(code: "A.B", zh: "中", en: "en")]
        r.notes = ["n1", "line\u{1}"]
        r.overall = .fail
        try assertSameDocumentAsJSONEncoder(r, "synthetic")
        try assertSameDocumentAsJSONEncoder(CheckReport(bundle: "", projectId: "p", rule: nil, kind: "beach", rulebook: "", checkDate: "", dateSource: "",
                                                        period: Bilingual(zh: "", en: "")), "empty")
    }

    /// Articles, sources, notes and methods in Chinese, by hand-written matching (no regular
    /// expressions): known answers, including every note form the measurer and checker write.
    func testChineseTextOfArticlesNotesAndMethods() {
        XCTAssertEqual(ChineseText.article("SW Art. 19(1), (4), (5)"), "汕尾办法第19(1)、(4)、(5)条")
        XCTAssertEqual(ChineseText.article("JY Art. 3, 31, 34 and SW Art. 22"), "江阴办法第3、31、34条 and 汕尾办法第22条")
        XCTAssertEqual(ChineseText.article("SW Art. 19(1), measurement-methods §2"), "汕尾办法第19(1)条, 量测方法 §2")
        XCTAssertEqual(ChineseText.article("SW Art. x, SW Art."), "SW Art. x, SW Art.", "no number: not a citation")
        XCTAssertEqual(ChineseText.article("JY Art. 31, 34): Σ mu"), "江阴办法第31、34条): Σ mu")
        XCTAssertTrue(ChineseText.articleAndSource("SW Art. 3, 22 (beach.qualifyingLength_m)") == ("汕尾办法第3、22条", "beach.qualifyingLength_m"))
        XCTAssertTrue(ChineseText.articleAndSource("JY Art. 2, 19 (declared restoredLength_m)") == ("江阴办法第2、19条", "申报 restoredLength_m"))
        XCTAssertTrue(ChineseText.articleAndSource("SW Art. 3 (two words)") == ("汕尾办法第3条 (two words)", nil))
        XCTAssertTrue(ChineseText.articleAndSource("SW Art. 3") == ("汕尾办法第3条", nil))
        XCTAssertEqual(ChineseText.note("181769 pairs of transects cross on tight bends (9000 transects in 120 stretches; crossings.csv lists them); a smoothing window of 95.00 m avoids it"),
                       "急弯处有 181769 对断面相交（120 段共 9000 个断面；见 crossings.csv）；平滑窗口取 95.00 m 可避免")
        XCTAssertEqual(ChineseText.note("rulebook loaded from /x y/b (1).json instead of the shipped one"), "规则库取自 /x y/b (1).json，而非随附规则库")
        XCTAssertEqual(ChineseText.note("§2 cross-check: area width 12.50 m differs from the transect mean 20.00 m by more than 20 %"),
                       "§2 校核：面积宽度 12.50 m 与断面平均 20.00 m 相差超过 20 %")
        XCTAssertEqual(ChineseText.note("segment 3: transect mean width 1.5 m exceeds the largest inscribed-circle diameter 1.2 m: transects cut the feature obliquely"),
                       "第 3 段：断面平均宽度 1.5 m 超过最大内切圆直径 1.2 m：断面斜切要素")
        XCTAssertEqual(ChineseText.note("coefficient table t-1 is an example, not official: voucher quantities are for reference only (JY Art. 19)"),
                       "折算系数表 t-1 为示例，非正式：生态券数量仅供参考（江阴办法第19条）")
        XCTAssertEqual(ChineseText.note("segment x: something else"), "segment x: something else", "an unknown note is kept")
        XCTAssertEqual(ChineseText.methodText("§8 area(parcel ∩ ∪ class polygons), slivers < 0.5 m² dropped"), "§8 area(地块 ∩ ∪ 地类图斑)，舍去小于 0.5 m² 的碎片")
        XCTAssertEqual(ChineseText.workingCRSReason("3° zone nearest the centre longitude 115.3621°E: CM 114°E (§0)"), "距中心经度 115.3621°E 最近的 3° 带：中央经线 114°E（§0）")
        XCTAssertEqual(ChineseText.workingCRSReason("3° zone nearest the centre longitude 115.3621°E: CM 114°E (§0); layers came in 2 different Gauss–Krüger CRSs"),
                       "3° zone nearest the centre longitude 115.3621°E: CM 114°E (§0); layers came in 2 different Gauss–Krüger CRSs", "only the whole text")
        XCTAssertEqual(ChineseText.workingCRSReason("the only CGCS2000 Gauss–Krüger CRS among the layers (§0)"), "各图层中唯一的 CGCS2000 高斯–克吕格坐标系（§0）")
        XCTAssertEqual(ChineseText.encoding("GB18030 (from DBF language driver 0x4D)"), "GB18030 （取自 DBF 代码页字节 0x4D）")
        XCTAssertEqual(ChineseText.encoding("UTF-8 (from .cpg \"UTF-8\")"), "UTF-8 （取自 .cpg \"UTF-8\"）")
        XCTAssertEqual(ChineseText.label(id: "beach.segment[12].length_m", english: "segment 12 length (149.86 – 1019.04 m along part 3)"),
                       "第 12 段长度（第 3 部分 149.86 – 1019.04 m）")
        XCTAssertEqual(ChineseText.label(id: "beach.segment[0].averageWidth_m", english: "segment 0 average width (0.00 – 400.27 m along part 0)"),
                       "第 0 段平均宽度（第 0 部分 0.00 – 400.27 m）")
        XCTAssertEqual(ChineseText.label(id: "beach.segment[0].averageWidth_m", english: "segment 0 average width"), "第 0 段平均宽度", "no span: none in Chinese")
        XCTAssertEqual(ChineseText.label(id: "beach.qualifyingLength_m", english: "qualifying length (segments > 50 m long, > 15 m wide on average)"),
                       "符合条件的岸线长度（长度 > 50 m、平均宽度 > 15 m 的段）")
        XCTAssertEqual(ChineseText.label(id: "beach.qualifyingLength_m", english: "qualifying length (segments ≥ 50 m long, ≥ 15 m wide on average)"),
                       "符合条件的岸线长度（长度 ≥ 50 m、平均宽度 ≥ 15 m 的段）")
        XCTAssertEqual(ChineseText.label(id: "beach.qualifyingLength_m", english: "qualifying length of some other kind"), "qualifying length of some other kind")
        XCTAssertNil(TextPattern.match("12a pairs", "{d} pairs"))
        XCTAssertEqual(TextPattern.match("a b c; d", "{*}; {w}"), ["a b c", "d"])
        XCTAssertEqual(TextPattern.match("x; y; z", "{*}; {*}"), ["x; y", "z"], "greedy, as a regular expression")
    }

    /// `ecocredit check` on each sample gives the verdict and quantities it was built to give.
    func testSamplesGiveTheirDesignedVerdicts() throws {
        let proj = try ProjContext(), geos = try GEOSContext()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-check-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Samples.writeAll(to: dir, proj: proj)
        func check(_ name: String) throws -> CheckReport {
            let b = try SubmissionBundle.open(dir + "/" + name)
            let book = try RuleLibrary.rulebook(for: b.manifest?.ruleId)
            let m = try BundleMeasurer.measure(try LayerSet.load(b, proj: proj), rulebook: book, vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj)
            return Checker.check(m, rulebook: book, declared: b.manifest?.declared ?? [:], date: CivilDate(b.manifest!.checkDate!)!, dateSource: "manifest")
        }
        let expected: [String: (Verdict, String, String)] = [
            "shanwei-beach": (.pass, "indicatorMetres", "500.34"), "shanwei-mudflat": (.pass, "indicatorMetres", "1000.00"),
            "shanwei-mangrove": (.pass, "indicatorMetres", "800.00"), "shanwei-eco-seawall": (.pass, "indicatorMetres", "500.00"),
            "shanwei-dike-removal": (.pass, "indicatorMetres", "1000.00"), "jiangyin-restoration": (.pass, "vouchers", "11.8500"),
            "jiangyin-land-supply": (.pass, "vouchersRequired", "12.9000"),
        ]
        for (name, (verdict, q, v)) in expected {
            let r = try check(name)
            XCTAssertEqual(r.overall, verdict, "\(name): \(r.text(.en))")
            XCTAssertEqual(r.quantities.first { $0.id == q }?.value, v, name)
            try assertSameDocumentAsJSONEncoder(r, name)
        }
        let beach = try check("shanwei-beach")
        XCTAssertEqual(beach.results.filter { $0.scope == "segment" && $0.verdict == .indeterminate }.map(\.subject), ["segment 1"],
                       "the 40 m segment is short of 50 m by less than one station")
    }
}
