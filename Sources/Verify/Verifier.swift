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
        public var zipLimits: BundleArchive.Limits
        public init(rulebookFile: String? = nil, zipLimits: BundleArchive.Limits = .init()) {
            self.rulebookFile = rulebookFile; self.zipLimits = zipLimits
        }
    }

    /// Runs every check. Never throws: a problem anywhere becomes a finding. Creates its own
    /// GEOS and PROJ contexts, so calls on different tasks are independent.
    public static func verify(_ path: String, options: Options = .init()) -> VerificationReport {
        var report = VerificationReport(bundle: path)
        let bundle: SubmissionBundle
        do { bundle = try SubmissionBundle.open(path, limits: options.zipLimits) }
        catch {
            report.findings = [BundleChecks.finding(for: error, role: nil, root: path)]
            report.unusable = true
            return report
        }
        defer { bundle.removeUnpacked() }
        do { try run(bundle, options: options, into: &report) }
        catch {
            report.findings.append(Finding(.checkFailed, message: .init(zh: "核查无法进行：\(error)", en: "verification could not run: \(error)")))
            report.unusable = true
        }
        report.findings.sort(by: VerificationReport.order)
        return report
    }

    static func run(_ bundle: SubmissionBundle, options: Options, into report: inout VerificationReport) throws {
        let vocabulary = try RuleLibrary.vocabulary()
        let rulebook = try options.rulebookFile.map(RuleLibrary.rulebook(file:))
            ?? RuleLibrary.rulebook(RuleLibrary.rulebookName(forRule: bundle.manifest?.rule))
        report.rulebook = rulebook.citation
        let proj = try ProjContext()
        let geos = try GEOSContext()

        report.findings += BundleChecks.manifest(bundle, vocabulary: vocabulary)
        let outcome = LayerSet.loadAll(bundle, proj: proj) { entry, layer, crs in
            CRSChecks.position(layer, role: entry.role, crs: crs, proj: proj, root: bundle.root).map(CRSChecks.PositionRefusal.init)
        }
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
