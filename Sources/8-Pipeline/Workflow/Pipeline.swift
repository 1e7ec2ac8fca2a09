import BundleMeasure
import Check
import Foundation
import GeoCore
import Rules
import Submission
import Verify

/// open → verify → measure → check, as one library call: what the CLI, and later the service
/// and the registry, run. It writes nothing to the terminal and exits nothing; it returns a
/// typed result or throws a `WorkflowError`.
///
/// **Every stage runs on verified input.** The bundle is read once; verification runs on that
/// read; when it finds any error (or the bundle cannot be used), nothing is measured and the
/// check is *not assessed* with the codes of the findings that stopped it — never zero, never
/// pass. Only a bundle that verified without error is measured and checked, from the same
/// layers.
public enum Pipeline {
    public struct Options: Sendable {
        /// A bureau's rulebook file instead of the shipped one for the manifest's rule.
        public var rulebookFile: String?
        /// The check date; default the manifest's `checkDate`, else today (China time).
        public var checkDate: CivilDate?
        public var zipLimits: BundleArchive.Limits
        /// The most transects one baseline may need (`ParameterTable.maxTransects`).
        public var maxTransects: Int
        /// Start writing each layer's GeoJSON (in longitude/latitude) as soon as the layers are
        /// converted, on an idle core while measuring runs (`Result.layerGeoJSON`): for callers
        /// that write the outputs (`Outputs.write`).
        public var layerGeoJSONAhead: Bool
        public init(rulebookFile: String? = nil, checkDate: CivilDate? = nil, zipLimits: BundleArchive.Limits = .init(),
                    maxTransects: Int = ParameterTable.maxTransects, layerGeoJSONAhead: Bool = false) {
            self.rulebookFile = rulebookFile; self.checkDate = checkDate; self.zipLimits = zipLimits; self.maxTransects = maxTransects
            self.layerGeoJSONAhead = layerGeoJSONAhead
        }
    }

    /// How far to go.
    public enum Stage: Int, Sendable, Comparable {
        case verify, measure, check
        public static func < (a: Stage, b: Stage) -> Bool { a.rawValue < b.rawValue }
    }

    /// Progress by stage; `measuring` carries (done, total) transects.
    public enum Progress: Sendable {
        /// `measured`: a step of measuring ended (its name), for `--timings`.
        case reading, verifying, measuring(Int, Int), measured(String), checking
    }

    /// What one run found. The GEOS and PROJ contexts it used belong to it (one thread).
    public struct Result {
        public let path: String
        public let verification: VerificationReport
        /// The bundle and its layers in the working CRS; nil when it could not be opened or read.
        public let bundle: SubmissionBundle?
        public let set: LayerSet?
        /// The rulebook applied, with the manifest's what-if override when it has one.
        public let rulebook: Rulebook?
        /// Nil when verification found an error: nothing is computed from data that failed.
        public let measurement: MeasurementReport?
        public let check: CheckReport?
        public let geos: GEOSContext
        public let proj: ProjContext
        /// Each layer's GeoJSON as `MeasurementReport.featuresGeoJSON` writes it, made ahead
        /// (`Options.layerGeoJSONAhead`) from the verified, measured layers; nil otherwise.
        public var layerGeoJSON: Ahead<[(name: String, pieces: [[UInt8]])]>? = nil

        /// True when verification found an error or the bundle could not be used.
        public var verificationFailed: Bool { verification.unusable || verification.count(.error) > 0 }
    }

    /// Runs the pipeline on the bundle at `path` (a folder or a `.zip`) through `stage`, hands the
    /// result to `body`, and removes the scratch folder a zip was unpacked into when `body`
    /// returns or throws. The scratch folder lives exactly as long as this call.
    public static func withBundle<T>(_ path: String, options: Options = .init(), through stage: Stage = .check,
                                     progress: (@Sendable (Progress) -> Void)? = nil, _ body: (Result) throws -> T) throws -> T {
        // The rulebook file is the user's configuration: a broken one stops everything with its code.
        let bureauBook = try options.rulebookFile.map(RuleLibrary.rulebook(file:))
        progress?(.reading)
        let reading = Verifier.read(path, options: .init(rulebook: bureauBook, zipLimits: options.zipLimits))
        defer { reading.close() }

        let geos = try GEOSContext(), proj = try reading.proj ?? ProjContext()
        // The rulebook: the bureau's, else the shipped one for the manifest's rule, with the
        // manifest's what-if tables applied.
        var rulebook: Rulebook? = nil
        var overrideError: RulesError? = nil
        if let bundle = reading.bundle {
            if let book = bureauBook, let rule = bundle.manifest?.ruleId, book.id != rule {
                throw RulesError.ruleMismatch(rulebook: book.citation, bundleRule: rule.rawValue)
            }
            // A shipped or bureau rulebook that cannot be read is the program's problem (exit 4);
            // only the manifest's what-if tables are the bundle's.
            let book = try bureauBook ?? RuleLibrary.rulebook(for: bundle.manifest?.ruleId)
            rulebook = book
            if let o = bundle.manifest?.rulebookOverride {
                do { rulebook = try book.applying(override: o) } catch let e as RulesError { overrideError = e }
            }
        }
        progress?(.verifying)
        var verification = Verifier.check(reading, options: .init(rulebook: rulebook ?? bureauBook))
        if let e = overrideError {
            verification.findings.append(Finding(.rulebookOverrideInvalid(detail: e.description), layer: "submission.json"))
            verification.unusable = true
        }
        let failed = verification.unusable || verification.count(.error) > 0
        guard stage > .verify, let bundle = reading.bundle, let rulebook else {
            return try body(Result(path: path, verification: verification, bundle: reading.bundle, set: reading.completeSet, rulebook: rulebook,
                                   measurement: nil, check: nil, geos: geos, proj: proj))
        }
        let (date, dateSource) = CheckDates.resolve(option: options.checkDate, manifest: bundle.manifest?.checkDate)
        let manifest = (bundle.manifest?.projectId, bundle.manifest?.rule, bundle.manifest?.kind)
        guard !failed, let verified = reading.completeSet else {
            let blocking = verification.findings.filter { $0.severity == .error }.map { ($0.code.rawValue, $0.message.zh, $0.message.en) }
            let check = stage >= .check
                ? Checker.notAssessed(bundle: bundle.displayPath, manifest: manifest, rulebook: rulebook, date: date, dateSource: dateSource, blocking: blocking)
                : nil
            return try body(Result(path: path, verification: verification, bundle: bundle, set: reading.completeSet, rulebook: rulebook,
                                   measurement: nil, check: check, geos: geos, proj: proj))
        }
        let measurement: MeasurementReport
        progress?(.measuring(0, 0))   // verification is over: measuring starts
        let set: LayerSet
        var ahead: Ahead<[(name: String, pieces: [[UInt8]])]>? = nil
        do {
            // Longitude/latitude once, for the geodesic cross-check and the GeoJSON outputs.
            set = try verified.withLonLat(proj: proj)
            progress?(.measured("lon/lat of every layer"))
            if options.layerGeoJSONAhead {
                let converted = set
                ahead = Ahead { try MeasurementReport.featuresGeoJSON(converted, proj: try ProjContext(), parallel: false) }
            }
            measurement = try BundleMeasurer.measure(set, rulebook: rulebook, vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj,
                                                     progress: progress.map { p in { done, total in p(.measuring(done, total)) } },
                                                     step: progress.map { p in { p(.measured($0)) } },
                                                     maxTransects: options.maxTransects, validPolygons: true)
        } catch {
            throw WorkflowError.measuring(bundle: bundle.displayPath, underlying: error)
        }
        var check: CheckReport? = nil
        if stage >= .check {
            progress?(.checking)
            var c = Checker.check(measurement, rulebook: rulebook, declared: bundle.manifest?.declared ?? [:], date: date, dateSource: dateSource)
            if let file = options.rulebookFile { c.notes.insert("rulebook loaded from \(file) instead of the shipped one", at: 0) }
            check = c
        }
        var result = Result(path: path, verification: verification, bundle: bundle, set: set, rulebook: rulebook,
                            measurement: measurement, check: check, geos: geos, proj: proj)
        result.layerGeoJSON = ahead
        return try body(result)
    }
}

/// The check date: the option, else the manifest's, else today in China time (UTC+8), whatever
/// the machine's time zone.
public enum CheckDates {
    public static func resolve(option: CivilDate?, manifest: String?) -> (CivilDate, String) {
        if let o = option { return (o, "--date") }
        if let m = manifest.flatMap(CivilDate.init) { return (m, "the manifest's checkDate") }
        return (today(), "today in China time (no checkDate given)")
    }
    public static func today(_ now: Date = Date()) -> CivilDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let c = cal.dateComponents([.year, .month, .day], from: now)
        return CivilDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}

/// Why the pipeline stopped, each with a stable code.
public enum WorkflowError: CodedError, Sendable {
    /// Measuring a verified bundle failed (a workload too large, a GEOS failure).
    case measuring(bundle: String, underlying: any Error)

    public var code: String {
        switch self {
        case .measuring(_, let e):
            if let m = e as? MeasureError { return m.code }
            if let g = e as? GeoError { return g.code }
            return "MEASURE.FAILED"
        }
    }
    public var message: Bilingual {
        switch self {
        case let .measuring(b, e):
            let inner = (e as? any CodedError)?.message ?? .init(zh: "原因见英文信息", en: "\(e)")
            return .init(zh: "“\(b)”无法量算：\(inner.zh)", en: "\(b): cannot be measured: \(inner.en)")
        }
    }
}
