import Foundation
import GeoCore
import GeometryAlgorithms
import Measure
import Rules
import Submission

/// Measures a bundle read into one working CRS: dispatches on the project's kind to the
/// sections of measurement-methods, and records every value with what §9 asks it to carry.
/// The arithmetic is in `Measure`; this layer picks layers, fields, parameters and articles.
public enum BundleMeasurer {
    /// Called with (done, total) while transects are measured.
    public typealias Progress = (Int, Int) -> Void
    /// Called with the name of each step of measuring as it ends (`--timings`).
    public typealias Step = (String) -> Void

    /// `maxTransects`: the largest workload one run may take (`ParameterTable.maxTransects`; the
    /// fuzzer passes a smaller one so that it explores logic, not scale). `validPolygons`: every
    /// polygon of `set` is known valid to GEOS — the pipeline measures only a set verification
    /// passed, and `GEOM.INVALID` is an error there — so the dissolve need not ask again.
    public static func measure(_ set: LayerSet, rulebook: Rulebook, vocabulary: Vocabulary, geos: GEOSContext, proj: ProjContext,
                               progress: Progress? = nil, step: Step? = nil, maxTransects: Int = ParameterTable.maxTransects,
                               validPolygons: Bool = false) throws -> MeasurementReport {
        let m = set.bundle.manifest
        let kind = m?.kind ?? inferKind(set, vocabulary: vocabulary)
        var ctx = try MeasureContext(set: set, rulebook: rulebook, vocabulary: vocabulary, geos: geos, proj: proj, maxTransects: maxTransects,
                                     parameters: MeasureParameters(kind: kind, manifest: m), progress: progress)
        ctx.step = step
        ctx.validPolygons = validPolygons
        ctx.report.kind = kind
        for (k, v) in (m?.declared ?? [:]).sorted(by: { $0.key < $1.key }) { ctx.report.declared[k] = v.displayText }
        switch kind {
        case "beach": try ctx.beach()
        case "mudflat": try ctx.mudflat()
        case "mangrove": try ctx.mangrove()
        case "eco-seawall": try ctx.seawall()
        case "dike-removal": try ctx.dike()
        case "restoration-parcels": try ctx.parcels(supply: false)
        case "land-supply": try ctx.parcels(supply: true)
        default: ctx.report.notes.append("kind \(kind ?? "none") is not one EcoCredit measures; only layer sizes are reported")
        }
        ctx.step?("kind-specific values")
        try ctx.layerSizes()
        ctx.step?("layer sizes and their geodesic check")
        return ctx.report
    }

    /// §8 geometry alone — land-class areas and eligibility overlaps of every parcel, without the
    /// report — for benchmarks that compare this computation with others'.
    public static func parcelFacts(_ set: LayerSet, rulebook: Rulebook, vocabulary: Vocabulary, geos: GEOSContext, proj: ProjContext) throws -> [ParcelOverlay.Facts] {
        let kind = set.bundle.manifest?.kind ?? inferKind(set, vocabulary: vocabulary)
        let ctx = try MeasureContext(set: set, rulebook: rulebook, vocabulary: vocabulary, geos: geos, proj: proj,
                                     parameters: MeasureParameters(kind: kind, manifest: set.bundle.manifest), progress: nil)
        return try ctx.parcelFacts(supply: kind == "land-supply")
    }

    /// Without a manifest: the kind whose required layers (the vocabulary's table, the one home
    /// of kind → roles) are all present; the kind needing the most layers wins, then
    /// `SubmissionKind`'s order.
    static func inferKind(_ set: LayerSet, vocabulary: Vocabulary) -> String? {
        let roles = Set(set.layers.map(\.role))
        let candidates = SubmissionKind.allCases.compactMap { k -> (SubmissionKind, Int)? in
            guard let need = vocabulary.kinds[k.rawValue]?.required, need.allSatisfy(roles.contains) else { return nil }
            return (k, need.count)
        }
        return candidates.max { a, b in a.1 != b.1 ? a.1 < b.1 : SubmissionKind.allCases.firstIndex(of: a.0)! > SubmissionKind.allCases.firstIndex(of: b.0)! }?.0.rawValue
    }
}

/// Why a bundle that verified cannot be measured. Each case has a stable code.
public enum MeasureError: CodedError, Sendable {
    /// The rulebook lacks a threshold measuring needs (the segment flags of SW Art. 19(1)).
    case thresholdMissing(key: String, rulebook: String)
    /// The parameters would make more work than one run may do (`ParameterTable.maxTransects`).
    case workloadTooLarge(detail: String)

    public var code: String {
        switch self {
        case .thresholdMissing: return "RULES.THRESHOLD_MISSING"
        case .workloadTooLarge: return "MEASURE.WORKLOAD_TOO_LARGE"
        }
    }
    public var message: Bilingual {
        switch self {
        case let .thresholdMissing(key, book):
            return .init(zh: "规则库“\(book)”缺少量算所需的阈值“\(key)”", en: "rulebook \(book) has no threshold \(key)")
        case .workloadTooLarge(let d):
            return .init(zh: "参数使工作量超出单次运行的上限，未量算；数量见英文信息", en: d)
        }
    }
}

extension JSONValue {
    /// Short text of a declared value for reports.
    var displayText: String {
        switch self {
        case .string(let s): return s
        case .number(let d): return String(d)
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .array(let a): return a.map(\.displayText).joined(separator: ", ")
        case .object(let o): return o.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.displayText)" }.joined(separator: "; ")
        case .null: return ""
        }
    }
}

/// The state of one measuring run.
struct MeasureContext {
    let set: LayerSet
    let rulebook: Rulebook
    let vocabulary: Vocabulary
    let geos: GEOSContext
    let proj: ProjContext
    let params: MeasureParameters
    let geodesic: GeodesicCheck
    let progress: BundleMeasurer.Progress?
    /// Names each step as it ends (`--timings`).
    var step: BundleMeasurer.Step? = nil
    /// The most transects one baseline may need.
    var maxTransects = ParameterTable.maxTransects
    /// Every polygon known valid to GEOS (`BundleMeasurer.measure`'s `validPolygons`).
    var validPolygons = false
    let roleFiles: [String: [String]]
    var report: MeasurementReport

    init(set: LayerSet, rulebook: Rulebook, vocabulary: Vocabulary, geos: GEOSContext, proj: ProjContext, maxTransects: Int = ParameterTable.maxTransects,
         parameters: MeasureParameters, progress: BundleMeasurer.Progress?) throws {
        self.set = set; self.rulebook = rulebook; self.vocabulary = vocabulary; self.geos = geos; self.proj = proj
        self.params = parameters; self.progress = progress; self.maxTransects = maxTransects
        geodesic = try GeodesicCheck(working: set.workingCRS, proj: proj)
        let root = set.bundle.root.hasSuffix("/") ? set.bundle.root : set.bundle.root + "/"
        var rf: [String: [String]] = [:]
        for l in set.layers { rf[l.role, default: []].append(l.source.path.hasPrefix(root) ? String(l.source.path.dropFirst(root.count)) : l.source.path) }
        roleFiles = rf
        let m = set.bundle.manifest
        report = MeasurementReport(bundle: set.bundle.displayPath, projectId: m?.projectId, rule: m?.rule, kind: m?.kind,
                                   checkDate: m?.checkDate, workingCRS: set.workingCRS.label, workingCRSReason: set.workingCRSReason,
                                   rulebook: rulebook.citation, parameters: parameters)
        report.whatIf = rulebook.whatIf
        if rulebook.whatIf { report.notes.append("WHAT-IF: the submission's own rulebook tables replaced those of \(rulebook.citation); nothing here is official") }
    }

    var manifest: Manifest? { self.set.bundle.manifest }
    var crs: String { self.set.workingCRS.label }

    // MARK: Layers

    /// The role's features that can be measured (not empty, every coordinate finite), with their layer.
    func features(_ role: String) -> [(layer: RoleLayer, feature: Feature)] {
        set.layers(role).flatMap { l in l.working.features.filter(Self.measurable).map { (l, $0) } }
    }
    /// Their geometries (without copying the layer for each).
    func geometries(_ role: String) -> [Geometry] { set.layers(role).flatMap { $0.working.features.filter(Self.measurable).map(\.geometry) } }
    /// The same geometries in longitude/latitude, when every layer of the role has them
    /// (`LayerSet.withLonLat`); nil otherwise (the geodesic check then converts).
    func lonLatGeometries(_ role: String) -> [Geometry]? {
        var out: [Geometry] = []
        for l in set.layers(role) {
            guard let ll = l.lonLat, ll.features.count == l.working.features.count else { return nil }
            for (w, g) in zip(l.working.features, ll.features) where Self.measurable(w) { out.append(g.geometry) }
        }
        return out
    }
    static func measurable(_ f: Feature) -> Bool { !f.geometry.isEmpty && f.geometry.firstNonFiniteCoordinate == nil }
    /// The files of a role's layers, relative to the bundle (computed once: per-parcel values name them).
    func files(_ role: String) -> [String] { roleFiles[role] ?? [] }
    func featureId(_ l: RoleLayer, _ f: Feature) -> String {
        let (name, _) = l.field("id", manifest: manifest, defaults: vocabulary.fieldDefaults["\(l.role).id"] ?? ["编号", "BSM", "ID"])
        return name.flatMap { l.source.value(l.source.features[f.index], $0)?.stringValue }.flatMap { $0.isEmpty ? nil : $0 } ?? "#\(f.index)"
    }
    func ids(_ role: String) -> [String] { features(role).map { featureId($0.layer, $0.feature) } }
    /// Baseline parts in file order: features, then parts (§1).
    func baseline(_ role: String) -> [CoordinateSequence] { geometries(role).flatMap(\.lineParts).filter { $0.count >= 2 } }

    func threshold(_ key: String) -> Rulebook.Threshold? { rulebook.thresholds[key] }
    /// A threshold measuring cannot do without (no fallback value in code).
    func requiredThreshold(_ key: String) throws -> Rulebook.Threshold {
        guard let t = rulebook.thresholds[key] else { throw MeasureError.thresholdMissing(key: key, rulebook: rulebook.citation) }
        return t
    }

    mutating func add(_ v: MeasuredValue) { report.values.append(v) }

    // MARK: Along a baseline (§1, §2)

    /// Transects along `baselineRole`, widths of `featureRole`, runs, statistics, the area
    /// cross-check, crossings and inscribed-circle bounds. Returns the transects and widths.
    /// `qualify`: the thresholds a run (segment) must pass, decided by `Rulebook.Threshold.passes`.
    mutating func alongBaseline(_ baselineRole: String, _ featureRole: String, feature: [Geometry], article: String, prefix: String,
                                qualify: (length: Rulebook.Threshold, width: Rulebook.Threshold)? = nil) throws -> ([Transect], [TransectWidth]) {
        let parts = baseline(baselineRole)
        guard !parts.isEmpty else { report.notes.append("no \(baselineRole) line to measure along"); return ([], []) }
        let tp = params.transect
        try refuseOversizedWorkload(parts, baselineRole, tp)
        let transects = TransectCaster.cast(parts, tp)
        step?("transects (§1)")
        // The feature dissolved once (overlaps count once) for widths, the area cross-check and the inscribed circles.
        let dissolved = try DissolvedFeature(feature, geos: geos, knownValid: validPolygons)
        step?("dissolve")
        let widths = try measureWidths(transects, dissolved)
        step?("widths (§2)")
        let p = ["transectSpacing_m": tp.spacing, "transectHalfLength_m": tp.halfLength, "smoothingWindow_m": tp.smoothingWindow]
        let layers = files(baselineRole) + files(featureRole)
        add(MeasuredValue(id: "\(baselineRole).length_m", label: "\(baselineRole) length", value: parts.reduce(0) { $0 + $1.planarLength }, unit: "m",
                          method: "§0 planar length in the working CRS", layers: files(baselineRole), featureIds: ids(baselineRole), crs: crs,
                          geodesic: try geodesic.length(geometries(baselineRole), lonLat: lonLatGeometries(baselineRole)), article: article))
        let mean = addWidthStatistics(widths, transects.count, prefix: prefix, parameters: p, layers: layers, ids: ids(featureRole), article: article)
        step?("baseline length, width statistics")
        try addAreaWidthCheck(dissolved, parts, mean: mean, prefix: prefix, parameters: p, layers: layers, ids: ids(featureRole), article: article)
        step?("area cross-check (§2)")
        let runs = WidthMeasurer.runs(widths)
        let members = runMembers(runs, widths)   // found once: segments and transect rows both need them
        try addSegments(runs, members, widths, dissolved, qualify: qualify)
        step?("segments (§3)")
        addTransectRows(widths, members: members, baselineRole: baselineRole, featureRole: featureRole)
        step?("transect rows")
        addCrossings(transects, parts, baselineRole: baselineRole)
        step?("crossing transects")
        return (transects, widths)
    }

    /// Refuses, before casting a transect, a workload the parameters would blow up
    /// (`ParameterTable.maxTransects`).
    func refuseOversizedWorkload(_ parts: [CoordinateSequence], _ baselineRole: String, _ tp: TransectParameters) throws {
        let expected = parts.reduce(0) { $0 + $1.planarLength } / tp.spacing
        guard expected.isFinite, expected <= Double(maxTransects) else {
            throw MeasureError.workloadTooLarge(detail: "\(baselineRole) would need \(expected.isFinite ? String(Int(expected)) : "∞") transects at \(tp.spacing) m spacing (at most \(maxTransects))")
        }
    }

    /// §2 widths of every transect, in chunks that report progress. The measurer (edge grid, GEOS
    /// parts) lives only while the widths are measured.
    func measureWidths(_ transects: [Transect], _ dissolved: DissolvedFeature) throws -> [TransectWidth] {
        let measurer = try WidthMeasurer(dissolved: dissolved, geos: geos)
        var widths: [TransectWidth] = []
        widths.reserveCapacity(transects.count)
        let chunk = 16_384
        for start in stride(from: 0, to: transects.count, by: chunk) {
            widths += try measurer.measure(Array(transects[start..<min(start + chunk, transects.count)]))
            progress?(widths.count, transects.count)
        }
        return widths
    }

    /// The width statistics over all stations (zeros included); returns the mean.
    mutating func addWidthStatistics(_ widths: [TransectWidth], _ stations: Int, prefix: String, parameters p: [String: Double],
                                     layers: [String], ids idsUsed: [String], article: String) -> Double {
        let all = WidthStatistics(widths.map(\.width))
        let widthU = 2.0.squareRoot() * params["positionalAccuracy_m"]   // two boundaries per width
        func stat(_ name: String, _ label: String, _ v: Double, _ unit: String = "m", _ u: Double? = nil) -> MeasuredValue {
            MeasuredValue(id: "\(prefix).\(name)", label: label, value: v, unit: unit, method: "§2 widths along §1 transects, all stations, zeros included",
                          parameters: p, layers: layers, featureIds: idsUsed, crs: crs, article: article, uncertainty: u)
        }
        add(stat("meanWidth_m", "mean width over all stations", all.mean, "m", widthU))
        add(stat("minWidth_m", "minimum width", all.minimum)); add(stat("p10Width_m", "10th percentile width", all.p10))
        add(stat("medianWidth_m", "median width", all.median)); add(stat("maxWidth_m", "maximum width", all.maximum))
        add(stat("stationShare", "share of stations with width > 0", all.positiveShare, "ratio"))
        add(stat("stations", "stations", Double(stations), "count"))
        add(stat("truncatedStations", "stations whose piece reaches the transect end (feature may be wider than h)",
                 Double(widths.filter(\.truncated).count), "count"))
        return all.mean
    }

    /// §2 cross-check: area width Σ area(F ∩ C_k) / Σ L_k against the transect mean.
    mutating func addAreaWidthCheck(_ dissolved: DissolvedFeature, _ parts: [CoordinateSequence], mean: Double, prefix: String,
                                    parameters p: [String: Double], layers: [String], ids idsUsed: [String], article: String) throws {
        let check = try AreaWidthCheck.compute(feature: dissolved, baseline: parts, halfLength: params.transect.halfLength, transectMean: mean,
                                               flagAbove: params["areaWidthFlag"])
        add(MeasuredValue(id: "\(prefix).areaWidth_m", label: "area width Σ area(F ∩ C_k) / Σ L_k", value: check.areaWidth, unit: "m",
                          method: "§2 cross-check: flat-capped buffer of h", parameters: p.merging(["areaWidthFlag": params["areaWidthFlag"]]) { a, _ in a },
                          layers: layers, featureIds: idsUsed, crs: crs, article: article))
        if check.flagged {
            report.notes.append("§2 cross-check: area width \(fixed(check.areaWidth)) m differs from the transect mean \(fixed(mean)) m by more than \(Int(params["areaWidthFlag"] * 100)) %")
        }
    }

    /// Runs become segments, each with its inscribed-circle bound and, when `qualify` is given,
    /// whether it qualifies and by how much it falls short.
    ///
    /// Inscribed circles: a run whose mean width is not above a circle found on its own
    /// transects (times 1 + inscribedCircleFlag) cannot disagree; only the other runs need the
    /// largest inscribed circle of the parts near them (GEOS, on all cores, one context per worker).
    mutating func addSegments(_ runs: [WidthRun], _ members: [Range<Int>], _ widths: [TransectWidth], _ dissolved: DissolvedFeature,
                              qualify: (length: Rulebook.Threshold, width: Rulebook.Threshold)?) throws {
        let flag = params["inscribedCircleFlag"], tolerance = params["inscribedCircleTolerance_m"]
        let onTransects = runs.indices.map { ri in members[ri].map { widths[$0].inscribedAtLeast }.max() ?? 0 }
        let unsettled = runs.indices.filter { runs[$0].statistics.mean > onTransects[$0] * (1 + flag) }
        var near: [Int: [Int]] = [:]
        if !unsettled.isEmpty {
            let index = EnvelopeIndex(dissolved.parts.map { Envelope(of: $0.polygonParts.first?.first?.xy ?? []) ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) })
            for ri in unsettled {
                if let env = Envelope(of: members[ri].flatMap { [widths[$0].transect.start, widths[$0].transect.end] }) { near[ri] = index.query(env) }
            }
        }
        let needed = Array(Set(near.values.joined())).sorted()
        let maxima = try ParallelGeometry.map(needed.map { dissolved.parts[$0] }) { ctx, g in
            2 * (try ctx.make(g).maximumInscribedCircle(tolerance: tolerance)?.radius ?? 0)
        }
        let diameter = Dictionary(uniqueKeysWithValues: zip(needed, maxima))
        for (ri, r) in runs.enumerated() {
            let bound: Double?, isMaximum: Bool
            if let parts = near[ri] { bound = parts.compactMap { diameter[$0] }.max(); isMaximum = true }
            else { bound = onTransects[ri]; isMaximum = false }
            let disagree = bound.map { r.statistics.mean > $0 * (1 + flag) } ?? false
            var seg = MeasurementReport.Segment(index: ri, part: r.part, from_m: r.from, to_m: r.to, length_m: r.length, statistics: r.statistics,
                                                inscribedDiameter_m: bound, inscribedIsMaximum: isMaximum, estimatorsDisagree: disagree)
            if let qualify {
                seg.qualifies = qualify.length.passes(r.length) && qualify.width.passes(r.statistics.mean)
                seg.lengthShortfall_m = qualify.length.passes(r.length) ? 0 : abs(qualify.length.value - r.length)
                seg.widthShortfall_m = qualify.width.passes(r.statistics.mean) ? 0 : abs(qualify.width.value - r.statistics.mean)
            }
            if disagree { report.notes.append("segment \(ri): transect mean width \(fixed(r.statistics.mean)) m exceeds the largest inscribed-circle diameter \(fixed(bound!)) m: transects cut the feature obliquely") }
            report.segments.append(seg)
        }
    }

    /// The stations (indices into `widths`) of each run; runs come in station order.
    func runMembers(_ runs: [WidthRun], _ widths: [TransectWidth]) -> [Range<Int>] {
        var starts: [Int] = []
        var cursor = 0
        for r in runs {
            while cursor < widths.count, !(widths[cursor].transect.part == r.part && widths[cursor].transect.station == r.firstStation) { cursor += 1 }
            starts.append(cursor)
        }
        return runs.indices.map { starts[$0]..<min(starts[$0] + runs[$0].stations, widths.count) }
    }

    /// One row per transect, with its run (segment) when it has one. Appended in place: a mapped
    /// array appended afterwards would hold every row twice.
    mutating func addTransectRows(_ widths: [TransectWidth], members: [Range<Int>], baselineRole: String, featureRole: String) {
        var runOf = [Int?](repeating: nil, count: widths.count)
        for (ri, m) in members.enumerated() { for i in m { runOf[i] = ri } }
        report.transects.reserveCapacity(report.transects.count + widths.count)
        for (i, w) in widths.enumerated() {
            report.transects.append(MeasurementReport.TransectRow(baseline: baselineRole, feature: featureRole, transect: w.transect, width: w.width,
                                                                  truncated: w.truncated, run: runOf[i], change: nil))
        }
    }

    /// Crossing transects (§1 beyond the spec), and the smoothing window that avoids them.
    mutating func addCrossings(_ transects: [Transect], _ parts: [CoordinateSequence], baselineRole: String) {
        let crossings = TransectCrossings(transects)
        let stretches = crossings.stretches(transects)
        var summary = MeasurementReport.Crossings()
        summary.baseline = baselineRole
        summary.pairs = crossings.pairCount
        summary.transects = stretches.reduce(0) { $0 + $1.transects }
        summary.stretches = stretches
        summary.rows = crossings.runs.map { r in
            .init(part: transects[r.transect].part, station: transects[r.transect].station,
                  firstStation: transects[r.first].station, lastStation: transects[r.last].station)
        }
        report.crossings = summary
        if !crossings.isEmpty {
            let first = crossings.runs[0].transect
            report.suggestedSmoothingWindow_m = TransectCrossings.suggestedWindow(baseline: parts, params.transect,
                                                                                  near: (transects[first].part, transects[first].station))
            report.notes.append("\(summary.pairs) pairs of transects cross on tight bends (\(summary.transects) transects in \(stretches.count) stretches; crossings.csv lists them); "
                + (report.suggestedSmoothingWindow_m.map { "a smoothing window of \(fixed($0)) m avoids it" } ?? "no smoothing window up to the part length avoids it"))
        }
    }
}
