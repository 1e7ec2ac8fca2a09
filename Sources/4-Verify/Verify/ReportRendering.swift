import Foundation
import GeoCore
import Rules

/// Text and JSON forms of a verification report. All wording of the text form is here, per language.
extension VerificationReport {
    /// Machine-readable form: deterministic (sorted keys), both languages for every message.
    public func json() -> String {
        struct Loc: Codable { var source: [Double]; var sourceCRS: String; var lonLat: [Double]? }
        struct F: Codable {
            var code: String, severity: String, role: String?, layer: String?, featureIndex: Int?, featureId: String?
            var message: [String: String]; var location: Loc?
        }
        struct R: Codable {
            var format = "ecocredit-verification/1"
            var bundle: String, rulebook: String?, workingCRS: String?, workingCRSReason: String?
            var layers: [LayerInfo]; var findings: [F]
            var counts: [String: Int]; var unusable: Bool; var exitStatus: Int32
        }
        let r = R(bundle: bundle, rulebook: rulebook, workingCRS: workingCRS, workingCRSReason: workingCRSReason, layers: layers,
                  findings: findings.map { f in
                      F(code: f.code.rawValue, severity: f.severity.rawValue, role: f.role, layer: f.layer, featureIndex: f.featureIndex,
                        featureId: f.featureId, message: ["zh": f.message.zh, "en": f.message.en],
                        location: f.location.map { Loc(source: [$0.source.x, $0.source.y], sourceCRS: $0.sourceCRS, lonLat: $0.lonLat.map { [$0.x, $0.y] }) })
                  },
                  counts: Dictionary(uniqueKeysWithValues: Finding.Severity.allCases.map { ($0.rawValue, count($0)) }),
                  unusable: unusable, exitStatus: exitStatus)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(r)) ?? Data(), as: UTF8.self)
    }

    /// Human-readable report in `lang`.
    public func text(_ lang: Language) -> String {
        let t = Wording(lang)
        var lines = ["\(t.title) — \(bundle)"]
        if let rulebook { lines.append("\(t.rulebook): \(rulebook)") }
        if let workingCRS {
            let reason = workingCRSReason.map { t.zh ? "（\(ReadingText.workingCRSReasonZh($0))）" : " (\($0))" } ?? ""
            lines.append("\(t.workingCRS): \(workingCRS)\(reason)")
        }
        for l in layers {
            let encoding = l.encoding.map { ", " + (t.zh ? ReadingText.encodingZh($0) : $0) } ?? ""
            let role = t.zh ? (LayerRole(rawValue: l.role)?.name.zh ?? "“\(l.role)”") : l.role
            lines.append("  \(role): \(l.file) — \(l.features) \(t.features), \(l.crs ?? t.noCRS)\(encoding)\(l.usable ? "" : " — \(t.unusable)")")
        }
        lines.append("\(t.severity(.error)) \(count(.error)) · \(t.severity(.warning)) \(count(.warning)) · \(t.severity(.info)) \(count(.info))")
        for f in findings {
            var head = "[\(t.severity(f.severity))] \(f.code.rawValue)"
            // The Chinese report quotes the user's file names as it quotes all their data.
            if let layer = f.layer { head += t.zh ? " “\(layer)”" : " \(layer)" }
            if let i = f.featureIndex { head += " \(t.record) \(i)" }
            if let id = f.featureId { head += " (\(id))" }
            lines.append(head + " — " + f.message(lang))
            if let loc = f.location {
                var at = "    \(t.at): \(fixed(loc.source.x, 6)), \(fixed(loc.source.y, 6)) (\(loc.sourceCRS))"
                if let ll = loc.lonLat { at += " = \(fixed(ll.x, 7))°E, \(fixed(ll.y, 7))°N" }
                lines.append(at)
            }
        }
        lines.append(unusable ? t.verdictUnusable : count(.error) > 0 ? t.verdictErrors : t.verdictOK)
        return lines.joined(separator: "\n") + "\n"
    }

    struct Wording {
        let lang: Language
        init(_ lang: Language) { self.lang = lang }
        var zh: Bool { lang == .zh }
        var title: String { zh ? "EcoCredit 数据核查报告" : "EcoCredit verification report" }
        var rulebook: String { zh ? "规则库" : "rulebook" }
        var workingCRS: String { zh ? "工作坐标系" : "working CRS" }
        var features: String { zh ? "个要素" : "features" }
        var noCRS: String { zh ? "坐标系未知" : "no CRS" }
        var unusable: String { zh ? "不可用" : "unusable" }
        var record: String { zh ? "记录" : "record" }
        var at: String { zh ? "位置" : "at" }
        func severity(_ s: Finding.Severity) -> String {
            switch s {
            case .error: return zh ? "错误" : "error"
            case .warning: return zh ? "警告" : "warning"
            case .info: return zh ? "提示" : "info"
            }
        }
        var verdictOK: String { zh ? "结论：未发现错误。" : "Verdict: no errors." }
        var verdictErrors: String { zh ? "结论：存在错误，请修改后重新提交。" : "Verdict: errors found; correct them and resubmit." }
        var verdictUnusable: String { zh ? "结论：输入无法使用。" : "Verdict: the input cannot be used." }
    }
}
