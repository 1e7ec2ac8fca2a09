import Foundation

/// Reads and writes GeoJSON (RFC 7946). Coordinates are WGS 84 longitude/latitude as the RFC
/// fixes; a legacy `crs` member naming an EPSG code (e.g. `urn:ogc:def:crs:EPSG::4490`) is
/// honoured and reported through `VectorLayer.crsText`. Property order is kept as first seen.
public enum GeoJSON {
    /// Largest document read (a bound against unbounded allocation).
    public static let maxBytes = 512 * 1024 * 1024

    // MARK: Reading

    public static func read(_ path: String, proj: ProjContext) throws -> VectorLayer {
        let data = try RegularFile.read(path, limit: maxBytes)
        return try decode(data, path: path, proj: proj)
    }

    public static func decode(_ data: Data, path: String, proj: ProjContext) throws -> VectorLayer {
        let root: JSONValue
        do { root = try JSONValue.parse(data) }
        catch { throw GeoError.io(code: .geojsonSyntax, file: path, detail: "not valid JSON: \(error)") }
        guard let obj = root.objectValue, let type = obj["type"]?.stringValue else {
            throw GeoError.io(code: .geojsonStructure, file: path, detail: "the top level is not a GeoJSON object with a \"type\"")
        }
        var rawFeatures: [[String: JSONValue]]
        switch type {
        case "FeatureCollection":
            guard let fs = obj["features"]?.arrayValue else { throw GeoError.io(code: .geojsonStructure, file: path, detail: "\"features\" is missing or not an array") }
            rawFeatures = try fs.enumerated().map { i, f in
                guard let d = f.objectValue, d["type"]?.stringValue == "Feature" else {
                    throw GeoError.io(code: .geojsonStructure, file: path, record: i, detail: "member is not a Feature")
                }
                return d
            }
        case "Feature": rawFeatures = [obj]
        default: rawFeatures = [["type": .string("Feature"), "geometry": root, "properties": .object([:])]]
        }

        var fieldNames: [String] = []
        var seen = Set<String>()
        var propsList: [[String: JSONValue]] = []
        for f in rawFeatures {
            let props = f["properties"]?.objectValue ?? [:]
            // JSON decoding loses key order; sort for a stable field order.
            for k in props.keys.sorted() where !seen.contains(k) { seen.insert(k); fieldNames.append(k) }
            propsList.append(props)
        }
        var features: [Feature] = []
        var families = Set<VectorLayer.GeometryFamily>()
        var hasZ = false
        var columns = [[AttributeValue]](repeating: [], count: fieldNames.count)
        for (i, f) in rawFeatures.enumerated() {
            let g: Geometry
            if let gj = f["geometry"], gj != .null {
                g = try geometry(gj, path: path, record: i)
            } else { g = .collection([]) }
            if !g.isEmpty { families.insert(family(g)) }
            hasZ = hasZ || g.hasZ
            let attrs = fieldNames.map { attribute(propsList[i][$0]) }
            for (c, a) in attrs.enumerated() { columns[c].append(a) }
            features.append(Feature(index: i, geometry: g, attributes: attrs))
        }
        let fields = fieldNames.enumerated().map { c, n in Field(name: n, type: fieldType(columns[c])) }
        var crsText: String? = nil
        var crs = try CRS.epsg(4326, context: proj)
        if let name = obj["crs"]?.objectValue?["properties"]?.objectValue?["name"]?.stringValue {
            crsText = name
            if let code = name.split(whereSeparator: { $0 == ":" }).last.flatMap({ Int($0) }) { crs = try CRS.epsg(code, context: proj) }
            else if name.uppercased().contains("CRS84") { crs = try CRS.epsg(4326, context: proj) }
        }
        return VectorLayer(name: ((path as NSString).lastPathComponent as NSString).deletingPathExtension, path: path, format: .geojson,
                           family: families.count == 1 ? families.first! : (families.isEmpty ? .null : .mixed), hasZ: hasZ,
                           fields: fields, features: features, crs: crs, crsText: crsText, encoding: nil)
    }

    static func family(_ g: Geometry) -> VectorLayer.GeometryFamily {
        switch g {
        case .point: return .point
        case .multiPoint: return .multipoint
        case .lineString, .multiLineString: return .line
        case .polygon, .multiPolygon: return .polygon
        case .collection: return .mixed
        }
    }

    static func fieldType(_ column: [AttributeValue]) -> Field.FieldType {
        let kinds = Set(column.compactMap { v -> Field.FieldType? in
            switch v {
            case .null: return nil
            case .integer: return .numeric
            case .double: return .float
            case .bool: return .logical
            case .date: return .date
            case .string: return .character
            }
        })
        if kinds == [.numeric, .float] { return .float }
        return kinds.count == 1 ? kinds.first! : .character
    }

    /// A property as an attribute; nested arrays and objects are kept as their JSON text.
    static func attribute(_ v: JSONValue?) -> AttributeValue {
        switch v {
        case nil, .null?: return .null
        case .string(let s)?: return .string(s)
        case .bool(let b)?: return .bool(b)
        case .integer(let i)?: return .integer(i)
        case .number(let d)?: return .double(d)
        case let other?:
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys]
            return (try? enc.encode(other)).map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
        }
    }

    static func geometry(_ any: JSONValue, path: String, record: Int) throws -> Geometry {
        func bad(_ why: String) -> GeoError { .io(code: .geojsonStructure, file: path, record: record, detail: why) }
        guard let o = any.objectValue, let type = o["type"]?.stringValue else { throw bad("geometry without a \"type\"") }
        if type == "GeometryCollection" {
            guard let gs = o["geometries"]?.arrayValue else { throw bad("GeometryCollection without \"geometries\"") }
            return .collection(try gs.map { try geometry($0, path: path, record: record) })
        }
        guard let c = o["coordinates"] else { throw bad("\(type) without \"coordinates\"") }
        func position(_ p: JSONValue) throws -> (XY, Double?) {
            guard let a = p.arrayValue, a.count >= 2, let x = a[0].doubleValue, let y = a[1].doubleValue else {
                throw bad("a position must be an array of at least two numbers")
            }
            return (XY(x, y), a.count >= 3 ? a[2].doubleValue : nil)
        }
        func sequence(_ p: JSONValue) throws -> CoordinateSequence {
            guard let a = p.arrayValue else { throw bad("expected an array of positions") }
            let ps = try a.map(position)
            let zs = ps.compactMap(\.1)
            return CoordinateSequence(ps.map(\.0), z: zs.count == ps.count && !ps.isEmpty ? zs : nil)
        }
        func list(_ p: JSONValue) throws -> [JSONValue] {
            guard let a = p.arrayValue else { throw bad("expected an array") }
            return a
        }
        switch type {
        case "Point":
            if let a = c.arrayValue, a.isEmpty { return .point(CoordinateSequence([])) }
            let (xy, z) = try position(c)
            return .point(CoordinateSequence([xy], z: z.map { [$0] }))
        case "MultiPoint": return .multiPoint(try list(c).map { p in let (xy, z) = try position(p); return CoordinateSequence([xy], z: z.map { [$0] }) })
        case "LineString": return .lineString(try sequence(c))
        case "MultiLineString": return .multiLineString(try list(c).map(sequence))
        case "Polygon": return .polygon(try list(c).map(sequence))
        case "MultiPolygon": return .multiPolygon(try list(c).map { try list($0).map(sequence) })
        default: throw bad("unknown geometry type \"\(type)\"")
        }
    }

    // MARK: Writing

    /// A FeatureCollection as UTF-8 bytes. Deterministic: properties in field order, numbers in
    /// their shortest exact decimal form, so the same layer always gives the same bytes.
    /// Polygon exteriors are written counter-clockwise and holes clockwise (RFC 7946 §3.1.6).
    public static func encode(_ layer: VectorLayer, name: String? = nil) -> Data {
        var out = "{\"type\":\"FeatureCollection\""
        if let name { out += ",\"name\":" + jsonString(name) }
        out += ",\"features\":["
        for (i, f) in layer.features.enumerated() {
            if i > 0 { out += ",\n" } else { out += "\n" }
            out += "{\"type\":\"Feature\",\"properties\":{"
            for (j, field) in layer.fields.enumerated() {
                if j > 0 { out += "," }
                out += jsonString(field.name) + ":" + jsonValue(f.attributes[j])
            }
            out += "},\"geometry\":" + (f.geometry.isEmpty && f.geometry.typeName == "GeometryCollection" ? "null" : geometryJSON(f.geometry)) + "}"
        }
        out += "\n]}\n"
        return Data(out.utf8)
    }

    public static func write(_ layer: VectorLayer, to path: String) throws {
        do { try encode(layer, name: layer.name).write(to: URL(fileURLWithPath: path)) }
        catch { throw GeoError.io(code: .writeFailed, file: path, detail: error.localizedDescription) }
    }

    /// A geometry as a GeoJSON geometry object.
    public static func geometryJSON(_ g: Geometry) -> String {
        func pos(_ s: CoordinateSequence, _ i: Int) -> String {
            var t = "[" + number(s.xy[i].x) + "," + number(s.xy[i].y)
            if let z = s.z { t += "," + number(z[i]) }
            return t + "]"
        }
        func seq(_ s: CoordinateSequence) -> String { "[" + (0..<s.count).map { pos(s, $0) }.joined(separator: ",") + "]" }
        func rings(_ rs: [CoordinateSequence]) -> String {
            "[" + rs.enumerated().map { i, r in seq((r.signedRingArea < 0) == (i == 0) ? r.reversed : r) }.joined(separator: ",") + "]"
        }
        switch g {
        case .point(let s): return "{\"type\":\"Point\",\"coordinates\":" + (s.isEmpty ? "[]" : pos(s, 0)) + "}"
        case .multiPoint(let ps): return "{\"type\":\"MultiPoint\",\"coordinates\":[" + ps.map { pos($0, 0) }.joined(separator: ",") + "]}"
        case .lineString(let s): return "{\"type\":\"LineString\",\"coordinates\":" + seq(s) + "}"
        case .multiLineString(let ls): return "{\"type\":\"MultiLineString\",\"coordinates\":[" + ls.map(seq).joined(separator: ",") + "]}"
        case .polygon(let rs): return "{\"type\":\"Polygon\",\"coordinates\":" + rings(rs) + "}"
        case .multiPolygon(let ps): return "{\"type\":\"MultiPolygon\",\"coordinates\":[" + ps.map(rings).joined(separator: ",") + "]}"
        case .collection(let gs): return "{\"type\":\"GeometryCollection\",\"geometries\":[" + gs.map(geometryJSON).joined(separator: ",") + "]}"
        }
    }

    /// JSON number text (`JSONText.number`): shortest round-trip, integers without a point, null if not finite.
    public static func number(_ d: Double) -> String { JSONText.number(d) }
    /// `number(d)` appended to `out`.
    @inline(__always) public static func append(number d: Double, to out: inout String) { JSONText.append(number: d, to: &out) }
    /// A JSON string literal of `s` (`JSONText.string`).
    public static func jsonString(_ s: String) -> String { JSONText.string(s) }

    static func jsonValue(_ v: AttributeValue) -> String {
        switch v {
        case .null: return "null"
        case .string(let s), .date(let s): return jsonString(s)
        case .integer(let i): return String(i)
        case .double(let d): return number(d).contains(".") || number(d).contains("e") || !d.isFinite ? number(d) : number(d) + ".0"
        case .bool(let b): return b ? "true" : "false"
        }
    }
}
