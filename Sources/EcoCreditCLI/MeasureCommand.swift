import ArgumentParser
import BundleMeasure
import Foundation
import GeoCore
import Rules
import Submission

/// `ecocredit measure BUNDLE -o DIR`: every measurement of measurement-methods §0–§9.
struct MeasureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Measure a submission (measurement-methods §0–§9) and write measurements.json, transects.csv and GeoJSON.",
        discussion: """
        Writes into DIR: measurements.json (every value with unit, method, parameters, layers, feature ids, working CRS, \
        geodesic cross-check and article), transects.csv, transects.geojson and one GeoJSON per layer as measured. \
        Parameters come from the manifest's "parameters" and are printed. Run `ecocredit verify` first: measuring \
        assumes sound data and stops at the first unreadable layer. Exit status 2 when the input cannot be used.
        """)

    @OptionGroup var input: BundleOptions

    @Option(name: .shortAndLong, help: "Output folder (created).")
    var output: String


    func run() throws {
        let opened = try OpenedBundle(input.bundle, rulebookFile: input.rulebook)
        let (proj, geos, b, set, book) = (opened.proj, opened.geos, opened.bundle, opened.set, opened.rulebook)
        defer { b.removeUnpacked() }
        let bar = ProgressBar()
        let report = try opened.measure(progress: bar.update)
        bar.finish()
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        func write(_ name: String, _ data: Data) throws { try data.write(to: URL(fileURLWithPath: (output as NSString).appendingPathComponent(name))) }
        try report.writeJSON(to: (output as NSString).appendingPathComponent("measurements.json"))
        try report.writeTransectsCSV(to: (output as NSString).appendingPathComponent("transects.csv"))
        try write("transects.geojson", try report.transectsGeoJSON(proj: proj))
        for (name, data) in try MeasurementReport.featuresGeoJSON(set, proj: proj) { try write(name, data) }
        print(MeasureText.render(report))
        print("written: \(output)/measurements.json, transects.csv, transects.geojson, \(set.layers.count) layer GeoJSON files")
    }
}

/// A one-line progress bar on standard error, only when it is a terminal.
final class ProgressBar {
    let active = isatty(STDERR_FILENO) != 0
    var last = -1
    func update(_ done: Int, _ total: Int) {
        guard active, total > 5_000 else { return }
        let pct = total > 0 ? done * 100 / total : 100
        guard pct != last else { return }
        last = pct
        let bar = String(repeating: "█", count: pct / 4) + String(repeating: "░", count: 25 - pct / 4)
        FileHandle.standardError.write(Data("\rtransects \(bar) \(pct)% (\(done)/\(total))".utf8))
    }
    func finish() { if active && last >= 0 { FileHandle.standardError.write(Data("\n".utf8)) } }
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
