import BundleMeasure
import Foundation
import GeoCore
import Measure
import Rules

/// Applies a rulebook's criteria to a measurement report: a verdict per criterion and subject,
/// an overall verdict, shortfall statements, and the quantities (indicator metres, vouchers).
/// Thresholds, comparisons and articles all come from the rulebook.
public enum Checker {
    public static func check(_ m: MeasurementReport, rulebook: Rulebook, declared: [String: JSONValue], date: CivilDate,
                             dateSource: String) -> CheckReport {
        var r = CheckReport(bundle: m.bundle, projectId: m.projectId, rule: m.rule, kind: m.kind, rulebook: rulebook.citation,
                            checkDate: date.description, dateSource: dateSource, period: period(rulebook, date))
        for c in criteria(rulebook, kind: m.kind) {
            r.results += evaluate(c, m, rulebook: rulebook, declared: declared, date: date)
        }
        // Segments decide which metres qualify; the project and every parcel decide the verdict.
        let deciding = r.results.filter { $0.scope != Rulebook.Criterion.Scope.segment.rawValue }
        r.overall = deciding.map(\.verdict).min { $0.rank < $1.rank } ?? .notAssessed
        if deciding.isEmpty { r.notes.append("no criterion of \(rulebook.citation) applies to kind \(m.kind ?? "none")") }
        r.reasons = officialReasons(rulebook, date: date, exampleCoefficients: m.coefficientTableIsExample)
        r.whatIf = rulebook.whatIf
        r.quantities = quantities(m, r, rulebook: rulebook, declared: declared)
        r.notes += m.notes
        return r
    }

    /// The criteria of `rulebook` that apply to a kind of submission.
    static func criteria(_ rulebook: Rulebook, kind: String?) -> [Rulebook.Criterion] {
        (rulebook.criteria ?? []).filter { c in c.kinds.contains { $0.rawValue == kind } }
    }

    /// The report for a bundle whose data failed verification: every criterion and quantity is
    /// not assessed, with the codes of the findings that stopped it. Nothing is computed from the
    /// data, so nothing can read zero or pass.
    public static func notAssessed(bundle: String, manifest: (projectId: String?, rule: String?, kind: String?), rulebook: Rulebook,
                                   date: CivilDate, dateSource: String, blocking: [(code: String, zh: String, en: String)]) -> CheckReport {
        var r = CheckReport(bundle: bundle, projectId: manifest.projectId, rule: manifest.rule, kind: manifest.kind, rulebook: rulebook.citation,
                            checkDate: date.description, dateSource: dateSource, period: period(rulebook, date))
        let codes = Array(Set(blocking.map(\.code))).sorted()
        let list = codes.joined(separator: ", ")
        let reason = Reason(code: "VERIFY.FAILED", zh: "输入数据未通过核查（\(list)），不予评定", en: "not assessed: the input failed verification (\(list))")
        r.reasons = [reason] + officialReasons(rulebook, date: date, exampleCoefficients: false)
        r.whatIf = rulebook.whatIf
        for c in criteria(rulebook, kind: manifest.kind) {
            r.results.append(CriterionResult(criterion: c.id, label: Bilingual(zh: c.label.zh, en: c.label.en), article: c.article, scope: c.scope.rawValue,
                                             subject: nil, source: "measured", verdict: .notAssessed, inPrinciple: c.inPrinciple ?? false,
                                             shortfall: Bilingual(zh: reason.zh, en: reason.en)))
        }
        r.overall = .notAssessed
        let q = rulebook.quantities?.objectValue ?? [:]
        let article = q["article"]?.stringValue ?? ""
        func blocked(_ id: String, _ label: Bilingual, _ decimals: Int, _ unit: String) -> CheckQuantity {
            CheckQuantity(id: id, label: label, units: nil, decimals: decimals, unit: unit, article: article, status: .notAssessed, reasons: [reason])
        }
        if q["indicatorMetres"]?.objectValue?[manifest.kind ?? ""] != nil {
            r.quantities.append(blocked("indicatorMetres", .init(zh: "岸线指标（米）", en: "coastline indicator (metres)"), 2, "m"))
        }
        if q["vouchersEarned"] != nil, manifest.kind == SubmissionKind.restorationParcels.rawValue {
            r.quantities.append(blocked("vouchers", .init(zh: "可发放生态券合计", en: "vouchers issuable, all eligible parcels"), 4, "unit"))
        }
        if q["vouchersRequired"] != nil, manifest.kind == SubmissionKind.landSupply.rawValue {
            r.quantities.append(blocked("vouchersRequired", .init(zh: "供地前应购买的生态券", en: "vouchers to buy before land supply"), 4, "unit"))
        }
        return r
    }

    /// Why quantities computed under `rulebook` on `date` cannot be official, each with its code.
    static func officialReasons(_ book: Rulebook, date: CivilDate, exampleCoefficients: Bool) -> [Reason] {
        var out: [Reason] = []
        let span = "\(book.effective.from ?? "…") – \(book.effective.to ?? "…")", note = book.effective.note ?? ""
        switch book.isInForce(on: date) {
        case true?: break
        case false?:
            out.append(Reason(code: "RULES.NOT_IN_FORCE", zh: "仅供参考：规则库 \(book.citation) 于 \(date) 不在施行期间（\(span)，\(note)）",
                              en: "for reference only: rulebook \(book.citation) not in force on \(date) (\(span), \(note))", article: note))
        case nil:
            out.append(Reason(code: "RULES.NO_EFFECTIVE_PERIOD", zh: "仅供参考：规则库 \(book.citation) 未规定施行日期（\(note)）",
                              en: "for reference only: rulebook \(book.citation) sets no effective date (\(note))", article: note))
        }
        if exampleCoefficients {
            out.append(Reason(code: "RULES.EXAMPLE_COEFFICIENTS", zh: "示例折算系数，非正式数值", en: "example coefficients, not official", article: "JY Art. 19"))
        }
        if book.whatIf {
            out.append(Reason(code: "RULES.WHAT_IF", zh: "假设情景：提交文件替换了规则库的表格，结果非正式",
                              en: "what-if: the submission replaced rulebook tables; nothing here is official"))
        }
        return out
    }

    static func period(_ book: Rulebook, _ date: CivilDate) -> Bilingual {
        let span = "\(book.effective.from ?? "…") – \(book.effective.to ?? "…")"
        switch book.isInForce(on: date) {
        case nil:
            return .init(zh: "规则库 \(book.citation) 未规定施行期间（\(book.effective.note ?? "")）；按其现行文本核查",
                         en: "rulebook \(book.citation) sets no effective period (\(book.effective.note ?? "")); checked against its current text")
        case true?:
            return .init(zh: "核查日期 \(date) 在规则库 \(book.citation) 施行期间 \(span) 内", en: "check date \(date) lies within the effective period \(span) of rulebook \(book.citation)")
        case false?:
            return .init(zh: "注意：核查日期 \(date) 不在规则库 \(book.citation) 的施行期间 \(span) 内；以下结果仅按该规则库计算，供参考",
                         en: "Note: the check date \(date) lies OUTSIDE the effective period \(span) of rulebook \(book.citation); the results below apply it for reference only")
        }
    }

    /// Value ids matching a pattern with `[*]` (one per segment or parcel), with the subject.
    static func matches(_ pattern: String, _ m: MeasurementReport) -> [(MeasuredValue, String?)] {
        guard let star = pattern.range(of: "[*]") else { return m.value(pattern).map { [($0, nil)] } ?? [] }
        let prefix = String(pattern[..<star.lowerBound]), suffix = String(pattern[star.upperBound...])
        return m.values.compactMap { v in
            guard v.id.hasPrefix(prefix + "["), v.id.hasSuffix("]" + suffix) else { return nil }
            let inner = v.id.dropFirst(prefix.count + 1).dropLast(suffix.count + 1)
            return (v, "\(prefix.split(separator: ".").last.map(String.init) ?? prefix) \(inner)")
        }
    }

    static func evaluate(_ c: Rulebook.Criterion, _ m: MeasurementReport, rulebook: Rulebook, declared: [String: JSONValue],
                         date: CivilDate) -> [CriterionResult] {
        let label = Bilingual(zh: c.label.zh, en: c.label.en)
        var base = CriterionResult(criterion: c.id, label: label, article: c.article, scope: c.scope.rawValue, subject: nil, source: "measured",
                                   verdict: .notAssessed, inPrinciple: c.inPrinciple ?? false)
        if let key = c.declared { return [declaredRow(base, key, c.expected, declared)] }
        guard let pattern = c.value, let tkey = c.threshold, let t = rulebook.thresholds[tkey] else { return [base] }
        base.threshold = t.value; base.comparison = t.comparison.rawValue
        var found = matches(pattern, m)
        // A duration not measured from dated records may count from a declared date.
        if found.isEmpty, let key = c.declaredSinceDate, let since = declared[key]?.stringValue.flatMap(CivilDate.init) {
            var v = base
            v.source = "declared"; v.declaredValue = "\(key) = \(since)"
            v.value = Double(since.days(to: date)); v.unit = "days"; v.uncertainty = 0
            found = []
            return [judge(v, t, m, c)]
        }
        // Not measured (its layer was not submitted), but stated: judged as declared.
        if found.isEmpty, let key = c.declaredFallback, declared[key] != nil {
            var row = base
            row.threshold = nil; row.comparison = nil
            return [declaredRow(row, key, c.expected ?? .bool(true), declared)]
        }
        guard !found.isEmpty else {
            base.shortfall = .init(zh: "缺少量测值“\(pattern)”（所需图层或数据未提交）", en: "no measured \(pattern) (the layers or data it needs were not submitted)")
            return [base]
        }
        return found.map { v, subject in
            var row = base
            row.subject = subject; row.value = v.value; row.unit = v.unit; row.uncertainty = v.uncertainty
            if v.declared { row.source = "declared" }
            return judge(row, t, m, c)
        }
    }

    /// A criterion judged on a declared fact: present and as expected passes ("present": any
    /// non-empty value), otherwise fails; missing is not assessed.
    static func declaredRow(_ row: CriterionResult, _ key: String, _ expected: JSONValue?, _ declared: [String: JSONValue]) -> CriterionResult {
        var base = row
        base.source = "declared"
        base.expected = expected.map(text)
        guard let v = declared[key], !text(v).isEmpty else {
            base.shortfall = .init(zh: "未申报“\(key)”（申报而非量测）", en: "\(key) is not declared (a declared, not measured, fact)")
            return base
        }
        base.declaredValue = text(v)
        let ok: Bool
        switch expected {
        case .string("present")?: ok = true
        case let e?: ok = text(e) == text(v)
        case nil: ok = true
        }
        base.verdict = ok ? .pass : .fail
        if !ok { base.shortfall = .init(zh: "申报“\(key)”为“\(text(v))”，要求“\(base.expected ?? "")”", en: "declared \(key) is \"\(text(v))\"; \"\(base.expected ?? "")\" is required") }
        return base
    }

    /// Pass, fail or indeterminate (the threshold within the value's uncertainty), with the shortfall.
    static func judge(_ row: CriterionResult, _ t: Rulebook.Threshold, _ m: MeasurementReport, _ c: Rulebook.Criterion) -> CriterionResult {
        var r = row
        guard let x = r.value else { return r }
        let u = r.uncertainty ?? 0
        if u > 0 && abs(x - t.value) <= u { r.verdict = .indeterminate }
        else { r.verdict = t.passes(x) ? .pass : .fail }
        guard r.verdict != .pass else { return r }
        let unit = r.unit ?? ""
        func show(_ v: Double) -> String { unit == "ratio" ? fixed(v * 100, 2) + "%" : fixed(v, 2) + " " + unit }
        let gap = abs(t.value - x)
        let subject = r.subject.map { " (\($0))" } ?? ""
        let subjectZh = r.subject.map { "（\(CriterionResult.subjectZh($0))）" } ?? ""
        var zh = "\(c.label.zh)\(subjectZh)为 \(show(x))，要求 \(t.comparison.rawValue) \(show(t.value))"
        var en = "\(c.label.en)\(subject) is \(show(x)); it must be \(t.comparison.rawValue) \(show(t.value))"
        if r.verdict == .indeterminate {
            zh += "；与阈值之差 \(show(gap)) 在量测不确定度 ±\(show(u)) 之内，需更精确的测量或现场复核"
            en += "; the gap of \(show(gap)) lies within the measurement uncertainty ±\(show(u)): measure more precisely or verify on site"
        } else {
            zh += "，差 \(show(gap))"; en += ", short by \(show(gap))"
            if let s = c.shortfall, let scale = m.value(s.scaleBy) {
                zh += "（\(s.label.zh) \(fixed(gap * scale.value, 2)) \(scale.unit)）"
                en += " (\(s.label.en): \(fixed(gap * scale.value, 2)) \(scale.unit))"
            }
            if c.inPrinciple == true { zh += "；本项为“原则上”要求"; en += "; this requirement applies \"in principle\" (原则上)" }
        }
        if c.scope == .segment {
            zh += "；该段不计入岸线指标米数"; en += "; this segment is left out of the indicator metres"
        }
        r.shortfall = .init(zh: zh, en: en)
        return r
    }

    static func text(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return String(d)
        case .integer(let i): return String(i)
        case .array(let a): return a.map(text).joined(separator: ", ")
        case .object, .null: return ""
        }
    }

    static func quantities(_ m: MeasurementReport, _ r: CheckReport, rulebook: Rulebook, declared: [String: JSONValue]) -> [CheckQuantity] {
        let q = rulebook.quantities?.objectValue ?? [:]
        let article = q["article"]?.stringValue ?? ""
        var out: [CheckQuantity] = []
        let decided: QuantityStatus = r.overall == .pass ? .issuable : r.overall == .indeterminate ? .pending : .notIssuable
        /// The status once the report's reasons are weighed: an issuable quantity with reasons is reference only.
        func final(_ s: QuantityStatus) -> QuantityStatus { s == .issuable && !r.reasons.isEmpty ? .referenceOnly : s }
        if let source = q["indicatorMetres"]?.objectValue?[m.kind ?? ""]?.stringValue {
            var value: Double? = nil
            var src = source
            if source.hasPrefix("declared:") {
                let key = String(source.dropFirst("declared:".count))
                value = declared[key]?.doubleValue; src = "declared \(key)"
            } else { value = m.value(source)?.value }
            if let value {
                // Whole centimetres, rounded down (never more metres than measured) with a guard of
                // 1e-4 cm (1 µm) against binary noise, as `CreditQuantity` guards vouchers: a
                // designed 800 m measured as 799.9999999999 m stays 800.00. A value that cannot
                // be a length is refused with a code, not converted.
                let cm = (value * 100 + 1e-4).rounded(.down)
                let label = Bilingual(zh: "岸线指标（米）", en: "coastline indicator (metres)")
                if cm.isFinite, cm >= 0, let units = Int64(exactly: cm), units < Int64(1) << 50 {
                    out.append(CheckQuantity(id: "indicatorMetres", label: label, units: units, decimals: 2, unit: "m",
                                             article: "\(article) (\(src))", status: final(decided), reasons: decided == .issuable ? r.reasons : []))
                } else {
                    out.append(CheckQuantity(id: "indicatorMetres", label: label, units: nil, decimals: 2, unit: "m", article: "\(article) (\(src))",
                                             status: .notAssessed, reasons: [Reason(code: "QUANTITY.OUT_OF_RANGE", zh: "\(src) 的值 \(value) 不是有效长度",
                                                                                     en: "\(src) is \(value), not a usable length")]))
                }
            }
        }
        if q["vouchersEarned"] != nil {
            let ineligible = Set(r.results.filter { $0.scope == "parcel" && $0.verdict != .pass }.compactMap(\.subject))
            let pending = Set(r.results.filter { $0.scope == "parcel" && $0.verdict == .indeterminate }.compactMap(\.subject))
            var total = CreditQuantity.zero
            for p in m.parcels {
                guard let v = p.vouchers else { continue }
                // Issuable only when every parcel criterion passes; pending (not counted) when one is indeterminate.
                let subject = "parcel \(p.id)"
                let eligible = !ineligible.contains(subject), isPending = pending.contains(subject)
                if eligible { total = total + v }
                let status: QuantityStatus = eligible ? final(.issuable) : isPending ? .pending : .notIssuable
                out.append(CheckQuantity(id: "vouchers[\(p.id)]", label: .init(zh: "地块 \(p.id) 生态券", en: "vouchers of parcel \(p.id)"),
                                         units: v.tenThousandths, decimals: 4, unit: "unit", article: article,
                                         status: status, reasons: eligible ? r.reasons : []))
            }
            if m.parcels.contains(where: { $0.vouchers != nil }) {
                out.append(CheckQuantity(id: "vouchers", label: .init(zh: "可发放生态券合计（符合条件的地块）", en: "vouchers issuable, all eligible parcels"),
                                         units: total.tenThousandths, decimals: 4, unit: "unit", article: article,
                                         status: final(ineligible.isEmpty ? decided : .issuable), reasons: r.reasons))
            }
        }
        if let id = q["vouchersRequired"]?.stringValue, let v = m.value(id) {
            let units = (v.value * 10_000).rounded()
            if units.isFinite, let u = Int64(exactly: units) {
                out.append(CheckQuantity(id: "vouchersRequired", label: .init(zh: "供地前应购买的生态券", en: "vouchers to buy before land supply"),
                                         units: u, decimals: 4, unit: "unit", article: "JY Art. 3, 31, 34", status: .liability, reasons: r.reasons))
            }
        }
        return out
    }
}
