import ArgumentParser
import Foundation
import GeoCore
import Submission

@main
struct EcoCredit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ecocredit",
        abstract: "Geospatial validation of ecological-restoration credits (Shanwei coastline indicators, Jiangyin eco-vouchers).",
        version: "0.1.0 (GEOS \(GEOSContext.version), PROJ \(ProjContext.version))",
        subcommands: [VerifyCommand.self, MeasureCommand.self, CheckCommand.self, SplitCommand.self, AnnexCommand.self, Summary.self])

    /// The allocator is set for large layers (`BatchMemory`) before any command runs, and the
    /// worker threads start while the arguments are parsed (`Parallel.startWorkers`).
    static func main() {
        BatchMemory.configure()
        Parallel.startWorkers()
        main(nil)
    }
}

/// Exit status 2: the input could not be used at all.
struct UnusableInput: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

struct Summary: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load every layer of each bundle and print, per layer: features, geometry type, source and working CRS, planar and geodesic length or area, and the attribute encoding.")

    @Argument(help: "Bundle folders (each with a submission.json, or layers whose names tell their roles).")
    var bundles: [String]

    func run() throws {
        let geos = try GEOSContext()
        let proj = try ProjContext()
        var failed = false
        for path in bundles {
            do {
                let bundle = try SubmissionBundle.open(path)
                let set = try LayerSet.load(bundle, proj: proj)
                print(SummaryText.render(bundle: bundle, set: set, rows: try LayerSummary.summarize(set, geos: geos, proj: proj)))
            } catch {
                failed = true
                FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            }
        }
        if failed { throw ExitCode(2) }
    }
}

enum SummaryText {
    static func render(bundle: SubmissionBundle, set: LayerSet, rows: [LayerSummary]) -> String {
        var out = "== \(bundle.root)"
        if let m = bundle.manifest { out += "  [\(m.projectId ?? "?")] \(m.rule ?? "?") / \(m.kind ?? "?")" }
        out += "\n   working CRS \(set.workingCRS): \(set.workingCRSReason)\n"
        for g in bundle.roleGuesses { out += "   role guessed: \(g)\n" }
        for r in rows {
            out += "   - \(r.role): \(r.name), \(r.features) features, \(r.geometryType), source \(r.sourceCRS), encoding \(r.encoding)\n"
            if let m = r.measure {
                let unit = m == "area" ? "m²" : "m"
                out += String(format: "       %@ planar %.2f %@ (in %@), geodesic %.2f %@ (CGCS2000 ellipsoid), difference %+.4f%%",
                              m, r.planar, unit, r.workingCRS, r.geodesic, unit, r.relativeDifference * 100)
                if m == "area" { out += String(format: ", %.4f mu", r.planar / (10000.0 / 15.0)) }
                out += "\n"
            }
            for n in r.notes { out += "       note: \(n)\n" }
        }
        return out
    }
}
