import ArgumentParser
import BundleMeasure
import Foundation
import GeoCore
import Rules
import Submission
import Outputs
import Workflow

/// `ecocredit measure BUNDLE -o DIR`: every measurement of measurement-methods §0–§9.
struct MeasureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Measure a submission (measurement-methods §0–§9) and write measurements.json, transects.csv and GeoJSON.",
        discussion: """
        Writes into DIR: measurements.json (every value with unit, method, parameters, layers, feature ids, working CRS, \
        geodesic cross-check and article), transects.csv, transects.geojson and one GeoJSON per layer as measured. \
        Parameters come from the manifest's "parameters" and are printed. The bundle is verified first, on the same \
        read: when verification finds an error nothing is measured (exit 1) and only verification.json and check.json \
        (not assessed) are written. The folder is replaced as a whole, with index.json (SHA-256 of every file). \
        Exit status: 0 measured, 1 verification errors, 2 input unusable, 4 rulebook unreadable, 5 output not writable.
        """)

    @OptionGroup var input: BundleOptions

    @Option(name: .shortAndLong, help: "Output folder (created).")
    var output: String


    func run() throws {
        let bar = ProgressBar()
        try runPipeline(input.bundle, options: .init(rulebookFile: input.rulebook), through: .check, progress: bar.update) { r in
            bar.finish()
            let written = try Outputs.write(r, to: output)
            guard let m = r.measurement else {
                emit(r.verification.text(.zh), terminator: "")
                emitError("\(input.bundle): not measured: verification found errors (see above); wrote \(output)/verification.json and check.json")
                throw ExitCode(r.verification.unusable ? Exit.unusable : Exit.failed)
            }
            emit(MeasureText.render(m))
            if let c = r.check, !c.reasons.isEmpty {
                for reason in c.reasons { emit("   ! [\(reason.code)] \(reason.en)") }
            }
            emit("written: \(output)/ \(written.joined(separator: ", ")), index.json")
        }
    }
}

enum MeasureText {
    /// Parcels whose values are printed on the terminal.
    static let parcelsShown = 20

    static func render(_ r: MeasurementReport) -> String {
        var out = "== \(r.bundle)  [\(r.projectId ?? "?")] \(r.rule ?? "?") / \(r.kind ?? "?")\n"
        out += "   working CRS \(r.workingCRS): \(r.workingCRSReason)\n   rulebook \(r.rulebook)\n"
        out += "   geodesic cross-check: \(r.geodesicMethod)\n"
        out += "   parameters: " + r.parameters.values.sorted { $0.key < $1.key }.map { "\($0.key)=\(GeoJSON.number($0.value))\(r.parameters.overridden.contains($0.key) ? "*" : "")" }
            .joined(separator: " ") + " intersectionRule=\(r.parameters.intersectionRule.rawValue)  (* set by the submission)\n"
        // Per-parcel values are shown for the first parcels only: 100 000 parcels make 700 000
        // lines no one reads on a terminal; every value is in measurements.json.
        let shownParcels = Set(r.parcels.prefix(MeasureText.parcelsShown).map(\.id))
        var hidden = 0
        for v in r.values where !v.id.hasPrefix("layer.") {
            if v.id.hasPrefix("parcel["), let id = v.featureIds.first, !shownParcels.contains(id) { hidden += 1; continue }
            var line = String(format: "   %@ = %.4f %@", v.id, v.value, v.unit)
            if let g = v.geodesic, let d = v.relativeDifference { line += String(format: " (geodesic %.4f, %+.4f%%)", g, d * 100) }
            out += line + "  [\(v.article)]\n"
        }
        if hidden > 0 {
            out += "   … \(hidden) more values of \(r.parcels.count - shownParcels.count) more parcels: see measurements.json\n"
        }
        for (k, v) in r.declared.sorted(by: { $0.key < $1.key }) { out += "   declared, not measured: \(k) = \(v)\n" }
        for n in r.notes { out += "   note: \(n)\n" }
        return out
    }
}
