/// Every measurement parameter a manifest may set (`parameters` in submission.json): its unit,
/// default, the range it must lie in, and what it means. The one table of them: manifest
/// decoding validates against it, measuring reads its defaults from it, the README lists it.
///
/// The ranges keep every workload finite and every arithmetic step in range: a spacing of 0,
/// a half-length of 1e308 or a negative smoothing window is refused before anything runs.
public struct ParameterSpec: Sendable, Equatable {
    public var name: String
    public var unit: String
    public var defaultValue: Double
    /// The default for mudflats where it differs (§4: transects reach 1000 m).
    public var mudflatDefault: Double?
    public var range: ClosedRange<Double>
    public var meaning: String

    public func defaultValue(kind: String?) -> Double { kind == "mudflat" ? mudflatDefault ?? defaultValue : defaultValue }
}

public enum ParameterTable {
    public static let numeric: [ParameterSpec] = [
        .init(name: "transectSpacing_m", unit: "m", defaultValue: 10, range: 0.5...1000, meaning: "§1 spacing of transects along the baseline"),
        .init(name: "transectHalfLength_m", unit: "m", defaultValue: 250, mudflatDefault: 1000, range: 1...5000, meaning: "§1 half-length h of each transect"),
        .init(name: "smoothingWindow_m", unit: "m", defaultValue: 50, range: 0...5000, meaning: "§1 baseline smoothing window for transect directions"),
        .init(name: "sliverArea_m2", unit: "m²", defaultValue: 1, range: 0...10_000, meaning: "§8 polygons smaller than this are slivers"),
        .init(name: "areaWidthFlag", unit: "ratio", defaultValue: 0.2, range: 0...10, meaning: "§2 flag when area width and transect mean differ by more"),
        .init(name: "dikeBuffer_m", unit: "m", defaultValue: 0.5, range: 0...100, meaning: "§7 buffer matching remaining dike to the original"),
        .init(name: "shorelineUncertainty_m", unit: "m", defaultValue: 0, range: 0...1000, meaning: "§3 positional uncertainty of dated shorelines"),
        .init(name: "inscribedCircleTolerance_m", unit: "m", defaultValue: 0.1, range: 0.001...100, meaning: "§2 tolerance of the largest inscribed circle"),
        .init(name: "inscribedCircleFlag", unit: "ratio", defaultValue: 0.05, range: 0...10, meaning: "§2 flag when mean width exceeds the inscribed diameter by more"),
        .init(name: "positionalAccuracy_m", unit: "m", defaultValue: 0.05, range: 0...100, meaning: "1σ positional accuracy of surveyed boundaries"),
    ]
    /// Parameters whose value is a word, with the words allowed (the first is the default).
    public static let words: [String: [String]] = ["intersectionRule": ["closest", "seaward", "landward", "farthest"]]

    public static func spec(_ name: String) -> ParameterSpec? { numeric.first { $0.name == name } }

    /// The most transects one run may cast (baseline length ÷ spacing): larger workloads are
    /// refused up front (`MEASURE.WORKLOAD_TOO_LARGE`), not attempted. 5 million transects is
    /// 50 000 km at the default spacing.
    public static let maxTransects = 5_000_000
}
