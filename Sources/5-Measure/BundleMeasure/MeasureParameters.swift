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

    /// Defaults (`ParameterTable`); the mudflat's transects reach 1000 m (§4).
    public static func defaults(kind: String?) -> [String: Double] {
        Dictionary(uniqueKeysWithValues: ParameterTable.numeric.map { ($0.name, $0.defaultValue(kind: kind)) })
    }

    /// The defaults with the manifest's values on top. The manifest was validated against
    /// `ParameterTable` when it was decoded (names, types, ranges), so every name here is known.
    public init(kind: String?, manifest: Manifest?) {
        values = MeasureParameters.defaults(kind: kind)
        intersectionRule = .closest
        overridden = []
        for (k, v) in manifest?.parameters ?? [:] where values[k] != nil { values[k] = v; overridden.insert(k) }
        if let r = manifest?.wordParameter("intersectionRule"), let rule = IntersectionRule(rawValue: r) {
            intersectionRule = rule; overridden.insert("intersectionRule")
        }
    }

    /// A parameter's value; every name `ParameterTable` lists has one.
    public subscript(_ name: String) -> Double {
        guard let v = values[name] else { preconditionFailure("\(name) is not in ParameterTable") }
        return v
    }
    public var transect: TransectParameters {
        TransectParameters(spacing: self["transectSpacing_m"], halfLength: self["transectHalfLength_m"], smoothingWindow: self["smoothingWindow_m"])
    }
}
