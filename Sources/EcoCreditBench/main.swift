// `ecocredit-bench KM [SPACING]`: times verify and measure on a synthetic shoreline of KM
// kilometres (see BenchWorkload) and prints one row per phase with transects per second, time
// per km and peak memory. A benchmark, not a test: run by `make bench`, one process per size so
// that peak memory is the size's own.
import BundleMeasure
import Foundation
import GeoCore
import Measure
import Rules
import SampleData
import Submission
import Verify

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
func peakMB() -> Double { var u = rusage(); getrusage(RUSAGE_SELF.rawValue, &u); return Double(u.ru_maxrss) / 1024 }

let args = CommandLine.arguments
let km = args.count > 1 ? Double(args[1]) ?? 100 : 100
let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("ecocredit-bench-\(Int(km))km")
let proj = try ProjContext(), geos = try GEOSContext()
try? FileManager.default.removeItem(atPath: folder)
let polygons = try BenchWorkload.writeShoreline(km: km, to: folder, proj: proj)

var phases: [(String, Double)] = []
@MainActor func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    let t = now(); let r = try body(); phases.append((name, now() - t)); return r
}
let set = try timed("read") { try LayerSet.load(try SubmissionBundle.open(folder), proj: proj) }
let report = timed("verify") { Verifier.verify(folder) }
precondition(report.exitStatus == 0, "bench data must verify: \(report.text(.en))")
let params = TransectParameters(spacing: 10, halfLength: 250, smoothingWindow: 50)
let baseline = set.layer("shoreline")!.working.features.flatMap(\.geometry.lineParts)
let transects = timed("transects") { TransectCaster.cast(baseline, params) }
let widths = try timed("intersect") {
    try WidthMeasurer(feature: set.layer("beach")!.working.features.map(\.geometry), geos: geos).measure(transects)
}
let stats = timed("statistics") { (WidthMeasurer.runs(widths), WidthStatistics(widths.map(\.width))) }
_ = try timed("§2 area-width cross-check") {
    try AreaWidthCheck.compute(feature: set.layer("beach")!.working.features.map(\.geometry), baseline: baseline, halfLength: params.halfLength,
                               transectMean: stats.1.mean, geos: geos)
}
_ = timed("crossing transects") { TransectCrossings(transects) }
_ = try timed("inscribed circles (all cores)") {
    try ParallelGeometry.map(set.layer("beach")!.working.features.map(\.geometry)) { ctx, g in try ctx.make(g).maximumInscribedCircle(tolerance: 0.1) }
}
let measured = try timed("measure (whole §2–§3 report)") {
    try BundleMeasurer.measure(set, rulebook: try RuleLibrary.rulebook("shanwei-coastline"), vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj)
}
_ = try timed("write results") {
    let out = folder + "/out"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try Data(measured.json().utf8).write(to: URL(fileURLWithPath: out + "/measurements.json"))
    try Data(measured.transectsCSV().utf8).write(to: URL(fileURLWithPath: out + "/transects.csv"))
}
// End to end = read + verify + measure (which recomputes transects, widths and statistics) + write.
let endToEnd: Set<String> = ["read", "verify", "measure (whole §2–§3 report)", "write results"]
let total = phases.filter { endToEnd.contains($0.0) }.reduce(0) { $0 + $1.1 }

print(String(format: "== %.0f km shoreline, %d beach polygons, %d transects at %.0f m (EPSG:4547)", km, polygons, transects.count, params.spacing))
func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, 32 - s.count)) }
print(pad("phase") + "   seconds   transects/s     s per km")
for (name, s) in phases {
    print(pad(name) + String(format: " %9.3f %13.0f %12.5f", s, Double(transects.count) / max(s, 1e-9), s / km))
}
print("(transects … inscribed circles are timed alone as well; measure repeats them, and the total counts read, verify, measure, write)")
print(pad("total (read→write)") + String(format: " %9.3f %13.0f %12.5f", total, Double(transects.count) / total, total / km))
print(String(format: "mean width %.3f m over %d runs; peak memory %.0f MB", stats.1.mean, stats.0.count, peakMB()))
try? FileManager.default.removeItem(atPath: folder)
