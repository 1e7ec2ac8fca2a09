// The readers EcoCredit exposes to untrusted bytes, behind one entry point for libFuzzer
// (`EcoCreditFuzz`, built by `make fuzz`) and for the corpus replay in the tests.
import Foundation
import GeoCore
import Submission

/// Input layout: byte 0 selects the reader (mod 5): 0 shapefile set, 1 GeoJSON, 2 manifest,
/// 3 zip, 4 JSON. For a shapefile set, bytes 1–2 and 3–4 are the little-endian lengths of the
/// .shp and .shx parts and the rest is the .dbf. Every thrown error is an accepted outcome; a
/// crash, a hang or a sanitizer report is a bug.
public enum FuzzHarness {
    /// Runs one input through the reader it selects; used by the fuzzer and by the regression tests' corpus replay.
    public static func run(_ bytes: [UInt8], proj: ProjContext, scratch dir: String) {
        guard let selector = bytes.first else { return }
        let body = Array(bytes.dropFirst())
        switch selector % 5 {
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
}
