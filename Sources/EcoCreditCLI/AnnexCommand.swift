import Annex
import ArgumentParser
import BundleMeasure
import Check
import Foundation
import GeoCore
import Rules
import Submission
import Verify

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
        // Read once: verified, then measured from the same layers.
        let options = Verifier.Options(rulebookFile: input.rulebook)
        let reading = Verifier.read(input.bundle, options: options)
        defer { reading.close() }
        let verification = Verifier.check(reading, options: options)
        let opened = try OpenedBundle(input.bundle, rulebookFile: input.rulebook, reading: reading)
        let (proj, geos, b, set, book) = (opened.proj, opened.geos, opened.bundle, opened.set, opened.rulebook)
        let measured = try opened.measure()
        let (day, source) = CheckDates.resolve(option: nil, manifest: b.manifest?.checkDate)
        let check = Checker.check(measured, rulebook: book, declared: b.manifest?.declared ?? [:], date: day, dateSource: source)

        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        func write(_ name: String, _ data: Data) throws { try data.write(to: URL(fileURLWithPath: (output as NSString).appendingPathComponent(name))) }
        var outputs = ["measurements.json", "transects.csv", "transects.geojson", "check.json", "verification.json"]
        try measured.writeJSON(to: (output as NSString).appendingPathComponent("measurements.json"))
        try measured.writeTransectsCSV(to: (output as NSString).appendingPathComponent("transects.csv"))
        try write("transects.geojson", try measured.transectsGeoJSON(proj: proj))
        try write("check.json", Data(check.json().utf8))
        try write("verification.json", Data(verification.json().utf8))
        for (name, data) in try MeasurementReport.featuresGeoJSON(set, proj: proj) { try write(name, data); outputs.append(name) }
        let time = generatedAt ?? ISO8601DateFormatter().string(from: Date())
        var command = "ecocredit annex \(input.bundle) -o \(output) --lang \(lang.rawValue) --generated-at \(time)"
        if let rulebook = input.rulebook { command += " --rulebook \(rulebook)" }
        let html = try AnnexBuilder.build(bundle: b, set: set, verification: verification, measurement: measured, check: check, rulebook: book,
                                          options: .init(lang: lang.rawValue, generatedAt: time, command: command, outputs: outputs), geos: geos)
        try write("annex.html", Data(html.utf8))
        print("annex: \(output)/annex.html (\(html.utf8.count) bytes), with \(outputs.joined(separator: ", "))")
        if pdf {
            let target = (output as NSString).appendingPathComponent("annex.pdf")
            try PDFPrinter.print(html: (output as NSString).appendingPathComponent("annex.html"), to: target)
            print("pdf: \(target)")
        }
    }
}
