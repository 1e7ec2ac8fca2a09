import Foundation
import GeoCore

/// Writes synthetic sample bundles: shapes are designed in a local metric frame (metres east and
/// north of an origin), placed in the CGCS2000 Gauss–Krüger zone of the origin, and stored in
/// the bundle's CRS. All data here is synthetic; the numbers it was built to give are stated
/// beside each shape so tests can check them.
public struct SampleWriter {
    public let proj: ProjContext
    public let folder: String
    /// Gauss–Krüger CRS the shapes are designed in.
    public let designCRS: CRS
    /// CRS the files are stored in.
    public let storeCRS: CRS
    let origin: XY
    let toStore: CoordinateTransformer

    /// `originLonLat` is the local (0, 0); `storeEPSG` the CRS of the written files.
    public init(folder: String, originLonLat: XY, storeEPSG: Int, proj: ProjContext) throws {
        self.proj = proj
        self.folder = folder
        let zone = GaussKrugerZone.threeDegree(nearestTo: originLonLat.x)
        designCRS = try CRS.epsg(zone.epsg, context: proj)
        storeCRS = try CRS.epsg(storeEPSG, context: proj)
        let fromLL = try CoordinateTransformer(from: try CRS.epsg(4490, context: proj), to: designCRS, context: proj)
        origin = try fromLL.transform(originLonLat)
        toStore = try CoordinateTransformer(from: designCRS, to: storeCRS, context: proj)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// A local shape placed in the design CRS (metres).
    public func placed(_ g: Geometry) -> Geometry {
        g.mapSequences { CoordinateSequence($0.xy.map { XY($0.x + origin.x, $0.y + origin.y) }, z: $0.z, m: $0.m) }
    }

    /// Writes a layer of local shapes as `name.shp` in the store CRS.
    public func shapefile(_ name: String, family: VectorLayer.GeometryFamily, fields: [Field], rows: [(Geometry, [AttributeValue])],
                          options: ShapefileWriter.Options = .init(encoding: .gb18030, declaration: .cpg)) throws {
        let features = try rows.enumerated().map { i, r in
            Feature(index: i, geometry: try toStore.transform(placed(r.0)), attributes: r.1)
        }
        let layer = VectorLayer(name: name, path: name, format: .shapefile, family: family, fields: fields, features: features, crs: storeCRS)
        try ShapefileWriter.write(layer, to: (folder as NSString).appendingPathComponent(name), prj: try storeCRS.esriWKT(context: proj), options: options)
    }

    /// Writes `submission.json` with sorted keys (byte-stable).
    public func manifest(_ value: JSONLike) throws {
        let data = try JSONSerialization.data(withJSONObject: value.any, options: [.prettyPrinted, .sortedKeys])
        try (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: (folder as NSString).appendingPathComponent("submission.json")))
    }
}

/// A tiny JSON builder so manifests read like the spec.
public indirect enum JSONLike: Sendable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case s(String), n(Double), b(Bool), a([JSONLike]), o([(String, JSONLike)]), null
    public init(stringLiteral v: String) { self = .s(v) }
    public init(floatLiteral v: Double) { self = .n(v) }
    public init(integerLiteral v: Int) { self = .n(Double(v)) }
    public init(booleanLiteral v: Bool) { self = .b(v) }
    public init(arrayLiteral e: JSONLike...) { self = .a(e) }
    public init(dictionaryLiteral e: (String, JSONLike)...) { self = .o(e) }
    var any: Any {
        switch self {
        case .s(let s): return s
        case .n(let d): return d == d.rounded() && abs(d) < 1e15 ? Int(d) as Any : d as Any
        case .b(let b): return b
        case .a(let a): return a.map(\.any)
        case .o(let o): return Dictionary(o.map { ($0.0, $0.1.any) }, uniquingKeysWith: { a, _ in a })
        case .null: return NSNull()
        }
    }
}

// MARK: Shape helpers (local metres)

public enum Shapes {
    /// Axis-aligned rectangle polygon.
    public static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
        .rectangle(Envelope(minX: x0, minY: y0, maxX: x1, maxY: y1))
    }
    /// Points of y = f(x) from x0 to x1 every `step` metres (both ends included).
    public static func curve(_ x0: Double, _ x1: Double, step: Double, _ f: (Double) -> Double) -> [XY] {
        let n = Int(((x1 - x0) / step).rounded(.up))
        return (0...n).map { i in let x = min(x1, x0 + Double(i) * step); return XY(x, f(x)) }
    }
    /// The band between y = f(x) and y = f(x) − width(x) for x in [x0, x1] (seaward = south).
    public static func band(_ x0: Double, _ x1: Double, step: Double = 5, along f: (Double) -> Double, width: (Double) -> Double) -> Geometry {
        let top = curve(x0, x1, step: step, f)
        let bottom = curve(x0, x1, step: step) { f($0) - width($0) }.reversed()
        return .polygon(top + bottom)
    }
}
