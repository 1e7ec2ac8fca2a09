import Foundation
import GeoCore
import Rules
import Submission

/// Verifies a submission bundle (a folder or a `.zip`): every check of the verify stage, every
/// problem reported rather than the first. Pure with respect to the bundle: nothing is written
/// except the scratch folder a zip is unpacked into, which is removed before returning.
public enum Verifier {
    public struct Options: Sendable {
        /// A rulebook file to use instead of the one shipped for the manifest's rule.
        public var rulebookFile: String?
        /// A rulebook already decoded (the pipeline's), used before `rulebookFile`.
        public var rulebook: Rulebook?
        public var zipLimits: BundleArchive.Limits
        public init(rulebookFile: String? = nil, rulebook: Rulebook? = nil, zipLimits: BundleArchive.Limits = .init()) {
            self.rulebookFile = rulebookFile; self.rulebook = rulebook; self.zipLimits = zipLimits
        }
    }

    /// Runs every check. Never throws: a problem anywhere becomes a finding. Creates its own
    /// GEOS and PROJ contexts, so calls on different tasks are independent.
    public static func verify(_ path: String, options: Options = .init()) -> VerificationReport {
        let reading = read(path, options: options)
        defer { reading.close() }
        return check(reading, options: options)
    }

    /// A bundle opened and its layers read, once: then checked (`check`) and, when every layer
    /// was usable, measured from the same values (`completeSet`) without reading the files again.
    /// Owns the PROJ context it read with (not `Sendable`: use it on one task). Call `close()`
    /// when done, to remove the folder a zip was unpacked into.
    public struct Reading {
        public let path: String
        public let bundle: SubmissionBundle?
        /// Why the bundle could not be opened, or why reading could not start.
        let failure: (any Error)?
        let outcome: LayerSet.Outcome?
        /// The PROJ context the layers were read with (its database connection and operations are
        /// reused by measuring: one context per call, on one thread).
        public let proj: ProjContext?

        /// Every layer in the working CRS when each was read and accepted: the same set
        /// `LayerSet.load` gives for this bundle. Nil when any layer was unreadable or refused.
        public var completeSet: LayerSet? {
            guard let o = outcome, o.unread.isEmpty, o.rejected.isEmpty, o.assemblyError == nil else { return nil }
            return o.set
        }

        /// Removes the folder a zip was unpacked into (nothing for a folder bundle).
        public func close() { bundle?.removeUnpacked() }
    }

    /// Opens the bundle and reads every layer it can (`LayerSet.loadAll`), refusing layers whose
    /// coordinates cannot be in their CRS. Never throws: failures are kept for `check` to report.
    public static func read(_ path: String, options: Options = .init()) -> Reading {
        let bundle: SubmissionBundle
        do { bundle = try SubmissionBundle.open(path, limits: options.zipLimits) }
        catch { return Reading(path: path, bundle: nil, failure: error, outcome: nil, proj: nil) }
        let proj: ProjContext
        do { proj = try ProjContext() } catch { return Reading(path: path, bundle: bundle, failure: error, outcome: nil, proj: nil) }
        let outcome = LayerSet.loadAll(bundle, proj: proj) { entry, layer, crs in
            CRSChecks.position(layer, role: entry.role, crs: crs, proj: proj, root: bundle.root).map(CRSChecks.PositionRefusal.init)
        }
        return Reading(path: path, bundle: bundle, failure: nil, outcome: outcome, proj: proj)
    }

    /// Every check on a bundle already read. Never throws: a problem anywhere becomes a finding.
    public static func check(_ reading: Reading, options: Options = .init()) -> VerificationReport {
        var report = VerificationReport(bundle: reading.path)
        guard let bundle = reading.bundle else {
            report.findings = [BundleChecks.finding(for: reading.failure ?? SubmissionError.noLayers(path: reading.path), role: nil, root: reading.path)]
            report.unusable = true
            return report
        }
        do {
            guard let outcome = reading.outcome, let proj = reading.proj else { throw reading.failure ?? SubmissionError.noLayers(path: reading.path) }
            try run(bundle, outcome, proj: proj, options: options, into: &report)
        } catch {
            report.findings.append(Finding(.verifierFailed(detail: "\(error)")))
            report.unusable = true
        }
        report.findings.sort(by: VerificationReport.order)
        return report
    }

    static func run(_ bundle: SubmissionBundle, _ outcome: LayerSet.Outcome, proj: ProjContext, options: Options,
                    into report: inout VerificationReport) throws {
        let vocabulary = try RuleLibrary.vocabulary()
        let rulebook = try options.rulebook ?? options.rulebookFile.map(RuleLibrary.rulebook(file:))
            ?? RuleLibrary.rulebook(for: bundle.manifest?.ruleId)
        report.rulebook = rulebook.citation
        let geos = try GEOSContext()

        report.findings += BundleChecks.manifest(bundle, vocabulary: vocabulary)
        for (entry, error) in outcome.unread {
            report.findings.append(BundleChecks.finding(for: error, role: entry.role, root: bundle.root))
        }
        for (entry, layer, error) in outcome.rejected {
            if let refusal = error as? CRSChecks.PositionRefusal { report.findings.append(refusal.finding) }
            else { report.findings.append(CRSChecks.rejected(layer, role: entry.role, error: error, root: bundle.root)) }
            report.findings += BundleChecks.encoding(layer, role: entry.role, root: bundle.root)
            report.layers.append(.init(role: entry.role, file: relativePath(layer.path, root: bundle.root), features: layer.features.count,
                                       crs: layer.crs?.label, encoding: layer.encoding?.description, usable: false))
        }
        if let e = outcome.assemblyError { report.findings.append(BundleChecks.finding(for: e, role: nil, root: bundle.root)) }
        guard let set = outcome.set else {
            report.unusable = true
            return
        }
        report.workingCRS = set.workingCRS.label
        report.workingCRSReason = set.workingCRSReason
        let ins = try Inspection(bundle: bundle, set: set, rulebook: rulebook, vocabulary: vocabulary, geos: geos, proj: proj)
        for (li, layer) in set.layers.enumerated() {
            report.layers.append(.init(role: layer.role, file: ins.file(layer), features: layer.source.features.count,
                                       crs: (layer.source.crs ?? layer.sourceCRS).label, encoding: layer.source.encoding?.description, usable: true))
            report.findings += BundleChecks.encoding(layer.source, role: layer.role, root: bundle.root)
            report.findings += CRSChecks.accepted(ins, li)
        }
        report.findings += CRSChecks.district(ins)
        let geometry = GeometryChecks.run(ins)
        report.findings += geometry.findings
        report.findings += TopologyChecks.run(ins, valid: geometry.valid)
        report.findings += RelationChecks.run(ins, valid: geometry.valid)
        report.findings += AttributeChecks.run(ins)
    }
}
