import GeoCore
import Measure

/// Everything `ecocredit measure` computed for one bundle: the values (§9), and the detail the
/// files beside them carry (transects, segments, shoreline change, parcels).
public struct MeasurementReport: Sendable {
    public struct TransectRow: Sendable, Equatable {
        /// Which baseline ("shoreline", "seawall_line") and which feature role was measured.
        public var baseline: String
        public var feature: String
        public var transect: Transect
        public var width: Double
        public var truncated: Bool
        /// Index of the run (segment) the station belongs to, when w_i > 0.
        public var run: Int?
        /// Seaward change earliest → latest shoreline (m) and the end-point rate (m/yr), when measured.
        public var change: TransectChange? {
            get { changeStorage.first }
            set { changeStorage = newValue.map { [$0] } ?? [] }
        }
        /// `change` kept out of line (an array of none or one): a row is ≈ 150 bytes instead of
        /// ≈ 330 with the ≈ 180-byte record inline, and most bundles measure no change — 100 000
        /// rows were 18 MB more memory to fill, copy and page in for nothing.
        private var changeStorage: [TransectChange]

        public init(baseline: String, feature: String, transect: Transect, width: Double, truncated: Bool, run: Int?, change: TransectChange?) {
            self.baseline = baseline; self.feature = feature; self.transect = transect; self.width = width
            self.truncated = truncated; self.run = run; self.changeStorage = change.map { [$0] } ?? []
        }
    }
    public struct Segment: Sendable, Equatable {
        public var index: Int
        public var part: Int
        public var from_m: Double, to_m: Double
        public var length_m: Double
        public var statistics: WidthStatistics
        public var qualifies: Bool?
        public var lengthShortfall_m: Double?, widthShortfall_m: Double?
        /// Diameter of an inscribed circle of the feature parts near the run (a bound on width), and
        /// whether the transect mean exceeds the largest one by more than `inscribedCircleFlag`.
        /// When `inscribedIsMaximum`, the largest inscribed circle (GEOS, within
        /// `inscribedCircleTolerance_m`); otherwise a circle found on the run's transects that
        /// already shows the mean is not above the bound (the largest is at least this wide).
        public var inscribedDiameter_m: Double?
        public var inscribedIsMaximum: Bool = true
        public var estimatorsDisagree: Bool
    }
    public struct ParcelResult: Sendable, Equatable {
        public var id: String
        public var index: Int
        public var area_m2: Double
        public var before: [String: Double]
        public var after: [String: Double]
        public var slivers: Int
        public var vouchers: CreditQuantity?
        public var vouchersRequired: CreditQuantity?
        public var constructionShare: Double?
        /// Exclusion layer → overlap area (m²), a point in it and its bounding box (working CRS).
        public var exclusions: [String: Overlap]
        public var homestead: Bool
        public var exitAgreementDeclared: Bool
    }
    public struct Overlap: Sendable, Equatable {
        public var area_m2: Double
        public var point: XY?
        public var bbox: Envelope?
    }

    public var bundle: String
    public var projectId: String?
    public var rule: String?
    public var kind: String?
    public var checkDate: String?
    public var workingCRS: String
    public var workingCRSReason: String
    public var rulebook: String
    /// How every value's geodesic cross-check was computed (§0).
    public var geodesicMethod: String = GeodesicCheck.method
    public var parameters: MeasureParameters
    public var values: [MeasuredValue] = []
    public var transects: [TransectRow] = []
    public var segments: [Segment] = []
    /// Crossing transects, summarised (measurements.json) and listed as runs (crossings.csv).
    public var crossings = Crossings()
    public var suggestedSmoothingWindow_m: Double?
    public var shorelineChange: ShorelineChange?
    public var seaSide: String?
    public var seaSideSource: String?
    public var parcels: [ParcelResult] = []
    public var coefficientTable: String?
    /// True when the coefficient table used is an example (`example: true` in the rulebook):
    /// voucher quantities computed with it are never official.
    public var coefficientTableIsExample = false
    /// True when the rulebook carried a submission's what-if override (`Rulebook.whatIf`).
    public var whatIf = false
    /// Facts stated in the manifest, shown as declared, not measured.
    public var declared: [String: String] = [:]
    public var notes: [String] = []

    public init(bundle: String, projectId: String?, rule: String?, kind: String?, checkDate: String?, workingCRS: String,
                workingCRSReason: String, rulebook: String, parameters: MeasureParameters) {
        self.bundle = bundle; self.projectId = projectId; self.rule = rule; self.kind = kind; self.checkDate = checkDate
        self.workingCRS = workingCRS; self.workingCRSReason = workingCRSReason; self.rulebook = rulebook; self.parameters = parameters
    }

    /// The value with this id, if measured.
    public func value(_ id: String) -> MeasuredValue? { values.first { $0.id == id } }
}

extension MeasurementReport {
    /// Transects that cross on tight bends of the baseline, found once (`TransectCrossings`).
    /// `measurements.json` holds the summary — how many pairs and transects, the stretches of
    /// baseline they span — and `crossings.csv` every crossing as runs: the transect at
    /// (`part`, `station`) crosses each of the stations `firstStation…lastStation` of its part.
    public struct Crossings: Sendable, Equatable {
        public struct Row: Sendable, Equatable {
            public var part: Int, station: Int, firstStation: Int, lastStation: Int
            public var pairs: Int { lastStation - firstStation + 1 }
        }
        /// The baseline role the transects stand on ("shoreline"); nil when none was measured.
        public var baseline: String?
        public var pairs = 0
        /// Transects in at least one crossing.
        public var transects = 0
        public var stretches: [TransectCrossings.Stretch] = []
        public var rows: [Row] = []
        public init() {}
    }
}
