import Annex
import ArgumentParser
import BundleMeasure
import Check
import Foundation
import GeoCore
import Rules
import Submission
import Verify
import Outputs
import Workflow

/// `ecocredit annex BUNDLE -o DIR`: the measurement annex a bureau files.
struct AnnexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annex",
        abstract: "Write the measurement annex (self-contained HTML with maps, tables, verdicts and provenance) and the files beside it.",
        discussion: """
        Writes DIR/annex.html with measurements.json, transects.csv, check.json, verification.json and GeoJSON beside it. \
        The same bundle and options give the same bytes; --generated-at fixes the time printed (default: now). \
        --pdf prints annex.pdf with headless Chromium (Debian: apt-get install chromium fonts-noto-cjk).
        """)

    @OptionGroup var input: BundleOptions
    @Option(name: .shortAndLong, help: "Output folder (created).")
    var output: String
    @Option(help: "Language: zh or en.")
    var lang: Language = .zh
    @Flag(help: "Also print annex.pdf with headless Chromium.")
    var pdf = false
    @Option(help: "The generation time printed in the annex (fix it to compare annexes byte for byte).")
    var generatedAt: String?

    func run() throws {
        let time = generatedAt ?? ISO8601DateFormatter().string(from: Date())
        var command = "ecocredit annex \(input.bundle) -o \(output) --lang \(lang.rawValue) --generated-at \(time)"
        if let rulebook = input.rulebook { command += " --rulebook \(rulebook)" }
        try runPipeline(input.bundle, options: .init(rulebookFile: input.rulebook, layerGeoJSONAhead: true), through: .check) { r in
            guard r.check != nil else {
                emit(r.verification.text(lang), terminator: "")
                throw ExitCode(Exit.unusable)
            }
            let written = try Outputs.write(r, to: output, annex: .init(lang: lang.rawValue, generatedAt: time, command: command, pdf: pdf))
            emit("annex: \(output)/annex.html, with \(written.filter { $0 != "annex.html" }.joined(separator: ", ")), index.json")
            if r.measurement == nil {
                emit(r.verification.text(lang), terminator: "")
                emitError(lang == .zh ? "\(input.bundle)：核查发现错误：附件列出这些错误，不作评估" : "\(input.bundle): verification found errors: the annex shows them and assesses nothing")
                throw ExitCode(Exit.failed)
            }
        }
    }
}
