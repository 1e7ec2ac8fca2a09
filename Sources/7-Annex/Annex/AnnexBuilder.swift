import BundleMeasure
import Check
import Foundation
import GeoCore
import Measure
import Mustache
import Rules
import Submission
import Verify

/// Builds the measurement annex: one self-contained HTML document (A4 print styles, inline SVG
/// maps) from the verification, measurement and check of one bundle. The page is rendered from
/// `Resources/annex.mustache`; every word comes from `Resources/strings-<lang>.json`. The same
/// inputs and options give the same bytes (`generatedAt` is an option, not the clock).
public enum AnnexBuilder {
    public struct Options: Sendable {
        public var lang: String
        /// Shown as the generation time; pass a fixed value to compare annexes byte for byte.
        public var generatedAt: String
        /// The command that reproduces the annex, as the provenance table prints it.
        public var command: String
        /// Files written beside the annex, linked from it.
        public var outputs: [String]
        public init(lang: String = "zh", generatedAt: String, command: String, outputs: [String]) {
            self.lang = lang; self.generatedAt = generatedAt; self.command = command; self.outputs = outputs
        }
    }

    /// `measurement` and `set` are nil when verification found an error: the annex then shows
    /// the findings, and every criterion and quantity as not assessed, with no value and no map.
    /// `measurement` and `set` are nil when verification found an error: the annex then shows
    /// the findings, and every criterion and quantity as not assessed, with no value and no map.
    public static func build(bundle: SubmissionBundle, set: LayerSet?, verification: VerificationReport, measurement: MeasurementReport?,
                             check: CheckReport, rulebook: Rulebook, options: Options, geos: GEOSContext) throws -> String {
        let manifest = bundle.manifest
        let m = measurement ?? MeasurementReport(bundle: bundle.displayPath, projectId: manifest?.projectId, rule: manifest?.rule,
                                                 kind: manifest?.kind, checkDate: manifest?.checkDate,
                                                 workingCRS: verification.workingCRS ?? "—", workingCRSReason: verification.workingCRSReason ?? "—",
                                                 rulebook: rulebook.citation, parameters: MeasureParameters(kind: manifest?.kind, manifest: manifest))
        let page = Page(bundle: bundle, set: set, verification: verification, m: m, check: check, rulebook: rulebook, options: options, geos: geos,
                        t: try strings(options.lang))
        var ctx: [String: Any] = ["t": page.t, "lang": options.lang, "projectId": m.projectId ?? "", "projectName": manifest?.projectName ?? ""]
        page.facts(into: &ctx)
        page.verdicts(into: &ctx)
        try page.maps(into: &ctx)
        page.measurements(into: &ctx)
        page.findings(into: &ctx)
        try page.provenance(into: &ctx)
        let template = try MustacheTemplate(string: try resource("annex", "mustache"))
        return template.render(ctx)
    }

    /// What one annex is made from, and the sections of the page, one method each.
    struct Page {
        let bundle: SubmissionBundle
        let set: LayerSet?
        let verification: VerificationReport
        let m: MeasurementReport
        let check: CheckReport
        let rulebook: Rulebook
        let options: Options
        let geos: GEOSContext
        /// The page's words in its language.
        let t: [String: String]
        var zh: Bool { options.lang == "zh" }
        var manifest: Manifest? { bundle.manifest }
        var project: [String: JSONValue] { manifest?.raw.objectValue?["project"]?.objectValue ?? [:] }
        func word(_ k: String) -> String { t[k] ?? k }
        func show(_ v: Double, _ unit: String) -> String { AnnexBuilder.show(v, unit) }
        func unitLabel(_ unit: String) -> String { zh ? ChineseText.unit(unit) : AnnexBuilder.unitLabel(unit) }
        func text(_ v: JSONValue) -> String { AnnexBuilder.text(v) }
        /// An article citation in the page's language.
        func article(_ a: String) -> String { zh ? ChineseText.article(a) : a }

        /// 1 Facts, engineering quantities (SW Art. 17), declared facts.
        func facts(into ctx: inout [String: Any]) {
            // Identifiers (ids, rule, kind, district codes) are shown as code; facts in words are translated.
            ctx["facts"] = [
                (word("projectId"), m.projectId ?? "", true), (word("project"), manifest?.projectName ?? "", false), (word("rule"), m.rule ?? "", true),
                (word("kind"), m.kind ?? "", true), (word("district"), manifest?.district ?? "", false),
                (word("checkDate"), "\(check.checkDate) (\(zh ? ChineseText.dateSource(check.dateSource) : check.dateSource))", false),
                (word("funding"), project["funding"].map(text) ?? "", true), (word("measures"), project["measures"].map(text) ?? "", true),
            ].filter { !$0.1.isEmpty }.map { ["label": $0.0, "value": $0.1, "code": $0.2] }
            var engineering: [[String: Any]] = []
            func eng(_ key: String, _ id: String, declared: String? = nil) {
                if let v = m.value(id) {
                    engineering.append(["label": word(key), "id": v.id, "raw": GeoJSON.number(v.value), "display": show(v.value, v.unit), "unit": unitLabel(v.unit), "source": word("measuredSource")])
                } else if let d = declared, let v = manifest?.declared[d]?.doubleValue {
                    engineering.append(["label": word(key), "id": "declared.\(d)", "raw": GeoJSON.number(v), "display": fixed(v, 2),
                                        "unit": d.hasSuffix("_m3") ? "m³" : "m", "source": word("declaredSource")])
                }
            }
            if m.rule == "shanwei-coastline" {
                eng("eng.shoreline", m.value("layer.shoreline.length_m") != nil ? "layer.shoreline.length_m" : "layer.seawall_line.length_m", declared: "restoredLength_m")
                eng("eng.beachArea", "layer.beach.area_m2"); eng("eng.mangroveArea", "layer.mangrove.area_m2")
                eng("eng.sand", "-", declared: "sandVolume_m3"); eng("eng.removed", "dike.removedImpermeable_m"); eng("eng.removedPieces", "dike.removedPieces")
                if m.kind == "eco-seawall" { eng("eng.seawall", "-", declared: "restoredLength_m") }
            }
            ctx["engineering"] = engineering; ctx["hasEngineering"] = !engineering.isEmpty
            let declared = m.declared.sorted { $0.key < $1.key }.map { ["key": $0.key, "value": zh ? ChineseText.value($0.value) : $0.value] }
            ctx["declared"] = declared; ctx["hasDeclared"] = !declared.isEmpty
        }

        /// 2 Verdicts, shortfalls, quantities.
        func verdicts(into ctx: inout [String: Any]) {
            ctx["overall"] = word(check.overall.rawValue); ctx["overallClass"] = check.overall.rawValue
            ctx["rulebook"] = check.rulebook; ctx["checkDate"] = check.checkDate; ctx["period"] = zh ? ChineseText.article(check.period.zh) : check.period.en
            ctx["criteria"] = check.results.map { r -> [String: Any] in
                ["label": zh ? r.label.zh : r.label.en, "subject": zh ? ChineseText.subject(r.subject ?? "") : r.subject ?? "", "verdict": word(r.verdict.rawValue), "verdictClass": r.verdict.rawValue,
                 "value": r.value.map { show($0, r.unit ?? "") + " " + unitLabel(r.unit ?? "") } ?? (r.declaredValue.map { zh ? ChineseText.value($0) : $0 } ?? ""),
                 "uncertainty": r.uncertainty.flatMap { $0 > 0 ? "±" + show($0, r.unit ?? "") : nil } ?? "",
                 "threshold": r.threshold.map { "\(r.comparison ?? "") \(show($0, r.unit ?? ""))" } ?? (r.expected.map { zh ? ChineseText.value($0) : $0 } ?? ""),
                 "source": r.source == "declared" ? word("declaredSource") : word("measuredSource"), "article": article(r.article)]
            }
            let shortfalls = check.results.compactMap { $0.shortfall.map { zh ? $0.zh : $0.en } }
            ctx["shortfalls"] = shortfalls; ctx["hasShortfalls"] = !shortfalls.isEmpty
            ctx["quantities"] = check.quantities.map { q -> [String: Any] in
                let (article, source) = zh ? ChineseText.articleAndSource(q.article) : (q.article, nil)
                return ["label": zh ? q.label.zh : q.label.en, "id": q.id, "value": q.value, "unit": unitLabel(q.unit),
                        "status": CheckReport.statusText(q.status, zh ? .zh : .en), "statusClass": q.status.rawValue,
                        "article": article, "articleSource": source ?? ""]
            }
            // Why nothing here is official (verification failed, rulebook not in force, example
            // coefficients, what-if), said above the verdicts in the annex's language.
            ctx["reasons"] = check.reasons.map { ["code": $0.code, "text": zh ? ChineseText.article($0.zh) : $0.en] }
            ctx["hasReasons"] = !check.reasons.isEmpty
            ctx["whatIf"] = check.whatIf
        }

        /// 3 Maps.
        func maps(into ctx: inout [String: Any]) throws {
            let maps = try set.map { try MapMaker(set: $0, measurement: m, rulebook: rulebook, geos: geos, words: t).maps() } ?? []
            ctx["maps"] = maps.map { ["title": $0.title, "svg": $0.render()] }; ctx["hasMaps"] = !maps.isEmpty
        }

        /// 4 Measurements.
        func measurements(into ctx: inout [String: Any]) {
            ctx["values"] = m.values.map { v -> [String: Any] in
                ["id": v.id, "label": zh ? ChineseText.label(id: v.id, english: v.label) : v.label, "method": zh ? ChineseText.method(v.method) : v.method,
                 "raw": GeoJSON.number(v.value), "display": show(v.value, v.unit), "unit": unitLabel(v.unit),
                 "geodesic": v.geodesic.map { show($0, v.unit) } ?? "", "difference": v.relativeDifference.map { signedFixed($0 * 100, 4) + "%" } ?? "",
                 "article": article(v.article)]
            }
            ctx["segments"] = m.segments.map { s -> [String: Any] in
                ["index": s.index, "from": show(s.from_m, "m"), "to": show(s.to_m, "m"), "length": show(s.length_m, "m"), "mean": show(s.statistics.mean, "m"),
                 "min": show(s.statistics.minimum, "m"), "p10": show(s.statistics.p10, "m"), "median": show(s.statistics.median, "m"),
                 "max": show(s.statistics.maximum, "m"), "stations": s.statistics.count, "inscribed": s.inscribedDiameter_m.map { (s.inscribedIsMaximum ? "" : "≥ ") + show($0, "m") } ?? "",
                 "qualifies": s.qualifies.map { word($0 ? "yes" : "no") } ?? ""]
            }
            ctx["hasSegments"] = !m.segments.isEmpty
            if let c = m.shorelineChange {
                ctx["change"] = [("change.shorelines", c.shorelines.map(\.date.description).joined(separator: ", ")),
                                 ("change.seaSide", "\(m.seaSide.map(word) ?? "") (\(m.seaSideSource.map(word) ?? ""))"),
                                 ("change.netChange", [c.netChangeMean, c.netChangeMin, c.netChangeMax].map { $0.map { fixed($0, 2) } ?? "–" }.joined(separator: " / ")),
                                 ("change.endPointRate", c.endPointRate.map { fixed($0, 3) } ?? "–"),
                                 ("change.counts", "\(c.eroding) / \(c.accreting) / \(c.missingBoth)"),
                                 ("change.erosionShare", c.erosionShare.map { fixed($0 * 100, 1) + "%" } ?? "–"),
                                 ("change.ambiguous", "\(c.ambiguousTransects.count)"), ("change.days", "\(c.days)")].map { ["label": word($0.0), "value": $0.1] }
            }
            ctx["hasChange"] = m.shorelineChange != nil
            ctx["notes"] = zh ? check.notes.map(ChineseText.note) : check.notes; ctx["hasNotes"] = !check.notes.isEmpty
        }

        /// 5 Findings.
        func findings(into ctx: inout [String: Any]) {
            ctx["findings"] = verification.findings.map { f -> [String: Any] in
                ["severity": word(f.severity.rawValue), "code": f.code.rawValue, "layer": f.layer ?? "", "record": f.featureIndex.map(String.init) ?? "",
                 "message": f.message(zh ? .zh : .en)]
            }
            ctx["hasFindings"] = !verification.findings.isEmpty
        }

        /// 6 Provenance.
        func provenance(into ctx: inout [String: Any]) throws {
            let reason = set?.workingCRSReason ?? m.workingCRSReason
            ctx["workingCRS"] = set?.workingCRS.description ?? m.workingCRS; ctx["workingCRSReason"] = zh ? ChineseText.workingCRSReason(reason) : reason
            ctx["geodesicMethod"] = zh ? ChineseText.geodesicMethod(m.geodesicMethod) : m.geodesicMethod
            ctx["layers"] = verification.layers.map { l -> [String: Any] in
                ["role": l.role, "roleName": zh ? ChineseText.roleNames[l.role] ?? l.role : l.role, "file": l.file, "crs": l.crs ?? "",
                 "encoding": zh ? ChineseText.encoding(l.encoding ?? "") : l.encoding ?? ""]
            }
            ctx["software"] = "EcoCredit \(EcoCreditVersion.string) · GEOS \(GEOSContext.version) · PROJ \(ProjContext.version)"
            ctx["rulebookFull"] = "\(rulebook.citation) — \(rulebook.title) (\(rulebook.source))"
            ctx["parameters"] = m.parameters.values.sorted { $0.key < $1.key }.map { "\($0.key)=\(GeoJSON.number($0.value))" }.joined(separator: " ")
                + " intersectionRule=\(m.parameters.intersectionRule.rawValue)"
            ctx["command"] = options.command; ctx["generatedAt"] = options.generatedAt; ctx["outputs"] = options.outputs
            ctx["inputs"] = try Provenance.files(bundle).map { ["path": $0.path, "bytes": $0.bytes, "sha256": $0.sha256] }
        }
    }

    static func strings(_ lang: String) throws -> [String: String] {
        let data = Data(try resource("strings-\(lang == "en" ? "en" : "zh")", "json").utf8)
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    static func resource(_ name: String, _ ext: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources") else {
            throw AnnexError.resourceMissing("\(name).\(ext)")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Display rounding of measurement-methods §0: metres and m² to 0.01, fractions to 0.1 %.
    static func show(_ v: Double, _ unit: String) -> String {
        switch unit {
        case "ratio": return fixed(v * 100, 1) + "%"
        case "count", "days": return fixed(v, 0)
        case "mu", "unit": return fixed(v, 4)
        case "m/yr": return fixed(v, 3)
        default: return fixed(v, 2)
        }
    }
    static func unitLabel(_ unit: String) -> String { unit == "ratio" ? "" : unit }

    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number(let d): return GeoJSON.number(d)
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .array(let a): return a.map(text).joined(separator: ", ")
        case .object(let o): return o.sorted { $0.key < $1.key }.map { "\($0.key) \(text($0.value))" }.joined(separator: ", ")
        case .null: return ""
        }
    }
}

public enum AnnexError: CodedError, Sendable {
    case resourceMissing(String)
    public var code: String { "ANNEX.RESOURCE_MISSING" }
    public var message: Bilingual {
        switch self {
        case .resourceMissing(let n): return .init(zh: "附件模板资源“\(n)”缺失（安装不完整）", en: "\(n) is not in the Annex module's resources")
        }
    }
}


