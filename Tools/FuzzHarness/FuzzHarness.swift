// The readers EcoCredit exposes to untrusted bytes, behind one entry point for libFuzzer
// (`EcoCreditFuzz`, built by `make fuzz`) and for the corpus replay in the tests.
import Foundation
import GeoCore
import SampleData
import Submission
import Workflow

/// Input layout: byte 0 selects the reader (mod 6): 0 shapefile set, 1 GeoJSON, 2 manifest,
/// 3 zip, 4 JSON, 5 a whole bundle through verify → measure → check (`Pipeline`).
///
/// A whole bundle is one of the sample bundles with one file changed: byte 1 picks the sample,
/// byte 2 the file (submission.json, any .shp, .shx, .dbf, .prj, .cpg, in name order), byte 3
/// the edit — even: the file's bytes are replaced by the rest of the input (a manifest with
/// other parameters, another .prj, another .cpg, another geometry); odd: the rest is a list of
/// (offset: 2 bytes little-endian, byte) triples XORed into the file (a bit-flip in a real
/// file keeps most of its structure, so the stages past reading are reached). For a shapefile set, bytes 1–2 and 3–4 are the little-endian lengths of the
/// .shp and .shx parts and the rest is the .dbf. Every thrown error is an accepted outcome; a
/// crash, a hang or a sanitizer report is a bug.
public enum FuzzHarness {
    /// Runs one input through the reader it selects; used by the fuzzer and by the regression tests' corpus replay.
    public static func run(_ bytes: [UInt8], proj: ProjContext, scratch dir: String) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch selector % 6 {
        case 5:
            runBundle(body, proj: proj, scratch: dir)
        case 0:
            guard body.count >= 4 else { return }
            let shpLen = Int(body[0]) | Int(body[1]) << 8, shxLen = Int(body[2]) | Int(body[3]) << 8
            let rest = body.dropFirst(4)
            let shp = Data(rest.prefix(shpLen)), shx = Data(rest.dropFirst(shpLen).prefix(shxLen)), dbf = Data(rest.dropFirst(shpLen + shxLen))
            let base = (dir as NSString).appendingPathComponent("f")
            try? shp.write(to: URL(fileURLWithPath: base + ".shp"))
            try? shx.write(to: URL(fileURLWithPath: base + ".shx"))
            try? dbf.write(to: URL(fileURLWithPath: base + ".dbf"))
            _ = try? ShapefileReader.read(base + ".shp", proj: proj)
        case 1:
            _ = try? GeoJSON.decode(Data(body), path: "<fuzz>", proj: proj)
        case 2:
            _ = try? Manifest.parse(Data(body), path: "<fuzz>")
        case 3:
            // Through a file, as bundles arrive (the file-backed ZIPFoundation reader).
            let zip = (dir as NSString).appendingPathComponent("f.zip"), dest = (dir as NSString).appendingPathComponent("zip")
            try? Data(body).write(to: URL(fileURLWithPath: zip))
            _ = try? BundleArchive.extract(zip, to: dest,
                                           limits: .init(maxEntries: 64, maxTotalBytes: 1 << 20, maxRatio: 100, ratioFloorBytes: 1 << 16))
            try? FileManager.default.removeItem(atPath: dest)
        default:
            _ = try? JSONValue.parse(Data(body))
        }
    }

    /// The sample bundles, written once per process into a folder of their own.
    nonisolated(unsafe) static var samples: (root: String, names: [String])? = nil

    static func sampleBundles(proj: ProjContext) -> (root: String, names: [String])? {
        if let samples { return samples }
        let root = (NSTemporaryDirectory() as NSString).appendingPathComponent("ecocredit-fuzz-samples-\(getpid())")
        guard (try? Samples.writeAll(to: root, proj: proj)) != nil,
              let names = try? FileManager.default.contentsOfDirectory(atPath: root).sorted(), !names.isEmpty else { return nil }
        samples = (root, names)
        return samples
    }

    /// One sample bundle with one file edited, through the whole pipeline. Every outcome but a
    /// crash, a hang or a sanitizer report is accepted.
    static func runBundle(_ body: [UInt8], proj: ProjContext, scratch dir: String) {
        guard body.count >= 3, let (root, names) = sampleBundles(proj: proj) else { return }
        let sample = (root as NSString).appendingPathComponent(names[Int(body[0]) % names.count])
        let bundle = (dir as NSString).appendingPathComponent("bundle")
        try? FileManager.default.removeItem(atPath: bundle)
        guard (try? FileManager.default.copyItem(atPath: sample, toPath: bundle)) != nil,
              let files = try? FileManager.default.contentsOfDirectory(atPath: bundle).sorted(), !files.isEmpty else { return }
        let file = (bundle as NSString).appendingPathComponent(files[Int(body[1]) % files.count])
        let payload = Array(body.dropFirst(3))
        if body[2] % 2 == 0 {
            try? Data(payload).write(to: URL(fileURLWithPath: file))
        } else if var bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: file))), !bytes.isEmpty {
            var i = 0
            while i + 3 <= payload.count {
                let at = (Int(payload[i]) | Int(payload[i + 1]) << 8) % bytes.count
                bytes[at] ^= payload[i + 2]; i += 3
            }
            try? Data(bytes).write(to: URL(fileURLWithPath: file))
        }
        // Workloads stay small (a flipped coordinate can make a 2500 km shoreline, a real but
        // slow workload): the fuzzer explores logic, not scale.
        let options = Pipeline.Options(zipLimits: .init(maxEntries: 64, maxTotalBytes: 1 << 24), maxTransects: 20_000)
        _ = try? Pipeline.withBundle(bundle, options: options, through: .check) { r in
            (r.verification.findings.count, r.measurement?.values.count ?? 0, r.check?.quantities.count ?? 0)
        }
        try? FileManager.default.removeItem(atPath: bundle)
    }
}
