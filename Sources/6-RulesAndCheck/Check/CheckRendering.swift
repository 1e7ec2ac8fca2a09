import Foundation
import GeoCore

/// Text and JSON of a check report; the wording of each language is here.
extension CheckReport {
    public typealias Lang = Language

    public func json() -> String {
        struct Doc: Encodable {
            let format = "ecocredit-check/1"
            let bundle: String; let projectId, rule, kind: String?; let rulebook, checkDate, dateSource: String
            let period: Bilingual; let overall: Verdict; let results: [CriterionResult]; let quantities: [CheckQuantity]; let notes: [String]
            let official: Bool; let reasons: [Reason]; let whatIf: Bool
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let d = Doc(bundle: bundle, projectId: projectId, rule: rule, kind: kind, rulebook: rulebook, checkDate: checkDate, dateSource: dateSource,
                    period: period, overall: overall, results: results, quantities: quantities, notes: notes,
                    official: isOfficial, reasons: reasons, whatIf: whatIf)
        return String(decoding: (try? enc.encode(d)) ?? Data(), as: UTF8.self) + "\n"
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
