import GeoCore

/// One reported value and everything it carries (measurement-methods §9): unit, method and
/// parameters, the layers and feature ids used, the working CRS, the geodesic cross-check where
/// one applies, and the rule article it serves. `declared` values were stated, not measured.
public struct MeasuredValue: Sendable, Equatable, Codable {
    /// Stable key ("beach.qualifyingLength_m"); with an index for per-segment values.
    public var id: String
    public var label: String
    public var value: Double
    /// "m", "m²", "mu", "ratio", "m/yr", "days", "count", "unit" (vouchers).
    public var unit: String
    /// Section of measurement-methods and a short description.
    public var method: String
    public var parameters: [String: Double]
    public var layers: [String]
    public var featureIds: [String]
    public var crs: String
    /// The same quantity on the CGCS2000 ellipsoid, and (planar − geodesic) / geodesic.
    public var geodesic: Double?
    public var relativeDifference: Double?
    public var article: String
    public var declared: Bool
    /// ± uncertainty in the value's unit (from the station spacing or the positional accuracy of
    /// the boundaries, see `MeasureParameters`); nil where none is modelled. A verdict is
    /// indeterminate when the threshold lies within it.
    public var uncertainty: Double?

    public init(id: String, label: String, value: Double, unit: String, method: String, parameters: [String: Double] = [:],
                layers: [String], featureIds: [String] = [], crs: String, geodesic: Double? = nil, article: String, declared: Bool = false,
                uncertainty: Double? = nil) {
        self.id = id; self.label = label; self.value = value; self.unit = unit; self.method = method
        self.parameters = parameters; self.layers = layers; self.featureIds = featureIds; self.crs = crs
        self.geodesic = geodesic
        self.relativeDifference = geodesic.flatMap { $0 != 0 ? (value - $0) / $0 : nil }
        self.article = article; self.declared = declared; self.uncertainty = uncertainty
    }
}
