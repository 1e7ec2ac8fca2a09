import ArgumentParser
import BundleMeasure
import Check
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

    @Option(help: "Language of the console text: zh or en (the files hold both or are language-free).")
    var lang: Language = .zh

    @Flag(help: "Print the wall time of each stage and output file on standard error.")
    var timings = false

    func run() throws {
        let bar = ProgressBar(), clock = StageClock(enabled: timings)
        defer { clock.report() }
        try runPipeline(input.bundle, options: .init(rulebookFile: input.rulebook, layerGeoJSONAhead: true), through: .check,
                        progress: { bar.update($0); clock.progress($0) }) { r in
            bar.finish()
            clock.mark("check")
            let written = try Outputs.write(r, to: output) { clock.mark($0) }
            guard let m = r.measurement else {
                emit(r.verification.text(lang), terminator: "")
                emitError(lang == .zh
                    ? "\(input.bundle)：核查发现错误（见上），未量算；已写入 \(output)/verification.json 与 check.json"
                    : "\(input.bundle): not measured: verification found errors (see above); wrote \(output)/verification.json and check.json")
                throw ExitCode(r.verification.unusable ? Exit.unusable : Exit.failed)
            }
            emit(MeasureText.render(m, lang: lang))
            if let c = r.check, !c.reasons.isEmpty {
                for reason in c.reasons { emit("   ! [\(reason.code)] \(lang == .zh ? reason.zh : reason.en)") }
            }
            emit("\(lang == .zh ? "已写入" : "written"): \(output)/ \(written.joined(separator: ", ")), index.json")
            clock.mark("console")
        }
    }
}

/// The measurements on the console, in Chinese or English: labels, methods, articles and notes
/// in Chinese come from the one catalogue (`ChineseText`), as in the Chinese annex.
enum MeasureText {
    /// Parcels (and segments) whose values are printed on the terminal.
    static let parcelsShown = 20

    /// k of a per-segment value's id ("beach.segment[12].length_m" → 12).
    static func segmentIndex(_ id: String) -> Int? {
        guard let open = id.range(of: ".segment["), let close = id[open.upperBound...].firstIndex(of: "]") else { return nil }
        return Int(id[open.upperBound..<close])
    }

    static func render(_ r: MeasurementReport, lang: Language = .en) -> String {
        let zh = lang == .zh
        let w = Bilingual.self
        func say(_ t: Bilingual) -> String { t(lang) }
        var out = "== \(r.bundle)  [\(r.projectId ?? "?")] \(r.rule ?? "?") / \(r.kind ?? "?")\n"
        out += "   \(say(w.init(zh: "工作坐标系", en: "working CRS"))) \(r.workingCRS): \(zh ? ChineseText.workingCRSReason(r.workingCRSReason) : r.workingCRSReason)\n"
        out += "   \(say(w.init(zh: "规则库", en: "rulebook"))) \(r.rulebook)\n"
        out += "   \(say(w.init(zh: "椭球面复核", en: "geodesic cross-check"))): \(zh ? ChineseText.geodesicMethod(r.geodesicMethod) : r.geodesicMethod)\n"
        out += "   \(say(w.init(zh: "参数", en: "parameters"))): " + r.parameters.values.sorted { $0.key < $1.key }.map { "\($0.key)=\(GeoJSON.number($0.value))\(r.parameters.overridden.contains($0.key) ? "*" : "")" }
            .joined(separator: " ") + " intersectionRule=\(r.parameters.intersectionRule.rawValue)  \(say(w.init(zh: "（* 为提交清单所设）", en: "(* set by the submission)")))\n"
        // Per-parcel values are shown for the first parcels only: 100 000 parcels make 700 000
        // lines no one reads on a terminal; every value is in measurements.json.
        // So are segments: 1 000 km of beach make 1 100 segments.
        let shownParcels = Set(r.parcels.prefix(MeasureText.parcelsShown).map(\.id))
        var hidden = 0, hiddenSegments = 0
        for v in r.values where !v.id.hasPrefix("layer.") {
            if v.id.hasPrefix("parcel["), let id = v.featureIds.first, !shownParcels.contains(id) { hidden += 1; continue }
            if let k = segmentIndex(v.id), k >= parcelsShown { hiddenSegments += 1; continue }
            let unit = zh ? ChineseText.unit(v.unit) : v.unit
            var line = "   \(v.id) = \(fixed(v.value, 4)) \(unit)"
            if let g = v.geodesic, let d = v.relativeDifference {
                line += " (\(say(w.init(zh: "椭球面", en: "geodesic"))) \(fixed(g, 4)), \(signedFixed(d * 100, 4))%)"
            }
            let label = zh ? ChineseText.label(id: v.id, english: v.label) : v.label
            out += line + "  \(label)  [\(zh ? ChineseText.article(v.article) : v.article)]\n"
        }
        if hidden > 0 {
            out += zh ? "   …… 另有 \(r.parcels.count - shownParcels.count) 个地块的 \(hidden) 个数值：见 measurements.json\n"
                      : "   … \(hidden) more values of \(r.parcels.count - shownParcels.count) more parcels: see measurements.json\n"
        }
        if hiddenSegments > 0 {
            out += zh ? "   …… 另有 \(r.segments.count - parcelsShown) 段的 \(hiddenSegments) 个数值：见 measurements.json\n"
                      : "   … \(hiddenSegments) more values of \(r.segments.count - parcelsShown) more segments: see measurements.json\n"
        }
        for (k, v) in r.declared.sorted(by: { $0.key < $1.key }) {
            out += zh ? "   申报值（未量算）：“\(k)” = \(ChineseText.value(v))\n" : "   declared, not measured: \(k) = \(v)\n"
        }
        for n in r.notes { out += zh ? "   说明：\(ChineseText.note(n))\n" : "   note: \(n)\n" }
        return out
    }
}
