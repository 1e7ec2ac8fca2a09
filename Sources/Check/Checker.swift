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
        for c in (rulebook.criteria ?? []) where c.kinds.contains(m.kind ?? "") {
            r.results += evaluate(c, m, rulebook: rulebook, declared: declared, date: date)
        }
        // Segments decide which metres qualify; the project and every parcel decide the verdict.
        let deciding = r.results.filter { $0.scope != "segment" }
        r.overall = deciding.map(\.verdict).min { $0.rank < $1.rank } ?? .notAssessed
        if deciding.isEmpty { r.notes.append("no criterion of \(rulebook.citation) applies to kind \(m.kind ?? "none")") }
        r.quantities = quantities(m, r, rulebook: rulebook, declared: declared)
        r.notes += m.notes
        return r
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
        var base = CriterionResult(criterion: c.id, label: label, article: c.article, scope: c.scope, subject: nil, source: "measured",
                                   verdict: .notAssessed, inPrinciple: c.inPrinciple ?? false)
        if let key = c.declared { return [declaredRow(base, key, c.expected, declared)] }
        guard let pattern = c.value, let tkey = c.threshold, let t = rulebook.thresholds[tkey] else { return [base] }
        base.threshold = t.value; base.comparison = t.comparison
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
        func show(_ v: Double) -> String { unit == "ratio" ? String(format: "%.2f%%", v * 100) : String(format: "%.2f %@", v, unit) }
        let gap = abs(t.value - x)
        let subject = r.subject.map { " (\($0))" } ?? ""
        var zh = "\(c.label.zh)\(subject)为 \(show(x))，要求 \(t.comparison) \(show(t.value))"
        var en = "\(c.label.en)\(subject) is \(show(x)); it must be \(t.comparison) \(show(t.value))"
        if r.verdict == .indeterminate {
            zh += "；与阈值之差 \(show(gap)) 在量测不确定度 ±\(show(u)) 之内，需更精确的测量或现场复核"
            en += "; the gap of \(show(gap)) lies within the measurement uncertainty ±\(show(u)): measure more precisely or verify on site"
        } else {
            zh += "，差 \(show(gap))"; en += ", short by \(show(gap))"
            if let s = c.shortfall, let scale = m.value(s.scaleBy) {
                zh += "（\(s.label.zh) \(String(format: "%.2f", gap * scale.value)) \(scale.unit)）"
                en += " (\(s.label.en): \(String(format: "%.2f", gap * scale.value)) \(scale.unit))"
            }
            if c.inPrinciple == true { zh += "；本项为“原则上”要求"; en += "; this requirement applies \"in principle\" (原则上)" }
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
        let status = r.overall == .pass ? "issuable" : r.overall == .indeterminate ? "pending" : "not issuable"
        if let source = q["indicatorMetres"]?.objectValue?[m.kind ?? ""]?.stringValue {
            var value: Double? = nil
            var src = source
            if source.hasPrefix("declared:") {
                let key = String(source.dropFirst("declared:".count))
                value = declared[key]?.doubleValue; src = "declared \(key)"
            } else { value = m.value(source)?.value }
            if let value {
                out.append(CheckQuantity(id: "indicatorMetres", label: .init(zh: "岸线指标（米）", en: "coastline indicator (metres)"),
                                         value: String(format: "%.2f", value), unit: "m", article: "\(article) (\(src))", status: status))
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
                out.append(CheckQuantity(id: "vouchers[\(p.id)]", label: .init(zh: "地块 \(p.id) 生态券", en: "vouchers of parcel \(p.id)"),
                                         value: eligible || isPending ? v.description : "0.0000", unit: "unit", article: article,
                                         status: eligible ? "issuable" : isPending ? "pending" : "not issuable"))
            }
            if m.parcels.contains(where: { $0.vouchers != nil }) {
                out.append(CheckQuantity(id: "vouchers", label: .init(zh: "可发放生态券合计", en: "vouchers issuable, all eligible parcels"),
                                         value: total.description, unit: "unit", article: article, status: ineligible.isEmpty ? status : "issuable for eligible parcels"))
            }
        }
        if let id = q["vouchersRequired"]?.stringValue, let v = m.value(id) {
            out.append(CheckQuantity(id: "vouchersRequired", label: .init(zh: "供地前应购买的生态券", en: "vouchers to buy before land supply"),
                                     value: String(format: "%.4f", v.value), unit: "unit", article: "JY Art. 3, 31, 34", status: "liability"))
        }
        return out
    }
}
