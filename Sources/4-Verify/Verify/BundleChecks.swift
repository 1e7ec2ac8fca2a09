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
            out.append(Finding(.rolesGuessed(guesses: bundle.roleGuesses)))
            return out
        }
        if m.format != "ecocredit-submission/1" {
            out.append(Finding(.manifestFormat(found: m.format), layer: "submission.json"))
        }
        for k in m.unknownKeys {
            out.append(Finding(.manifestUnknownKey(key: k), layer: "submission.json"))
        }
        for e in m.layers where !SubmissionBundle.roles.contains(e.role) {
            out.append(Finding(.roleUnknown(role: e.role), role: e.role, layer: e.path))
        }
        if let kind = m.kind, let k = vocabulary.kinds[kind] {
            let present = Set(bundle.entries.map(\.role))
            for role in k.required where !present.contains(role) {
                out.append(Finding(.requiredRoleMissing(kind: kind, role: role), role: role))
            }
        } else {
            out.append(Finding(.kindUnknown(kind: m.kind ?? "", known: vocabulary.kinds.keys.sorted())))
        }
        if let d = m.checkDate, CivilDate(d) == nil {
            out.append(Finding(.checkDateInvalid(value: d), layer: "submission.json"))
        }
        for e in bundle.entries where e.role == "dated_shorelines" {
            if e.date.flatMap(CivilDate.init) == nil {
                out.append(Finding(.datedShorelineDateInvalid(file: e.path, date: e.date), role: e.role, layer: e.path))
            }
        }
        return out
    }

    /// The finding for an error that stopped a layer (or the bundle) from being read.
    static func finding(for error: Error, role: String?, root: String) -> Finding {
        switch error {
        case let GeoError.io(code, file, record, field, detail):
            return Finding(.fileUnreadable(code: code, record: record, field: field, detail: detail), role: role,
                           layer: relativePath(file, root: root), featureIndex: record)
        case let e as SubmissionError:
            var layer: String? = nil
            if case let .layerMissing(_, p) = e { layer = relativePath(p, root: root) }
            if case let .archive(_, p, entry, _) = e { layer = entry ?? p }
            return Finding(.bundleProblem(e), role: role, layer: layer)
        default:
            return Finding(.readFailed(detail: "\(error)"), role: role)
        }
    }

    /// How the attribute text was decoded: detected without a declaration, or from the DBF's code-page byte.
    static func encoding(_ layer: VectorLayer, role: String, root: String) -> [Finding] {
        guard let e = layer.encoding else { return [] }
        let file = relativePath(layer.path, root: root)
        switch e.source {
        case .detected:
            return [Finding(.encodingDetected(encoding: e.encoding.rawValue), role: role, layer: file)]
        case .languageDriver:
            return [Finding(.encodingCodePageByte(declared: e.declared ?? "", encoding: e.encoding.rawValue), role: role, layer: file)]
        case .cpg, .asciiOnly:
            return []
        }
    }
}
