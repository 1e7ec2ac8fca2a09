import Annex
import BundleMeasure
import Check
import Foundation
import GeoCore
import Verify
import Workflow

/// The files a run writes, written in one place for `measure`, `annex` (and the service):
/// verification.json and check.json always; measurements.json, transects.csv,
/// transects.geojson and one GeoJSON per layer when the bundle was measured; annex.html (and
/// annex.pdf) when asked. All into an `OutputFolder`: complete or not at all.
public enum Outputs {
    public struct AnnexRequest: Sendable {
        public var lang: String
        public var generatedAt: String
        public var command: String
        public var pdf: Bool
        public init(lang: String, generatedAt: String, command: String, pdf: Bool) {
            self.lang = lang; self.generatedAt = generatedAt; self.command = command; self.pdf = pdf
        }
    }

    /// Writes `result`'s files into `folder` and returns their names (index.json aside).
    /// `stage` is told what has just been done, for timings and progress: "write NAME" as each
    /// file is handed to the writing thread, then "writes finished" and "flushed to disk and
    /// renamed".
    @discardableResult
    public static func write(_ result: Pipeline.Result, to folder: String, annex: AnnexRequest? = nil,
                             stage: ((String) -> Void)? = nil) throws -> [String] {
        var out = try OutputFolder(folder)
        do {
            var names: [String] = [] {
                didSet { if let last = names.last, names.count > oldValue.count { stage?("write " + last) } }
            }
            // Files made serially are made on the writing thread, beside the next ones.
            let verification = result.verification
            out.write("verification.json") { [Array(verification.json().utf8)] }; names.append("verification.json")
            if let check = result.check { out.write("check.json") { [Array(check.json().utf8)] }; names.append("check.json") }
            if let m = result.measurement, let set = result.set {
                out.stream("measurements.json") { try m.writeJSON(to: $0) }; names.append("measurements.json")
                // The writing thread hashes and writes while this one makes the next file, so
                // the last file made is the one waited for: layers made ahead go first, the
                // smaller of the two transect files last.
                func layers() throws {
                    for (name, pieces) in try result.layerGeoJSON?.value() ?? MeasurementReport.featuresGeoJSON(set, proj: result.proj) {
                        try out.write(name, .made(pieces)); names.append(name)
                    }
                }
                let layersFirst = result.layerGeoJSON?.isReady == true
                if layersFirst { try layers() }
                try out.write("transects.geojson", try m.transectsGeoJSON(proj: result.proj)); names.append("transects.geojson")
                out.write("crossings.csv") { [m.crossingsCSV()] }; names.append("crossings.csv")
                try out.write("transects.csv", m.transectsCSVPieces()); names.append("transects.csv")
                if !layersFirst { try layers() }
            }
            if let annex, let bundle = result.bundle, let check = result.check, let rulebook = result.rulebook {
                let html = try AnnexBuilder.build(bundle: bundle, set: result.set, verification: result.verification, measurement: result.measurement,
                                                  check: check, rulebook: rulebook,
                                                  options: .init(lang: annex.lang, generatedAt: annex.generatedAt, command: annex.command, outputs: names),
                                                  geos: result.geos)
                try out.write("annex.html", Data(html.utf8)); names.append("annex.html")
                if annex.pdf {
                    try PDFPrinter.print(html: out.path("annex.html"), to: out.path("annex.pdf")); names.append("annex.pdf")
                }
            }
            try out.commit(names: names, progress: stage)
            return names
        } catch {
            out.discard()
            throw error
        }
    }
}
