import GeoCore
import Measure
import Submission

/// Every parameter default of measurement-methods §1–§8, by the name the outputs print, with
/// the manifest's `parameters` applied on top. Unknown names are kept as notes, never fatal.
public struct MeasureParameters: Sendable, Equatable {
    /// Name → value, as used. `intersectionRule` is kept separately (it is a word).
    public private(set) var values: [String: Double]
    public private(set) var intersectionRule: IntersectionRule
    /// Names the manifest set (printed as "set by the submission").
    public private(set) var overridden: Set<String>
    public private(set) var notes: [String] = []

    /// Defaults; the mudflat's transects reach 1000 m (§4).
    public static func defaults(kind: String?) -> [String: Double] {
        [
            "transectSpacing_m": 10, "transectHalfLength_m": kind == "mudflat" ? 1000 : 250, "smoothingWindow_m": 50,
            "sliverArea_m2": 1, "areaWidthFlag": 0.2, "dikeBuffer_m": 0.5, "shorelineUncertainty_m": 0,
            "inscribedCircleTolerance_m": 0.1, "inscribedCircleFlag": 0.05,
            // Positional accuracy (1σ, m) of surveyed boundaries, for the uncertainty of widths, areas and fractions.
            "positionalAccuracy_m": 0.05,
        ]
    }

    public init(kind: String?, manifest: Manifest?) {
        values = MeasureParameters.defaults(kind: kind)
        intersectionRule = .closest
        overridden = []
        for (k, v) in manifest?.parameters ?? [:] {
            if values[k] != nil { values[k] = v; overridden.insert(k) }
            else { notes.append("parameter \(k) is not one of the measurement parameters; ignored") }
        }
        if let r = manifest?.raw.objectValue?["parameters"]?.objectValue?["intersectionRule"]?.stringValue {
            if let rule = IntersectionRule(rawValue: r) { intersectionRule = rule; overridden.insert("intersectionRule") }
            else { notes.append("intersectionRule \(r) is not one of \(IntersectionRule.allCases.map(\.rawValue).joined(separator: ", ")); closest used") }
        }
    }

    public subscript(_ name: String) -> Double { values[name] ?? .nan }

    public var transect: TransectParameters {
        TransectParameters(spacing: self["transectSpacing_m"], halfLength: self["transectHalfLength_m"], smoothingWindow: self["smoothingWindow_m"])
    }
}
