import Foundation
import XCTest
@testable import GeoCore

/// Shapefile writer and reader: round trips, encodings, and files that lie.
final class ShapefileTests: XCTestCase {
    var proj: ProjContext!
    var dir: String!
    override func setUpWithError() throws { proj = try ProjContext(); dir = try temporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir); proj = nil }

    let fields = [Field(name: "编号", type: .character), Field(name: "DLBM", type: .character), Field(name: "面积", type: .numeric),
                  Field(name: "数量", type: .numeric), Field(name: "有效", type: .logical), Field(name: "日期", type: .date)]

    func row(_ i: Int) -> [AttributeValue] {
        [.string("地块-\(i)"), .string(["0301", "0702", "1101"][i % 3]), .double(1234.5678 + Double(i)), .integer(Int64(i * 1_000_003)),
         .bool(i % 2 == 0), .date("2026-0\(1 + i % 9)-1\(i % 9)")]
    }

    func polygonLayer() throws -> VectorLayer {
        let holed = Geometry.polygon([XY(0, 0), XY(0, 100), XY(100, 100), XY(100, 0)], holes: [[XY(10, 10), XY(20, 10), XY(20, 20), XY(10, 20)]])
        let multi = Geometry.multiPolygon([
            [CoordinateSequence([XY(200, 0), XY(200, 50), XY(250, 50), XY(250, 0), XY(200, 0)])],
            [CoordinateSequence([XY(300, 0), XY(300, 10), XY(310, 10), XY(310, 0), XY(300, 0)])]])
        let feats = [holed, multi, Geometry.polygon([CoordinateSequence]())].enumerated().map { Feature(index: $0, geometry: $1, attributes: row($0)) }
        return VectorLayer(name: "parcels", path: "", format: .shapefile, family: .polygon, fields: fields, features: feats, crs: try CRS.epsg(4549, context: proj))
    }

    /// Compares geometry up to ring start and orientation as the format stores them.
    func assertSameArea(_ a: Geometry, _ b: Geometry, file: StaticString = #filePath, line: UInt = #line) throws {
        let g = try GEOSContext()
        if a.isEmpty || b.isEmpty { return XCTAssertEqual(a.isEmpty, b.isEmpty, file: file, line: line) }
        XCTAssertTrue(try g.make(a).equalsTopologically(try g.make(b)), "\(a) vs \(b)", file: file, line: line)
    }

    func testPolygonRoundTripWithEveryFieldTypeInGBK() throws {
        let layer = try polygonLayer()
        let path = dir + "/parcels"
        try ShapefileWriter.write(layer, to: path, prj: try layer.crs!.esriWKT(context: proj), options: .init(encoding: .gb18030, declaration: .cpg))
        let back = try ShapefileReader.read(path + ".shp", proj: proj)
        XCTAssertEqual(back.fields.map(\.name), fields.map(\.name))
        XCTAssertEqual(back.features.map(\.attributes), layer.features.map(\.attributes))
        XCTAssertEqual(back.encoding?.encoding, .gb18030)
        XCTAssertEqual(back.encoding?.source, .cpg)
        XCTAssertEqual(back.crs?.epsg, 4549)
        XCTAssertEqual(back.family, .polygon)
        for (a, b) in zip(layer.features, back.features) { try assertSameArea(a.geometry, b.geometry) }
        // The hole stays a hole (ring orientation), the multipolygon stays two parts.
        XCTAssertEqual(back.features[0].geometry.polygonParts.count, 1)
        XCTAssertEqual(back.features[0].geometry.polygonParts[0].count, 2)
        XCTAssertEqual(back.features[1].geometry.polygonParts.count, 2)
        XCTAssertTrue(back.features[2].geometry.isEmpty, "a null shape reads back empty")
    }

    func testLinesAndPointsWithZAndMRoundTripExactly() throws {
        let lines = [
            Geometry.lineString(CoordinateSequence([XY(0.1, 0.2), XY(1e6 + 0.123456789, 2.5e6)], z: [1.5, 2.5], m: [0, 10])),
            Geometry.multiLineString([CoordinateSequence([XY(0, 0), XY(1, 1)], z: [0, 0], m: [1, 2]),
                                      CoordinateSequence([XY(5, 5), XY(6, 6), XY(7, 5)], z: [3, 4, 5], m: [3, 4, 5])]),
        ]
        let layer = VectorLayer(name: "l", path: "", format: .shapefile, family: .line, hasZ: true, hasM: true,
                                fields: [Field(name: "NAME", type: .character)],
                                features: lines.enumerated().map { Feature(index: $0, geometry: $1, attributes: [.string("line \($0)")]) }, crs: nil)
        try ShapefileWriter.write(layer, to: dir + "/l.shp", prj: nil, options: .init(encoding: .utf8))
        let back = try ShapefileReader.read(dir + "/l.shp", proj: proj)
        XCTAssertEqual(back.features.map(\.geometry), lines, "exact coordinates, Z and M")
        XCTAssertTrue(back.hasZ && back.hasM)
        XCTAssertNil(back.crs, "no .prj → no CRS (verification reports it)")
        let flat = try ShapefileReader.read(dir + "/l.shp", options: .init(keepZM: false), proj: proj)
        XCTAssertEqual(flat.features.map(\.geometry), lines.map(\.droppingZM))
        XCTAssertFalse(flat.hasZ)

        let pts = VectorLayer(name: "p", path: "", format: .shapefile, family: .point, fields: [Field(name: "V", type: .float)],
                              features: [Feature(index: 0, geometry: .point(115.123456789012, 22.987654321098), attributes: [.double(0.1)])], crs: nil)
        try ShapefileWriter.write(pts, to: dir + "/p", prj: nil)
        let pback = try ShapefileReader.read(dir + "/p", proj: proj)
        XCTAssertEqual(pback.features[0].geometry, .point(115.123456789012, 22.987654321098))
        XCTAssertEqual(pback.features[0].attributes, [.double(0.1)])
    }

    func testGBKIsReadWithCPGWithLanguageDriverAndWithoutEither() throws {
        let layer = try polygonLayer()
        for (decl, source) in [(ShapefileWriter.Options.Declaration.cpg, EncodingReport.Source.cpg), (.languageDriver, .languageDriver), (.none, .detected)] {
            let path = dir + "/gbk-\(source.rawValue)"
            try ShapefileWriter.write(layer, to: path, prj: nil, options: .init(encoding: .gb18030, declaration: decl))
            XCTAssertEqual(FileManager.default.fileExists(atPath: path + ".cpg"), decl == .cpg)
            let back = try ShapefileReader.read(path, proj: proj)
            XCTAssertEqual(back.encoding?.encoding, .gb18030, "\(decl)")
            XCTAssertEqual(back.encoding?.source, source)
            XCTAssertEqual(back.fields[0].name, "编号")
            XCTAssertEqual(back.value(back.features[0], "编号"), .string("地块-0"))
        }
        // UTF-8 without a .cpg is detected as UTF-8, not as GBK.
        try ShapefileWriter.write(layer, to: dir + "/u", prj: nil, options: .init(encoding: .utf8, declaration: .none))
        let u = try ShapefileReader.read(dir + "/u", proj: proj)
        XCTAssertEqual(u.encoding?.encoding, .utf8)
        XCTAssertEqual(u.encoding?.source, .detected)
        XCTAssertEqual(u.value(u.features[1], "编号"), .string("地块-1"))
    }

    // MARK: Broken files

    func writeSample(_ name: String) throws -> String {
        let path = dir + "/" + name
        try ShapefileWriter.write(try polygonLayer(), to: path, prj: nil)
        return path
    }
    func bytes(_ p: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: p))) }
    func put(_ b: [UInt8], _ p: String) throws { try Data(b).write(to: URL(fileURLWithPath: p)) }

    func testTruncatedShpIsRejected() throws {
        let p = try writeSample("t")
        let shp = try bytes(p + ".shp")
        try put(Array(shp.prefix(shp.count - 30)), p + ".shp")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.SHP.TRUNCATED")
        try put(Array(shp.prefix(60)), p + ".shp")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.SHP.TRUNCATED")
    }

    func testShxDisagreeingWithShpIsRejected() throws {
        let p = try writeSample("x")
        var shx = try bytes(p + ".shx")
        shx[100 + 8 + 7] &+= 4   // second record's content length
        try put(shx, p + ".shx")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.SHX.INCONSISTENT")
        var shx2 = try bytes(p + ".shx")
        shx2[100 + 8 + 7] &-= 4
        shx2[100 + 8 + 1] = 0x7F   // offset far beyond the file
        try put(shx2, p + ".shx")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.SHX.INCONSISTENT")
    }

    func testImpossibleRecordCountsAreRejectedBeforeShapelib() throws {
        let p = try writeSample("r")
        var shp = try bytes(p + ".shp")
        // First record: content starts at 108; numPoints at +40 → claim 2^30 points.
        shp[108 + 40] = 0; shp[108 + 41] = 0; shp[108 + 42] = 0; shp[108 + 43] = 0x40
        try put(shp, p + ".shp")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.SHP.RECORD_CORRUPT")
    }

    func testGarbageMissingPartsAndDBFProblems() throws {
        let p = try writeSample("g")
        try put([UInt8](repeating: 0x41, count: 500), dir + "/garbage.shp")
        try FileManager.default.copyItem(atPath: p + ".shx", toPath: dir + "/garbage.shx")
        try FileManager.default.copyItem(atPath: p + ".dbf", toPath: dir + "/garbage.dbf")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(dir + "/garbage.shp", proj: proj) }, "IO.SHP.BAD_HEADER")

        let q = try writeSample("m")
        try FileManager.default.removeItem(atPath: q + ".shx")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(q, proj: proj) }, "IO.MISSING_PART")

        let d = try writeSample("d")
        let dbf = try bytes(d + ".dbf")
        try put(Array(dbf.prefix(dbf.count - 40)), d + ".dbf")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(d, proj: proj) }, "IO.DBF.TRUNCATED")
        var fewer = dbf
        fewer[4] = 2   // 2 records instead of 3
        try put(fewer, d + ".dbf")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(d, proj: proj) }, "IO.DBF.RECORD_COUNT_MISMATCH")
        var badHeader = dbf
        badHeader[10] = 0xFF; badHeader[11] = 0x00   // record length ≠ field widths
        try put(badHeader, d + ".dbf")
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(d, proj: proj) }, "IO.DBF.BAD_HEADER")
    }

    func testTextThatIsNotWhatTheCPGSaysIsAnError() throws {
        let p = dir + "/lie"
        try ShapefileWriter.write(try polygonLayer(), to: p, prj: nil, options: .init(encoding: .gb18030, declaration: .none))
        try "UTF-8".write(toFile: p + ".cpg", atomically: true, encoding: .utf8)
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.TEXT.UNDECODABLE")
        try "KOI8-X".write(toFile: p + ".cpg", atomically: true, encoding: .utf8)
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.TEXT.UNDECODABLE")
    }

    func testUnreadablePrjAndUnclosedRing() throws {
        let p = try writeSample("prj")
        try "PROJCS[nonsense".write(toFile: p + ".prj", atomically: true, encoding: .utf8)
        XCTAssertEqual(errorCode { _ = try ShapefileReader.read(p, proj: proj) }, "IO.PRJ.UNREADABLE")

        let open = VectorLayer(name: "o", path: "", format: .shapefile, family: .polygon, fields: [Field(name: "A", type: .character)],
                               features: [Feature(index: 0, geometry: .polygon([CoordinateSequence([XY(0, 0), XY(0, 10), XY(10, 10), XY(10, 0)])]), attributes: [.string("x")])], crs: nil)
        try ShapefileWriter.write(open, to: dir + "/open", prj: nil)
        let back = try ShapefileReader.read(dir + "/open", proj: proj)
        XCTAssertEqual(back.features[0].geometry.sequences[0].count, 4, "the reader keeps what the file says")
        XCTAssertEqual(errorCode { _ = try GEOSContext().make(back.features[0].geometry) }, "GEOM.RING_NOT_CLOSED")
    }
}
