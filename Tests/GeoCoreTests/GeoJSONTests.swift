import Foundation
import XCTest
import SampleData
@testable import GeoCore

final class GeoJSONTests: XCTestCase {
    var proj: ProjContext!
    override func setUpWithError() throws { proj = try ProjContext() }

    func testWriteThenReadIsEqual() throws {
        let fields = [Field(name: "name", type: .character), Field(name: "n", type: .numeric), Field(name: "x", type: .float), Field(name: "ok", type: .logical)]
        let geoms: [Geometry] = [
            .point(115.123456789, 22.5),
            .lineString([XY(115, 22), XY(115.1, 22.1)]),
            .polygon([XY(0, 0), XY(1, 0), XY(1, 1), XY(0, 1)], holes: [[XY(0.2, 0.2), XY(0.2, 0.4), XY(0.4, 0.4), XY(0.4, 0.2)]]),
            .multiPolygon([[CoordinateSequence([XY(0, 0), XY(1, 0), XY(1, 1), XY(0, 0)])], [CoordinateSequence([XY(5, 5), XY(6, 5), XY(6, 6), XY(5, 5)])]]),
            .lineString(CoordinateSequence([XY(1, 2), XY(3, 4)], z: [5, 6])),
        ]
        let feats = geoms.enumerated().map { i, g in
            Feature(index: i, geometry: g, attributes: [.string("互花米草 \"\(i)\"\n"), .integer(Int64(i) * 7), .double(0.1 * Double(i) + 0.05), .bool(i % 2 == 0)])
        }
        let layer = VectorLayer(name: "t", path: "", format: .geojson, family: .mixed, fields: fields, features: feats, crs: try CRS.epsg(4326, context: proj))
        let data = GeoJSON.encode(layer)
        let back = try GeoJSON.decode(data, path: "t.geojson", proj: proj)
        XCTAssertEqual(back.fields.map(\.name).sorted(), fields.map(\.name).sorted())
        for (a, b) in zip(feats, back.features) {
            for f in fields { XCTAssertEqual(back.value(b, f.name), layer.value(a, f.name), f.name) }
        }
        XCTAssertEqual(back.features[0].geometry, geoms[0])
        XCTAssertEqual(back.features[1].geometry, geoms[1])
        XCTAssertEqual(back.features[4].geometry, geoms[4])
        // RFC 7946 ring orientation: exterior counter-clockwise, hole clockwise.
        let rings = back.features[2].geometry.polygonParts[0]
        XCTAssertGreaterThan(rings[0].signedRingArea, 0)
        XCTAssertLessThan(rings[1].signedRingArea, 0)
        let g = try GEOSContext()
        XCTAssertTrue(try g.make(back.features[3].geometry).equalsTopologically(try g.make(geoms[3])))
        XCTAssertEqual(back.crs?.epsg, 4326)
        XCTAssertEqual(GeoJSON.encode(back), GeoJSON.encode(try GeoJSON.decode(GeoJSON.encode(back), path: "", proj: proj)), "stable bytes")
    }

    /// The lon/lat writer (bytes, on all cores, batched PROJ): read back, every feature's
    /// properties are the same and every coordinate is PROJ's conversion to within its 9
    /// decimals (5e-10°); rings keep RFC 7946's orientation; the bytes do not depend on how the
    /// features were split among the cores.
    func testLonLatPiecesReadBackAsPROJConvertsThem() throws {
        let fields = [Field(name: "name", type: .character), Field(name: "n", type: .integer), Field(name: "w", type: .float), Field(name: "ok", type: .logical)]
        let o = XY(500_000, 2_500_000)
        var rng = SeededGenerator.forTest("testLonLatPiecesReadBackAsPROJConvertsThem")
        var feats: [Feature] = []
        for i in 0..<600 {
            let x = o.x + rng.uniform(-50_000, 50_000), y = o.y + rng.uniform(-50_000, 50_000)
            let g: Geometry = i % 3 == 0 ? .lineString([XY(x, y), XY(x + 100, y + 37)])
                : .polygon([XY(x, y), XY(x + 30, y), XY(x + 30, y + 20), XY(x, y + 20)], holes: i % 2 == 0 ? [[XY(x + 5, y + 5), XY(x + 5, y + 8), XY(x + 8, y + 8), XY(x + 8, y + 5)]] : [])
            feats.append(Feature(index: i, geometry: g, attributes: [.string("滩 \"\(i)\""), .integer(Int64(i)), i % 5 == 0 ? .null : .double(Double(i) / 8 + 0.0625), .bool(i % 2 == 0)]))
        }
        let crs = try CRS.epsg(4547, context: proj)
        let layer = VectorLayer(name: "beach", path: "", format: .shapefile, family: .mixed, fields: fields, features: feats, crs: crs)
        let bytes = Data(try GeoJSON.lonLatPieces(layer, from: crs, proj: proj, parallelFrom: 100).joined())
        let back = try GeoJSON.decode(bytes, path: "beach.geojson", proj: proj)
        XCTAssertEqual(back.features.count, feats.count)
        let t = try CoordinateTransformer(from: crs, to: try CRS.epsg(4490, context: proj), context: proj)
        for (a, b) in zip(feats, back.features) {
            for f in fields { XCTAssertEqual(back.value(b, f.name), layer.value(a, f.name), "\(f.name) of \(a.index)") }
            let expected = try t.transform(a.geometry)
            for (s, r) in zip(expected.sequences, b.geometry.sequences) {
                let forward = zip(s.xy, r.xy).allSatisfy { abs($0.x - $1.x) <= 5e-10 && abs($0.y - $1.y) <= 5e-10 }
                let backward = zip(s.xy.reversed(), r.xy).allSatisfy { abs($0.x - $1.x) <= 5e-10 && abs($0.y - $1.y) <= 5e-10 }
                XCTAssertTrue(forward || backward, "feature \(a.index)")
            }
            for rings in b.geometry.polygonParts {
                XCTAssertGreaterThan(rings[0].signedRingArea, 0)
                for h in rings.dropFirst() { XCTAssertLessThan(h.signedRingArea, 0) }
            }
        }
        // One feature at a time gives the same bytes for it as the whole layer does.
        var one = layer; one.features = [feats[4]]
        let single = String(decoding: try GeoJSON.lonLatPieces(one, from: crs, proj: proj).joined(), as: UTF8.self)
        let body = single.components(separatedBy: "\n")[1]
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains("\n" + body + ",\n"), body)
    }

    /// `lonLatTwoPointLines` (the transects: pieces made on any thread) writes the same bytes
    /// as `lonLatPieces` does for a layer of those two-point lines with those properties, under
    /// Krüger's series (a CGCS2000 zone) and on the PROJ path (UTM), in one run and in many.
    func testTwoPointLinesAreTheLayerWritersBytes() throws {
        var rng = SeededGenerator.forTest("testTwoPointLinesAreTheLayerWritersBytes")
        for (epsg, count) in [(4547, 3), (4547, 9000), (32650, 9000)] {
            let crs = try CRS.epsg(epsg, context: proj)
            let lines = (0..<count).map { _ -> (XY, XY, Double) in
                let x = 500_000 + rng.uniform(-40_000, 40_000), y = 2_500_000 + rng.uniform(-40_000, 40_000)
                return (XY(x, y), XY(x + rng.uniform(-300, 300), y + rng.uniform(-300, 300)), rng.uniform(0, 80))
            }
            let fields = [Field(name: "station", type: .integer), Field(name: "width_m", type: .float)]
            let feats = lines.enumerated().map { i, l in
                Feature(index: i, geometry: .lineString([l.0, l.1]), attributes: [.integer(Int64(i)), .double(l.2)])
            }
            let layer = VectorLayer(name: "transects", path: "", format: .shapefile, family: .mixed, fields: fields, features: feats, crs: crs)
            let expected = Data(try GeoJSON.lonLatPieces(layer, from: crs, proj: proj, parallelFrom: 100).joined())
            let pieces = GeoJSON.lonLatTwoPointLines(name: "transects", count: count, conversion: try LonLatConversion(from: crs, context: proj),
                                                     ends: { (lines[$0].0, lines[$0].1) },
                                                     properties: { i, out in
                                                         GeoJSON.appendProperty("\"station\":", .integer(Int64(i)), first: true, to: &out)
                                                         GeoJSON.appendProperty("\"width_m\":", .double(lines[i].2), to: &out)
                                                     })
            let perPiece = epsg == 4547 ? OrderedPieces.rowsPerPiece : 4096   // the series, or PROJ (a context per piece)
            XCTAssertEqual(pieces.count, 2 + max(1, (count + perPiece - 1) / perPiece), "EPSG:\(epsg) \(count)")
            XCTAssertEqual(Data(try pieces.collect().joined()), expected, "EPSG:\(epsg) \(count)")
        }
    }

    func testLegacyCRSMemberAndErrors() throws {
        let doc = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}},"features":[{"type":"Feature","properties":null,"geometry":{"type":"Point","coordinates":[115,22]}}]}"#
        XCTAssertEqual(try GeoJSON.decode(Data(doc.utf8), path: "c", proj: proj).crs?.epsg, 4490)
        XCTAssertEqual(errorCode { _ = try GeoJSON.decode(Data("{\"type\":".utf8), path: "x", proj: proj) }, "IO.GEOJSON.SYNTAX")
        XCTAssertEqual(errorCode { _ = try GeoJSON.decode(Data("[1,2]".utf8), path: "x", proj: proj) }, "IO.GEOJSON.STRUCTURE")
        XCTAssertEqual(errorCode { _ = try GeoJSON.decode(Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":["a"]}}]}"#.utf8), path: "x", proj: proj) }, "IO.GEOJSON.STRUCTURE")
        XCTAssertEqual(errorCode { _ = try GeoJSON.decode(Data(#"{"type":"Hexagon","coordinates":[]}"#.utf8), path: "x", proj: proj) }, "IO.GEOJSON.STRUCTURE")
    }
}

/// Every kind of JSON value read into its own case, numbers exactly.
final class JSONValueTests: XCTestCase {
    func testEveryKind() throws {
        let text = #"{"s":"x","empty":"","i":3,"big":9223372036854775807,"neg":-2,"d":0.1,"e":1e2,"frac":2.5e-3,"huge":1e300,"t":true,"f":false,"n":null,"a":[1,"2",[3],{}],"o":{"k":{}},"zh":"海滩"}"#
        let v = try JSONValue.parse(Data(text.utf8))
        XCTAssertEqual(v, .object([
            "s": .string("x"), "empty": .string(""), "i": .integer(3), "big": .integer(Int64.max), "neg": .integer(-2),
            "d": .number(0.1), "e": .integer(100), "frac": .number(0.0025), "huge": .number(1e300), "t": .bool(true), "f": .bool(false),
            "n": .null, "a": .array([.integer(1), .string("2"), .array([.integer(3)]), .object([:])]), "o": .object(["k": .object([:])]),
            "zh": .string("海滩"),
        ]))
        XCTAssertThrowsError(try JSONValue.parse(Data(#"{"a":}"#.utf8)))
    }
}

/// `ByteText` writes numbers as `GeoJSON.number` does, for every kind of value.
final class ByteTextTests: XCTestCase {
    /// Integers digit by digit as `String(i)`; fixed decimals as `%.Nf` with trailing zeros dropped.
    func testIntegersAndFixedDecimals() {
        var g = SeededGenerator.forTest("testIntegersAndFixedDecimals")
        var ints = [0, 1, -1, 9, 10, -10, Int.max, Int.min + 1, 1_000_000_007]
        for _ in 0..<10_000 { ints.append(Int.random(in: -1_000_000_000_000...1_000_000_000_000, using: &g)) }
        for i in ints { var t = ByteText(capacity: 0); t.append(i); XCTAssertEqual(String(decoding: t.bytes, as: UTF8.self), String(i)) }
        func trimmed(_ s: String) -> String {
            guard s.contains(".") else { return s }
            var s = s
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            return s == "-0" ? "0" : s
        }
        var values: [Double] = [0, -0.0, 1, -1, 0.5, 115.123456789, -33.0000000004, 179.9999999996, 1e-10, 22.25]
        for _ in 0..<20_000 { values.append(Double.random(in: -180...180, using: &g)) }
        for v in values {
            var t = ByteText(capacity: 0); t.append(fixed: v, decimals: 9)
            let ours = String(decoding: t.bytes, as: UTF8.self)
            XCTAssertEqual(Double(ours)!, v, accuracy: 5.000001e-10, "\(v)")
            // Agrees with C's rounding except where the value lies within a rounding error of a half.
            let c = trimmed(fixed(v, 9))
            if ours != c { XCTAssertEqual(abs(Double(ours)! - Double(c)!), 1e-9, accuracy: 1e-12, "\(v): \(ours) vs \(c)") }
        }
        var t = ByteText(capacity: 0); t.append(fixed: .nan, decimals: 9)
        XCTAssertEqual(String(decoding: t.bytes, as: UTF8.self), "null")
        // Every precision 0–9 (and out-of-range ones, clamped) as the integer text of the scaled,
        // rounded value with the point put back and trailing zeros dropped.
        for v in values.prefix(5_000) + [123456789.123456789, -0.0000000001, 8.999999999e9] {
            for d in -1...10 {
                let k = max(0, min(9, d))
                let q = Int64((v * pow(10, Double(k))).rounded())
                var digits = String(q.magnitude)
                if digits.count <= k { digits = String(repeating: "0", count: k - digits.count + 1) + digits }
                var text = k == 0 ? digits : String(digits.dropLast(k)) + "." + String(digits.suffix(k))
                if k > 0 { while text.hasSuffix("0") { text.removeLast() }; if text.hasSuffix(".") { text.removeLast() } }
                if q < 0 { text = "-" + text }
                var t = ByteText(capacity: 0); t.append(fixed: v, decimals: d)
                XCTAssertEqual(String(decoding: t.bytes, as: UTF8.self), text, "\(v) with \(d) decimals")
            }
        }
    }

    func testNumbersAreGeoJSONs() {
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 1e15, 1e15 - 1, -1e15, 1e16, 999_999_999_999_999, 123456.789, 713123.4567891234,
                                2_512_345.000000001, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .infinity, -.infinity, .nan]
        var g = SeededGenerator.forTest("testNumbersAreGeoJSONs")
        for _ in 0..<20_000 {
            values.append(Double.random(in: -1e7...1e7, using: &g))
            values.append(Double(bitPattern: g.next()))
            values.append(Double(Int64.random(in: -1_000_000_000...1_000_000_000, using: &g)))
        }
        var text = ByteText(capacity: 0)
        for v in values {
            text.removeAll()
            text.append(number: v)
            XCTAssertEqual(String(decoding: text.bytes, as: UTF8.self), GeoJSON.number(v), "\(v.bitPattern)")
        }
    }
}
