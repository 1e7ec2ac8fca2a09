import ArgumentParser
import BundleMeasure
import Foundation
import GeoCore
import Rules
import Submission
import Verify

/// The input every measuring command takes: one bundle and, optionally, a bureau's rulebook.
struct BundleOptions: ParsableArguments {
    @Argument(help: "Bundle folder or .zip.")
    var bundle: String
    @Option(help: "A rulebook JSON file to use instead of the shipped one.")
    var rulebook: String?
}

/// A bundle opened for measuring: its layers in the working CRS, its rulebook, and the GEOS
/// and PROJ contexts of this command. Input that cannot be used exits with status 2.
struct OpenedBundle {
    let proj: ProjContext
    let geos: GEOSContext
    let bundle: SubmissionBundle
    let set: LayerSet
    let rulebook: Rulebook

    /// `reading`: the bundle as verification read it; its layers are used as they are when every
    /// layer was usable (the same values `LayerSet.load` gives), so the files are read once.
    init(_ path: String, rulebookFile: String?, reading: Verifier.Reading? = nil) throws {
        proj = try ProjContext(); geos = try GEOSContext()
        do {
            if let reading, let b = reading.bundle, let s = reading.completeSet {
                bundle = b; set = s
            } else {
                bundle = try reading?.bundle ?? SubmissionBundle.open(path)
                set = try LayerSet.load(bundle, proj: proj)
            }
        } catch {
            FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
            throw ExitCode(2)
        }
        rulebook = try rulebookFile.map(RuleLibrary.rulebook(file:)) ?? RuleLibrary.rulebook(RuleLibrary.rulebookName(forRule: bundle.manifest?.rule))
    }

    /// Measures the bundle; a failure (GEOS refusing invalid geometry, say) exits with status 2
    /// and points at `ecocredit verify`, which reports what in the data is wrong.
    func measure(progress: BundleMeasurer.Progress? = nil) throws -> MeasurementReport {
        do {
            return try BundleMeasurer.measure(set, rulebook: rulebook, vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj, progress: progress)
        } catch {
            FileHandle.standardError.write(Data("\(bundle.displayPath): cannot be measured: \(error)\nRun `ecocredit verify \(bundle.displayPath)` to see what in the data must be corrected.\n".utf8))
            throw ExitCode(2)
        }
    }
}
