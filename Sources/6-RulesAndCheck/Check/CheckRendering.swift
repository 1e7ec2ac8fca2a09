import Foundation
import GeoCore

/// Text and JSON of a check report; the wording of each language is here.
extension CheckReport {
    public typealias Lang = Language

    /// `check.json`: pretty-printed, keys in sorted order, optional members left out when
    /// absent (the document `JSONEncoder` made before, same members and values; written by
    /// `JSONTextWriter`, ≈ 10× faster for a report of thousands of segment results). A
    /// non-finite number is written as null.
    public func json() -> String {
        var w = JSONTextWriter(capacity: 512 * results.count + 4096)
        w.object { w in
            w.field("bundle", bundle)
            w.field("checkDate", checkDate)
            w.field("dateSource", dateSource)
            w.field("format", "ecocredit-check/1")
            w.field("kind", kind)
            w.field("notes", notes)
            w.field("official", isOfficial)
            w.field("overall", overall.rawValue)
            w.field("period") { $0.value(period) }
            w.field("projectId", projectId)
            w.field("quantities") { w in w.array { w in for q in quantities { w.value(q) } } }
            w.field("reasons") { w in w.array { w in for r in reasons { w.value(r) } } }
            w.field("results") { w in w.array { w in for r in results { w.value(r) } } }
            w.field("rule", rule)
            w.field("rulebook", rulebook)
            w.field("whatIf", whatIf)
        }
        return w.text + "\n"
    }

    /// A quantity's status in words.
    public static func statusText(_ s: QuantityStatus, _ lang: Lang) -> String {
        let zh = lang == .zh
        switch s {
        case .issuable: return zh ? "可发放" : "issuable"
        case .pending: return zh ? "待定" : "pending"
        case .notIssuable: return zh ? "不可发放" : "not issuable"
        case .referenceOnly: return zh ? "仅供参考" : "for reference only"
        case .notAssessed: return zh ? "未评定" : "not assessed"
        case .liability: return zh ? "应购买" : "liability"
        }
    }

    public func text(_ lang: Lang) -> String {
        let zh = lang == .zh
        func v(_ x: Verdict) -> String {
            switch x {
            case .pass: return zh ? "通过" : "pass"
            case .fail: return zh ? "不通过" : "fail"
            case .indeterminate: return zh ? "待定" : "indeterminate"
            case .notAssessed: return zh ? "未评定" : "not assessed"
            }
        }
        var out = (zh ? "EcoCredit 验收核查 — " : "EcoCredit check — ") + bundle + "\n"
        if whatIf { out += zh ? "【假设情景】本报告使用提交文件替换的规则库表格计算，非正式结果\n" : "[WHAT-IF] computed with rulebook tables the submission replaced: not official\n" }
        out += (zh ? "规则库 " : "rulebook ") + rulebook + (zh ? "；核查日期 " : "; check date ") + checkDate
            + (zh ? "（\(ChineseText.dateSource(dateSource))）\n" : " (\(dateSource))\n")
        out += (zh ? ChineseText.article(period.zh) : period.en) + "\n"
        for r in results {
            var line = "[\(v(r.verdict))] \(zh ? r.label.zh : r.label.en)"
            if let s = r.subject { line += zh ? "（\(ChineseText.subject(s))）" : " (\(s))" }
            if let x = r.value {
                let u = r.unit ?? ""
                let unit = zh ? ChineseText.unit(u) : u
                let show = u == "ratio" ? fixed(x * 100, 2) + "%" : fixed(x, 2) + (unit.isEmpty ? "" : " " + unit)
                line += ": \(show)"
                if let un = r.uncertainty, un > 0 { line += u == "ratio" ? " ±" + fixed(un * 100, 2) + "%" : " ±" + fixed(un, 2) }
                if let t = r.threshold, let c = r.comparison {
                    line += (zh ? "（要求 " : " (required ") + c + " " + (u == "ratio" ? fixed(t * 100, 2) + "%" : fixed(t, 2)) + (zh ? "）" : ")")
                }
            } else if let d = r.declaredValue { line += ": \(zh ? ChineseText.value(d) : d)" }
            line += " — " + (r.source == "declared" ? (zh ? "申报" : "declared") : (zh ? "量测" : "measured")) + (zh ? "，\(ChineseText.article(r.article))" : ", \(r.article)")
            out += line + "\n"
            if let s = r.shortfall { out += "    → " + (zh ? s.zh : s.en) + "\n" }
        }
        out += (zh ? "总体结论：" : "Overall: ") + v(overall)
        if !reasons.isEmpty { out += zh ? "（非正式结果，原因如下）" : " (not official, for the reasons below)" }
        out += "\n"
        for r in reasons { out += "  ! [\(r.code)] \(zh ? ChineseText.article(r.zh) : r.en)\n" }
        for q in quantities {
            let (article, source) = ChineseText.articleAndSource(q.article)
            out += zh ? "  \(q.label.zh) = \(q.value) \(ChineseText.unit(q.unit))［\(Self.statusText(q.status, lang))］（\(article)\(source.map { "；\($0)" } ?? "")）\n"
                      : "  \(q.label.en) = \(q.value) \(q.unit) [\(Self.statusText(q.status, lang))] (\(q.article))\n"
        }
        for n in notes { out += zh ? "  备注：\(ChineseText.note(n))\n" : "  note: \(n)\n" }
        return out
    }
}

extension JSONTextWriter {
    /// `{"en", "zh"}`.
    mutating func value(_ b: Bilingual) { object { w in w.field("en", b.en); w.field("zh", b.zh) } }
    /// A criterion result's members in key order (nil ones left out).
    mutating func value(_ r: CriterionResult) {
        object { w in
            w.field("article", r.article); w.field("comparison", r.comparison); w.field("criterion", r.criterion)
            w.field("declaredValue", r.declaredValue); w.field("expected", r.expected); w.field("inPrinciple", r.inPrinciple)
            w.field("label") { $0.value(r.label) }
            w.field("scope", r.scope)
            if let s = r.shortfall { w.field("shortfall") { $0.value(s) } }
            w.field("source", r.source); w.field("subject", r.subject); w.field("threshold", r.threshold)
            w.field("uncertainty", r.uncertainty); w.field("unit", r.unit); w.field("value", r.value); w.field("verdict", r.verdict.rawValue)
        }
    }
    mutating func value(_ r: Reason) {
        object { w in w.field("article", r.article); w.field("code", r.code); w.field("en", r.en); w.field("zh", r.zh) }
    }
    mutating func value(_ q: CheckQuantity) {
        object { w in
            w.field("article", q.article); w.field("decimals", q.decimals); w.field("id", q.id)
            w.field("label") { $0.value(q.label) }
            w.field("reasons") { w in w.array { w in for r in q.reasons { w.value(r) } } }
            w.field("status", q.status.rawValue); w.field("unit", q.unit)
            if let u = q.units { w.key("units"); w.value(Int(u)) }
        }
    }
}
