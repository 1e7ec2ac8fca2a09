import Foundation

/// Text and JSON of a check report; the wording of each language is here.
extension CheckReport {
    public enum Lang: Sendable { case zh, en }

    public func json() -> String {
        struct Doc: Encodable {
            let format = "ecocredit-check/1"
            let bundle: String; let projectId, rule, kind: String?; let rulebook, checkDate, dateSource: String
            let period: Bilingual; let overall: Verdict; let results: [CriterionResult]; let quantities: [CheckQuantity]; let notes: [String]
        }
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let d = Doc(bundle: bundle, projectId: projectId, rule: rule, kind: kind, rulebook: rulebook, checkDate: checkDate, dateSource: dateSource,
                    period: period, overall: overall, results: results, quantities: quantities, notes: notes)
        return String(decoding: (try? enc.encode(d)) ?? Data(), as: UTF8.self) + "\n"
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
        out += (zh ? "规则库 " : "rulebook ") + rulebook + (zh ? "；核查日期 " : "; check date ") + checkDate + " (\(dateSource))\n"
        out += (zh ? period.zh : period.en) + "\n"
        for r in results {
            var line = "[\(v(r.verdict))] \(zh ? r.label.zh : r.label.en)"
            if let s = r.subject { line += " (\(s))" }
            if let x = r.value {
                let u = r.unit ?? ""
                let show = u == "ratio" ? String(format: "%.2f%%", x * 100) : String(format: "%.2f %@", x, u)
                line += ": \(show)"
                if let un = r.uncertainty, un > 0 { line += u == "ratio" ? String(format: " ±%.2f%%", un * 100) : String(format: " ±%.2f", un) }
                if let t = r.threshold, let c = r.comparison {
                    line += (zh ? "（要求 " : " (required ") + c + " " + (u == "ratio" ? String(format: "%.2f%%", t * 100) : String(format: "%.2f", t)) + (zh ? "）" : ")")
                }
            } else if let d = r.declaredValue { line += ": \(d)" }
            line += " — " + (r.source == "declared" ? (zh ? "申报" : "declared") : (zh ? "量测" : "measured")) + ", \(r.article)"
            out += line + "\n"
            if let s = r.shortfall { out += "    → " + (zh ? s.zh : s.en) + "\n" }
        }
        out += (zh ? "总体结论：" : "Overall: ") + v(overall) + "\n"
        for q in quantities { out += "  \(zh ? q.label.zh : q.label.en) = \(q.value) \(q.unit) [\(q.status)] (\(q.article))\n" }
        for n in notes { out += "  note: \(n)\n" }
        return out
    }
}
