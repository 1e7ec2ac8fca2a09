import Foundation
import GeoCore

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

    /// Parameters whose value is a word, not a number.
    public static let wordParameters: Set<String> = ["intersectionRule"]

    static let knownKeys: Set<String> = ["format", "project", "checkDate", "crs", "layers", "fields", "values", "declared", "parameters", "rulebook"]

    public static func parse(_ data: Data, path: String) throws -> Manifest {
        let value: JSONValue
        do { value = try JSONValue.parse(data) }
        catch { throw SubmissionError.manifestInvalid(path: path, detail: "not valid JSON: \(error)") }
        guard case .object(let o) = value else { throw SubmissionError.manifestInvalid(path: path, detail: "the top level must be an object") }
        let project = o["project"]?.objectValue ?? [:]
        var layers: [LayerEntry] = []
        for (role, entry) in (o["layers"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            switch entry {
            case .string(let p): layers.append(LayerEntry(role: role, path: p, date: nil))
            case .array(let items):
                for item in items {
                    if let p = item.stringValue { layers.append(LayerEntry(role: role, path: p, date: nil)); continue }
                    guard let p = item.objectValue?["path"]?.stringValue else {
                        throw SubmissionError.manifestInvalid(path: path, detail: "layers.\(role): each entry needs a \"path\"")
                    }
                    layers.append(LayerEntry(role: role, path: p, date: item.objectValue?["date"]?.stringValue))
                }
            case .null: continue
            default: throw SubmissionError.manifestInvalid(path: path, detail: "layers.\(role) must be a path or a list of {path, date}")
            }
        }
        var parameters: [String: Double] = [:]
        for (k, v) in o["parameters"]?.objectValue ?? [:] {
            // Numbers here; the word-valued ones are read from `raw` by the stage that uses them.
            if case .string = v, wordParameters.contains(k) { continue }
            guard let d = v.doubleValue else { throw SubmissionError.manifestInvalid(path: path, detail: "parameters.\(k) must be a number") }
            parameters[k] = d
        }
        return Manifest(
            format: o["format"]?.stringValue ?? "",
            projectId: project["id"]?.stringValue, projectName: project["name"]?.stringValue,
            rule: project["rule"]?.stringValue, kind: project["kind"]?.stringValue,
            district: project["district"]?.stringValue, checkDate: o["checkDate"]?.stringValue,
            crs: o["crs"]?.stringValue, layers: layers,
            fields: (o["fields"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
            declared: o["declared"]?.objectValue ?? [:], parameters: parameters,
            unknownKeys: o.keys.filter { !knownKeys.contains($0) }.sorted(), raw: value)
    }
}

/// Problems with a bundle as a whole (before any layer is read).
public enum SubmissionError: Error, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case manifestInvalid(path: String, detail: String)
    case noLayers(path: String)
    case layerMissing(role: String, path: String)
    case crsUnusable(layer: String, detail: String)
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
    }

    public var code: String {
        switch self {
        case .archive(let c, _, _, _): return c.rawValue
        case .notFound: return "BUNDLE.NOT_FOUND"
        case .manifestInvalid: return "BUNDLE.MANIFEST_INVALID"
        case .noLayers: return "BUNDLE.NO_LAYERS"
        case .layerMissing: return "BUNDLE.LAYER_MISSING"
        case .crsUnusable: return "CRS.UNUSABLE"
        }
    }
    public var description: String {
        switch self {
        case .notFound(let p): return "[\(code)] \(p): no such folder or file"
        case let .manifestInvalid(p, d): return "[\(code)] \(p): \(d)"
        case .noLayers(let p): return "[\(code)] \(p): no layers found"
        case let .layerMissing(role, p): return "[\(code)] layer for role \(role) not found at \(p)"
        case let .crsUnusable(layer, d): return "[\(code)] \(layer): \(d)"
        case let .archive(_, p, entry, d): return "[\(code)] \(p)\(entry.map { " → " + $0 } ?? ""): \(d)"
        }
    }
}
