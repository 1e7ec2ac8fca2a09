import Foundation
import XCTest
import GeoCore
import SampleData
import Submission
@testable import Verify

/// Sample bundles written once per test run, and copy-and-break helpers for the broken variants.
enum Fixture {
    nonisolated(unsafe) static var root: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ecocredit-verify-\(UUID().uuidString)").path
        let proj = try! ProjContext()
        try! Samples.writeAll(to: dir + "/samples", proj: proj)
        return dir
    }()

    /// A fresh copy of sample `name` (e.g. "shanwei-beach"); returns its folder.
    static func copy(_ name: String) throws -> String {
        let dest = root + "/cases/\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/cases", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/samples/" + name, toPath: dest)
        return dest
    }

    static func sample(_ name: String) -> String { root + "/samples/" + name }

    /// Reads layer `file` (e.g. "beach.shp") of `bundle`, lets `edit` change it, writes it back
    /// (same .prj, GBK declared by .cpg).
    static func editLayer(_ bundle: String, _ file: String, _ edit: (inout VectorLayer) throws -> Void) throws {
        let proj = try ProjContext()
        let path = bundle + "/" + file
        var layer = try ShapefileReader.read(path, proj: proj)
        try edit(&layer)
        try ShapefileWriter.write(layer, to: path, prj: layer.crsText, options: .init(encoding: .gb18030, declaration: .cpg))
    }

    /// Changes feature `i`'s geometry by mapping every coordinate sequence.
    static func editGeometry(_ bundle: String, _ file: String, feature i: Int = 0, _ edit: (Geometry) -> Geometry) throws {
        try editLayer(bundle, file) { $0.features[i].geometry = edit($0.features[i].geometry) }
    }

    static func editManifest(_ bundle: String, _ edit: (inout [String: Any]) -> Void) throws {
        let path = bundle + "/submission.json"
        var m = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        edit(&m)
        try JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
    }

    static func editBytes(_ bundle: String, _ file: String, _ edit: (inout [UInt8]) -> Void) throws {
        let url = URL(fileURLWithPath: bundle + "/" + file)
        var b = [UInt8](try Data(contentsOf: url))
        edit(&b)
        try Data(b).write(to: url)
    }

    static func write(_ bundle: String, _ file: String, _ text: String) throws {
        try text.write(toFile: bundle + "/" + file, atomically: true, encoding: .utf8)
    }

    static func remove(_ bundle: String, _ file: String) throws {
        try FileManager.default.removeItem(atPath: bundle + "/" + file)
    }

    /// The ESRI WKT of an EPSG CRS, as a `.prj` holds it.
    static func prj(_ epsg: Int) throws -> String {
        let proj = try ProjContext()
        return try CRS.epsg(epsg, context: proj).esriWKT(context: proj)
    }

    static func translate(_ g: Geometry, _ dx: Double, _ dy: Double) -> Geometry {
        g.mapSequences { s in CoordinateSequence(s.xy.map { XY($0.x + dx, $0.y + dy) }, z: s.z, m: s.m) }
    }
}

extension Geometry {
    /// The exterior ring of the first polygon part.
    var firstRing: [XY] { polygonParts[0][0].xy }
}
