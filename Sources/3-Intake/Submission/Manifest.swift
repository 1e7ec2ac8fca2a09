import Foundation
import GeoCore
import Rules

/// The `submission.json` of a bundle (`ecocredit-submission/1`, see
/// shared/spec/submission-format.md). Unknown keys are kept in `unknownKeys` to be reported,
/// never fatal.
public struct Manifest: Sendable {
    public var format: String
    public var projectId: String?
    public var projectName: String?
    /// `shanwei-coastline` or `jiangyin-eco-voucher`.
    public var rule: String?
    /// `beach`, `mudflat`, `mangrove`, `eco-seawall`, `dike-removal`, `restoration-parcels`, `land-supply`.
    public var kind: String?
    public var district: String?
    public var checkDate: String?
    /// A CRS definition ("EPSG:4490") for layers without `.prj`.
    public var crs: String?
    /// Role → layer files (dated shorelines carry a date each).
    public var layers: [LayerEntry]
    /// `role.meaning` → attribute name.
    public var fields: [String: String]
    /// Declared facts, as JSON values.
    public var declared: [String: JSONValue]
    /// Parameter overrides by name (`transectSpacing_m`, …).
    public var parameters: [String: Double]
    public var unknownKeys: [String]
    /// The whole document, for keys the later stages read (`values`, `rulebook`, `project.funding`).
    public var raw: JSONValue

    public struct LayerEntry: Sendable, Equatable {
        public var role: String
        public var path: String
        public var date: String?
    }

    static let knownKeys: Set<String> = ["format", "project", "checkDate", "crs", "layers", "fields", "values", "declared", "parameters", "rulebook"]

    /// Decodes and validates a manifest: every key's JSON type, the rule, and every parameter
    /// against `ParameterTable` (name, type, range). A value of the wrong type is an error naming
    /// its key (`MANIFEST.TYPE`), never read as if the key were absent.
    public static func parse(_ data: Data, path: String) throws -> Manifest {
        let value: JSONValue
        do { value = try JSONValue.parse(data) }
        catch { throw SubmissionError.manifestInvalid(path: path, detail: "not valid JSON: \(JSONSyntax.problem(in: data) ?? RulesError.describe(error))") }
        guard case .object(let o) = value else { throw SubmissionError.manifestInvalid(path: path, detail: "the top level must be an object") }
        func wrong(_ key: String, _ expected: String) -> SubmissionError {
            .manifestValue(code: .type, path: path, key: key, detail: "must be \(expected)")
        }
        func string(_ v: JSONValue?, _ key: String) throws -> String? {
            switch v {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw wrong(key, "a string")
            }
        }
        func object(_ v: JSONValue?, _ key: String) throws -> [String: JSONValue] {
            switch v {
            case nil, .null?: return [:]
            case .object(let o)?: return o
            default: throw wrong(key, "an object")
            }
        }
        let project = try object(o["project"], "project")
        let rule = try string(project["rule"], "project.rule")
        if let rule, RuleId(rawValue: rule) == nil {
            throw SubmissionError.manifestValue(code: .ruleUnknown, path: path, key: "project.rule",
                                                detail: "\"\(rule)\" is not one of \(RuleId.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var layers: [LayerEntry] = []
        for (role, entry) in try object(o["layers"], "layers").sorted(by: { $0.key < $1.key }) {
            switch entry {
            case .string(let p): layers.append(LayerEntry(role: role, path: p, date: nil))
            case .array(let items):
                for (i, item) in items.enumerated() {
                    if let p = item.stringValue { layers.append(LayerEntry(role: role, path: p, date: nil)); continue }
                    guard let p = item.objectValue?["path"]?.stringValue else {
                        throw wrong("layers.\(role)[\(i)]", "a path or {\"path\": …, \"date\": …}")
                    }
                    layers.append(LayerEntry(role: role, path: p, date: try string(item.objectValue?["date"], "layers.\(role)[\(i)].date")))
                }
            case .null: continue
            default: throw wrong("layers.\(role)", "a path or a list of {path, date}")
            }
        }
        var fields: [String: String] = [:]
        for (k, v) in try object(o["fields"], "fields") { fields[k] = try string(v, "fields.\(k)") }
        for (k, v) in try object(o["values"], "values") {
            guard let a = v.arrayValue, a.allSatisfy({ $0.stringValue != nil }) else { throw wrong("values.\(k)", "a list of strings") }
        }
        var parameters: [String: Double] = [:]
        for (k, v) in try object(o["parameters"], "parameters").sorted(by: { $0.key < $1.key }) {
            let key = "parameters.\(k)"
            if let words = ParameterTable.words[k] {
                guard let w = v.stringValue else { throw wrong(key, "one of \(words.joined(separator: ", "))") }
                guard words.contains(w) else {
                    throw SubmissionError.manifestValue(code: .parameterRange, path: path, key: key, detail: "\"\(w)\" is not one of \(words.joined(separator: ", "))")
                }
                continue
            }
            guard let spec = ParameterTable.spec(k) else {
                throw SubmissionError.manifestValue(code: .parameterUnknown, path: path, key: key,
                                                    detail: "not a measurement parameter (known: \((ParameterTable.numeric.map(\.name) + ParameterTable.words.keys.sorted()).joined(separator: ", ")))")
            }
            guard let d = v.doubleValue else { throw wrong(key, "a number (\(spec.unit))") }
            guard d.isFinite, spec.range.contains(d) else {
                throw SubmissionError.manifestValue(code: .parameterRange, path: path, key: key,
                                                    detail: "\(d) \(spec.unit) is outside \(spec.range.lowerBound)…\(spec.range.upperBound) \(spec.unit)")
            }
            parameters[k] = d
        }
        if let r = o["rulebook"], r != .null, r.objectValue == nil { throw wrong("rulebook", "an object") }
        return Manifest(
            format: try string(o["format"], "format") ?? "",
            projectId: try string(project["id"], "project.id"), projectName: try string(project["name"], "project.name"),
            rule: rule, kind: try string(project["kind"], "project.kind"),
            district: try string(project["district"], "project.district"), checkDate: try string(o["checkDate"], "checkDate"),
            crs: try string(o["crs"], "crs"), layers: layers, fields: fields,
            declared: try object(o["declared"], "declared"), parameters: parameters,
            unknownKeys: o.keys.filter { !knownKeys.contains($0) }.sorted(), raw: value)
    }

    /// The rule, typed (validated when the manifest was parsed).
    public var ruleId: RuleId? { rule.flatMap(RuleId.init(rawValue:)) }
    /// The what-if override of rulebook tables, when the manifest has one.
    public var rulebookOverride: JSONValue? { raw.objectValue?["rulebook"].flatMap { $0 == .null ? nil : $0 } }
    /// A word-valued parameter as set (validated against `ParameterTable.words`).
    public func wordParameter(_ name: String) -> String? { raw.objectValue?["parameters"]?.objectValue?[name]?.stringValue }
}

/// Problems with a bundle as a whole (before any layer is read).
public enum SubmissionError: CodedError, Sendable {
    case notFound(path: String)
    /// Something is at `path` but it is neither a folder nor a `.zip` (`what`: "a file", "a
    /// device or other special file"): a shapefile or another archive given for its bundle.
    case notABundle(path: String, what: Bilingual)
    case manifestInvalid(path: String, detail: String)
    case noLayers(path: String)
    case layerMissing(role: String, path: String)
    case crsUnusable(layer: String, detail: String)
    /// A manifest value of the wrong type, an unknown rule or parameter, or a parameter out of range.
    case manifestValue(code: ManifestCode, path: String, key: String, detail: String)
    /// A layer path that leaves the bundle (`..`, an absolute path, or a symbolic link resolving outside it).
    case pathOutside(role: String, path: String)

    public enum ManifestCode: String, Sendable, CaseIterable {
        case type = "MANIFEST.TYPE"
        case ruleUnknown = "MANIFEST.RULE_UNKNOWN"
        case parameterUnknown = "MANIFEST.PARAMETER_UNKNOWN"
        case parameterRange = "MANIFEST.PARAMETER_RANGE"
    }
    /// A zipped bundle that cannot be unpacked safely.
    case archive(code: ArchiveCode, path: String, entry: String?, detail: String)

    public enum ArchiveCode: String, Sendable, CaseIterable {
        case unreadable = "ZIP.UNREADABLE"
        case unsafePath = "ZIP.UNSAFE_PATH"
        case symlink = "ZIP.SYMLINK"
        case tooManyEntries = "ZIP.TOO_MANY_ENTRIES"
        case tooLarge = "ZIP.TOO_LARGE"
        case compressionRatio = "ZIP.COMPRESSION_RATIO"
        case sizeMismatch = "ZIP.SIZE_MISMATCH"
        case crcMismatch = "ZIP.CRC_MISMATCH"
    }
    /// The folder a zip would be unpacked into cannot be made in `folder` (the temporary folder
    /// is missing, not a folder, or not writable; `detail`: the system's reason): the machine's
    /// problem, not the zip's. Nothing was read.
    case scratchUnwritable(path: String, folder: String, detail: String)

    public var code: String {
        switch self {
        case .archive(let c, _, _, _): return c.rawValue
        case .notFound: return "BUNDLE.NOT_FOUND"
        case .notABundle: return "BUNDLE.NOT_A_BUNDLE"
        case .manifestInvalid: return "BUNDLE.MANIFEST_INVALID"
        case .noLayers: return "BUNDLE.NO_LAYERS"
        case .layerMissing: return "BUNDLE.LAYER_MISSING"
        case .crsUnusable: return "CRS.NOT_CGCS2000"   // the code verification reports for it
        case .manifestValue(let c, _, _, _): return c.rawValue
        case .pathOutside: return "BUNDLE.PATH_OUTSIDE"
        case .scratchUnwritable: return "ZIP.SCRATCH_UNWRITABLE"
        }
    }
    /// The message in both languages; verification reports it as the finding's message.
    public var message: Bilingual {
        func role(_ r: String) -> String { LayerRole(rawValue: r)?.name.zh ?? r }
        switch self {
        case .notFound(let p):
            return .init(zh: "“\(p)”：没有这个目录或文件", en: "\(p): no such folder or file")
        case let .notABundle(p, what):
            return .init(zh: "“\(p)”是\(what.zh)，不是提交包的目录，也不是提交包的 .zip 压缩文件",
                         en: "\(p) is \(what.en), neither a bundle folder nor a .zip of one")
        case let .manifestInvalid(p, d):
            return .init(zh: "“\(p)”：submission.json 无法读取；原因见英文信息", en: "\(p): \(d)")
        case .noLayers(let p):
            return .init(zh: "“\(p)”：没有找到图层", en: "\(p): no layers found")
        case let .layerMissing(r, p):
            return .init(zh: "“\(role(r))”图层在“\(p)”处不存在", en: "layer for role \(r) not found at \(p)")
        case let .crsUnusable(layer, d):
            return .init(zh: "“\(layer)”：坐标系不能使用；原因见英文信息", en: "\(layer): \(d)")
        case let .manifestValue(c, p, key, d):
            let what: String
            switch c {
            case .type: what = "取值类型不对"
            case .ruleUnknown: what = "不是已知的规则"
            case .parameterUnknown: what = "不是量算参数"
            case .parameterRange: what = "超出允许范围"
            }
            return .init(zh: "“\(p)”：“\(key)”\(what)；允许的取值见英文信息", en: "\(p): \(key) \(d)")
        case let .pathOutside(r, p):
            return .init(zh: "“\(role(r))”图层的路径“\(p)”在提交目录之外（路径必须在目录之内，符号链接也不例外）",
                         en: "layer \(r): \(p) lies outside the bundle (paths must stay inside the bundle folder, symbolic links included)")
        case let .scratchUnwritable(p, folder, d):
            return .init(zh: "“\(p)”：无法在临时目录“\(folder)”中解压（该目录不存在、不是目录或不可写；系统原因见英文信息）；请把 TMPDIR 设为可写的目录",
                         en: "\(p): cannot unpack into the temporary folder \(folder): \(d) (set TMPDIR to a writable folder)")
        case let .archive(c, p, entry, d):
            let titles: [ArchiveCode: String] = [
                .unreadable: "压缩包无法读取", .unsafePath: "压缩包内的路径不安全", .symlink: "压缩包含符号链接",
                .tooManyEntries: "压缩包文件过多", .tooLarge: "解压后过大", .compressionRatio: "压缩比异常（可能是压缩炸弹）",
                .sizeMismatch: "解压大小与声明不符", .crcMismatch: "校验和（CRC-32）不符",
            ]
            return .init(zh: "“\(p)”\(entry.map { " → “\($0)”" } ?? "")：\(titles[c] ?? c.rawValue)",
                         en: "\(p)\(entry.map { " → " + $0 } ?? ""): \(d)")
        }
    }
}
