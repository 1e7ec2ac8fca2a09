// `ecocredit-bench shoreline KM [--keep DIR] [--json FILE] [--generate-only | --existing]` and
// `ecocredit-bench parcels N [--keep DIR] [--json FILE] [--generate-only | --existing]`: time verify and measure on synthetic
// workloads (see BenchWorkload) and print one row per phase with throughput and peak memory.
// A benchmark, not a test: run by `make bench`, one process per workload so that peak memory
// is the workload's own. With --keep the workload stays in DIR with the transects
// (`transects.f64`: start x, start y, end x, end y per transect) and our widths
// (`ours-widths.f64`) for the Python peer and the C floor to use and compare.
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
func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } }
let mode = args.count > 1 ? args[1] : "shoreline"
let size = args.count > 2 ? Double(args[2]) ?? 100 : 100
let folder = option("--keep") ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("ecocredit-bench-\(mode)-\(Int(size))")
let proj = try ProjContext(), geos = try GEOSContext()
// `--generate-only` writes the workload into DIR and stops; `--existing` times a workload already
// in DIR, so that the timed process's peak memory is its own, not the generator's.
let generate = !args.contains("--existing"), timeIt = !args.contains("--generate-only")
if generate {
    try? FileManager.default.removeItem(atPath: folder)
    if mode == "parcels" { try BenchWorkload.writeParcels(count: Int(size), to: folder, proj: proj) }
    else if mode == "wavy" { try BenchWorkload.writeShoreline(km: size, shape: .wavy, to: folder, proj: proj) }
    else { try BenchWorkload.writeShoreline(km: size, to: folder, proj: proj) }
}
if !timeIt { exit(0) }

var phases: [(String, Double)] = []
@MainActor func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    let t = now(); let r = try body(); phases.append((name, now() - t)); return r
}
enum FileBytesForBench {
    static func doubles(_ path: String) throws -> [Double] {
        let d = try Data(contentsOf: URL(fileURLWithPath: path))
        return d.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
    }
}
func writeDoubles(_ values: [Double], _ path: String) throws {
    try values.withUnsafeBufferPointer { try Data(buffer: $0).write(to: URL(fileURLWithPath: path)) }
}

/// Outputs of an earlier run are removed before the timed write, as `ecocredit measure -o` into a
/// new folder finds none (truncating an 18 MB file still in the page cache costs milliseconds).
func removeOutputs(_ names: [String]) { for n in names { try? FileManager.default.removeItem(atPath: folder + "/" + n) } }

var header = "", unitCount = 0, unitName = "", perUnit = ""
// Read once (as `ecocredit annex` does): verification checks the layers read, and measuring uses them.
@MainActor func readAndVerify() -> LayerSet {
    let reading = timed("read") { Verifier.read(folder) }
    let report = timed("verify") { Verifier.check(reading) }
    precondition(report.exitStatus == 0, "bench data must verify: \(report.text(.en).prefix(2000))")
    return reading.completeSet!
}
if mode == "parcels" {
    let set = readAndVerify()
    let book = try RuleLibrary.rulebook("jiangyin-eco-voucher"), vocabulary = try RuleLibrary.vocabulary()
    // The peer's computation alone: class areas before and after, construction share and heritage overlap of every parcel.
    let facts = try timed("class areas + eligibility") { try BundleMeasurer.parcelFacts(set, rulebook: book, vocabulary: vocabulary, geos: geos, proj: proj) }
    let measured = try timed("measure (whole §8 report)") {
        try BundleMeasurer.measure(set, rulebook: book, vocabulary: vocabulary, geos: geos, proj: proj)
    }
    precondition(facts.map { $0.after?.areas } == measured.parcels.map(\.after), "the §8 geometry alone and the report must agree")
    removeOutputs(["measurements.json"])
    _ = try timed("write results") { try measured.writeJSON(to: folder + "/measurements.json") }
    // For the peer's comparison: per parcel, the summed after-class areas and the construction share.
    try writeDoubles(measured.parcels.flatMap { [$0.after.values.reduce(0, +), $0.constructionShare ?? -1] }, folder + "/ours-parcels.f64")
    header = "== \(Int(size)) parcels over land use (EPSG:4549); vouchers \(measured.value("parcels.vouchers")?.value ?? 0)"
    unitCount = Int(size); unitName = "parcels/s"
} else {
    let km = size
    let set = readAndVerify()
    let polygons = set.layer("beach")!.working.features.count
    let params = TransectParameters(spacing: 10, halfLength: 250, smoothingWindow: 50)
    // The peer's phases timed alone; their arrays are written for the peer and released before the whole report.
    var transectCount = 0, meanWidth = 0.0, runCount = 0
    do {
        let baseline = set.layer("shoreline")!.working.features.flatMap(\.geometry.lineParts)
        let transects = timed("transects") { TransectCaster.cast(baseline, params) }
        let widths = try timed("intersect") {
            // Widths and truncation, as the peer computes them (the whole report adds the inscribed-circle bounds).
            try WidthMeasurer(feature: set.layer("beach")!.working.features.map(\.geometry), geos: geos).measure(transects, inscribed: false)
        }
        let stats = timed("statistics") { (WidthMeasurer.runs(widths), WidthStatistics(widths.map(\.width))) }
        try writeDoubles(transects.flatMap { [$0.start.x, $0.start.y, $0.end.x, $0.end.y] }, folder + "/transects.f64")
        try writeDoubles(widths.map(\.width), folder + "/ours-widths.f64")
        transectCount = transects.count; meanWidth = stats.1.mean; runCount = stats.0.count
    }
    let measured = try timed("measure (whole §2–§3 report)") {
        try BundleMeasurer.measure(set, rulebook: try RuleLibrary.rulebook("shanwei-coastline"), vocabulary: try RuleLibrary.vocabulary(), geos: geos, proj: proj)
    }
    removeOutputs(["measurements.json", "transects.csv"])
    _ = try timed("write results") {
        try measured.writeJSON(to: folder + "/measurements.json")
        try measured.writeTransectsCSV(to: folder + "/transects.csv")
    }
    let alone = try FileBytesForBench.doubles(folder + "/ours-widths.f64")
    precondition(measured.transects.map(\.width) == alone, "the whole report and the widths alone must agree")
    header = String(format: "== %.0f km shoreline, %d beach polygons, %d transects at %.0f m (EPSG:4547); mean width %.3f m over %d runs",
                    km, polygons, transectCount, params.spacing, meanWidth, runCount)
    unitCount = transectCount; unitName = "transects/s"; perUnit = "s per km"
}

// End to end = read + verify + measure + write (measure recomputes what the timed-alone phases did).
let endToEnd: Set<String> = ["read", "verify", "measure (whole §2–§3 report)", "measure (whole §8 report)", "write results"]
let total = phases.filter { endToEnd.contains($0.0) }.reduce(0) { $0 + $1.1 }
func pad(_ s: String) -> String { s + String(repeating: " ", count: max(0, 36 - s.count)) }
print(header)
print(pad("phase") + "   seconds  " + unitName + (perUnit.isEmpty ? "" : "   " + perUnit))
for (name, s) in phases + [("total (read → write)", total)] {
    print(pad(name) + String(format: " %9.3f %12.0f", s, Double(unitCount) / max(s, 1e-9)) + (perUnit.isEmpty ? "" : String(format: " %12.5f", s / size)))
}
print(String(format: "peak memory %.0f MB", peakMB()))
if let json = option("--json") {
    let obj: [String: Any] = ["tool": "ecocredit", "mode": mode, "size": size, "units": unitCount, "peakMB": peakMB(), "total": total,
                              "phases": Dictionary(uniqueKeysWithValues: phases.map { ($0.0, $0.1) })]
    try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: json))
}
if option("--keep") == nil { try? FileManager.default.removeItem(atPath: folder) }
