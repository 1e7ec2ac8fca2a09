import Foundation
import GeoCore
import Rules
import Submission

/// Checks on the bundle as a whole: the manifest, roles, required layers and dates; and the
/// findings for layers that could not be read.
enum BundleChecks {
    static func manifest(_ bundle: SubmissionBundle, vocabulary: Vocabulary) -> [Finding] {
        var out: [Finding] = []
        guard let m = bundle.manifest else {
            out.append(Finding(.rolesGuessed, message: .init(
                zh: "没有 submission.json，按图层名推断角色：\(bundle.roleGuesses.joined(separator: "；"))",
                en: "no submission.json; roles guessed from layer names: \(bundle.roleGuesses.joined(separator: "; "))")))
            return out
        }
        if m.format != "ecocredit-submission/1" {
            out.append(Finding(.manifestFormat, layer: "submission.json", message: .init(
                zh: "format 为“\(m.format)”，应为“ecocredit-submission/1”", en: "format is \"\(m.format)\", expected \"ecocredit-submission/1\"")))
        }
        for k in m.unknownKeys {
            out.append(Finding(.manifestUnknownKey, layer: "submission.json", message: .init(zh: "未知的键“\(k)”，已忽略", en: "unknown key \"\(k)\" ignored")))
        }
        for e in m.layers where !SubmissionBundle.roles.contains(e.role) {
            out.append(Finding(.roleUnknown, role: e.role, layer: e.path, message: .init(
                zh: "未知的图层角色“\(e.role)”，不参与量算", en: "unknown layer role \"\(e.role)\": not measured")))
        }
        if let kind = m.kind, let k = vocabulary.kinds[kind] {
            let present = Set(bundle.entries.map(\.role))
            for role in k.required where !present.contains(role) {
                out.append(Finding(.requiredRoleMissing, role: role, message: .init(
                    zh: "类型“\(kind)”需要“\(role)”图层，提交中没有", en: "a \(kind) submission needs a \(role) layer; none is given")))
            }
        } else {
            out.append(Finding(.kindUnknown, message: .init(
                zh: "project.kind“\(m.kind ?? "")”不是已知类型（\(vocabulary.kinds.keys.sorted().joined(separator: "、"))），无法确定所需图层",
                en: "project.kind \"\(m.kind ?? "")\" is not one of \(vocabulary.kinds.keys.sorted().joined(separator: ", ")); required layers cannot be checked")))
        }
        if let d = m.checkDate, CivilDate(d) == nil {
            out.append(Finding(.dateInvalid, layer: "submission.json", message: .init(
                zh: "checkDate“\(d)”不是有效日期（YYYY-MM-DD）", en: "checkDate \"\(d)\" is not a valid date (YYYY-MM-DD)")))
        }
        for e in bundle.entries where e.role == "dated_shorelines" {
            if e.date.flatMap(CivilDate.init) == nil {
                out.append(Finding(.dateInvalid, role: e.role, layer: e.path, message: .init(
                    zh: "历史岸线“\(e.path)”的日期“\(e.date ?? "缺失")”无效（YYYY-MM-DD）",
                    en: "dated shoreline \(e.path): date \"\(e.date ?? "missing")\" is not a valid YYYY-MM-DD date")))
            }
        }
        return out
    }

    /// The finding for an error that stopped a layer (or the bundle) from being read.
    static func finding(for error: Error, role: String?, root: String) -> Finding {
        switch error {
        case let GeoError.io(code, file, record, field, detail):
            let where_ = [record.map { "record \($0)" }, field.map { "field \($0)" }].compactMap { $0 }.joined(separator: ", ")
            let whereZh = [record.map { "第 \($0) 条记录" }, field.map { "字段 \($0)" }].compactMap { $0 }.joined(separator: "，")
            return Finding(FindingCode(code), role: role, layer: relativePath(file, root: root), featureIndex: record,
                           message: .init(zh: "文件无法读取\(whereZh.isEmpty ? "" : "（\(whereZh)）")：\(detail)",
                                          en: "the file cannot be read\(where_.isEmpty ? "" : " (\(where_))"): \(detail)"))
        case let e as SubmissionError:
            var layer: String? = nil
            if case let .layerMissing(_, p) = e { layer = relativePath(p, root: root) }
            if case let .archive(_, p, entry, _) = e { layer = entry ?? p }
            return Finding(FindingCode(e), role: role, layer: layer, message: .init(zh: "\(e)", en: "\(e)"))
        default:
            return Finding(.checkFailed, role: role, message: .init(zh: "读取失败：\(error)", en: "reading failed: \(error)"))
        }
    }

    /// How the attribute text was decoded: detected without a declaration, or from the DBF's code-page byte.
    static func encoding(_ layer: VectorLayer, role: String, root: String) -> [Finding] {
        guard let e = layer.encoding else { return [] }
        let file = relativePath(layer.path, root: root)
        switch e.source {
        case .detected:
            return [Finding(.encodingDetected, role: role, layer: file, message: .init(
                zh: "属性文字编码未声明（无 .cpg，DBF 代码页字节未指明），按内容判定为 \(e.encoding.rawValue)；请附 .cpg 文件",
                en: "the attribute text encoding is not declared (no .cpg, no code page in the DBF); detected as \(e.encoding.rawValue); add a .cpg file"))]
        case .languageDriver:
            return [Finding(.encodingCodePageByte, role: role, layer: file, message: .init(
                zh: "属性文字编码取自 DBF 代码页字节 \(e.declared ?? "")：\(e.encoding.rawValue)",
                en: "attribute text encoding taken from the DBF code-page byte \(e.declared ?? ""): \(e.encoding.rawValue)"))]
        case .cpg, .asciiOnly:
            return []
        }
    }
}
