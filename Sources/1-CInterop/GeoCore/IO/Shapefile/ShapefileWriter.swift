import CShapelib
import Foundation

/// Writes a `VectorLayer` as a shapefile set with shapelib: `.shp .shx .dbf`, a `.prj` when
/// `prj` text is given (ESRI WKT, see `CRS.esriWKT`), and the text encoding declared as asked.
///
/// Polygon rings are written clockwise for exteriors and counter-clockwise for holes. Z and M
/// are written when the layer says it has them. Numbers are written as decimal text with as
/// many decimals as the shortest exact representation of the values needs (so they read back
/// equal); dates as `YYYYMMDD`.
public enum ShapefileWriter {
    public struct Options: Sendable {
        /// Encoding of attribute text and field names.
        public var encoding: TextEncoding
        /// How the encoding is declared: a `.cpg` file, the DBF language-driver byte, or not at
        /// all (readers then have to detect it; used to build test variants).
        public enum Declaration: Sendable { case cpg, languageDriver, none }
        public var declaration: Declaration
        public init(encoding: TextEncoding = .utf8, declaration: Declaration = .cpg) {
            self.encoding = encoding; self.declaration = declaration
        }
    }

    /// Writes `layer` to `base` + `.shp/.shx/.dbf` (`base` may end in `.shp`). Existing files are replaced.
    public static func write(_ layer: VectorLayer, to path: String, prj: String?, options: Options = Options()) throws {
        let base = ShapefileStructure.base(of: path)
        let fm = FileManager.default
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] { try? fm.removeItem(atPath: base + "." + ext) }

        let type = try shapeType(layer)
        guard let hSHP = SHPCreate(base + ".shp", type) else {
            throw GeoError.io(code: .writeFailed, file: base + ".shp", detail: "shapelib could not create the file")
        }
        defer { SHPClose(hSHP) }
        for f in layer.features {
            try writeShape(f, type: type, layer: layer, handle: hSHP, path: base + ".shp")
        }
        try writeDBF(layer, path: base + ".dbf", options: options)
        if let prj {
            do { try prj.write(toFile: base + ".prj", atomically: true, encoding: .utf8) }
            catch { throw GeoError.io(code: .writeFailed, file: base + ".prj", detail: error.localizedDescription) }
        }
    }

    static func shapeType(_ layer: VectorLayer) throws -> Int32 {
        let offset: Int32 = layer.hasZ ? 10 : (layer.hasM ? 20 : 0)
        switch layer.family {
        case .point: return SHPT_POINT + offset
        case .line: return SHPT_ARC + offset
        case .polygon: return SHPT_POLYGON + offset
        case .multipoint: return SHPT_MULTIPOINT + offset
        case .mixed, .null:
            throw GeoError.io(code: .unsupportedShapeType, file: layer.path, detail: "a shapefile holds one geometry family; this layer is \(layer.family.rawValue)")
        }
    }

    static func writeShape(_ f: Feature, type: Int32, layer: VectorLayer, handle: SHPHandle, path: String) throws {
        let seqs: [CoordinateSequence]
        switch layer.family {
        case .polygon: seqs = f.geometry.polygonParts.flatMap(RingAssembly.shapefileRings)
        case .line: seqs = f.geometry.lineParts
        default: seqs = f.geometry.sequences
        }
        let points = seqs.flatMap(\.xy)
        let obj: UnsafeMutablePointer<SHPObject>?
        if points.isEmpty {
            obj = SHPCreateObject(SHPT_NULL, -1, 0, nil, nil, 0, nil, nil, nil, nil)
        } else {
            var starts: [Int32] = []
            var n: Int32 = 0
            for s in seqs { starts.append(n); n += Int32(s.count) }
            let xs = points.map(\.x), ys = points.map(\.y)
            let zs: [Double]? = layer.hasZ ? seqs.flatMap { $0.z ?? [Double](repeating: 0, count: $0.count) } : nil
            let ms: [Double]? = (layer.hasM || layer.hasZ) ? seqs.flatMap { $0.m ?? [Double](repeating: -1e39, count: $0.count) } : nil
            let isMulti = layer.family == .line || layer.family == .polygon
            obj = zs.withOptionalBuffer { zp in
                ms.withOptionalBuffer { mp in
                    SHPCreateObject(type, -1, isMulti ? Int32(starts.count) : 0, isMulti ? starts : nil, nil,
                                    Int32(points.count), xs, ys, zp, mp)
                }
            }
        }
        guard let obj else { throw GeoError.io(code: .writeFailed, file: path, record: f.index, detail: "shapelib could not build the shape") }
        defer { SHPDestroyObject(obj) }
        if SHPWriteObject(handle, -1, obj) < 0 {
            throw GeoError.io(code: .writeFailed, file: path, record: f.index, detail: "shapelib could not write the shape")
        }
    }

    // MARK: DBF

    static func writeDBF(_ input: VectorLayer, path: String, options: Options) throws {
        // A DBF needs at least one field to hold records: a layer without attributes gets FID.
        var layer = input
        if layer.fields.isEmpty {
            layer.fields = [Field(name: "FID", type: .numeric, width: 10)]
            layer.features = layer.features.enumerated().map { i, f in
                Feature(index: f.index, geometry: f.geometry, attributes: [.integer(Int64(i))])
            }
        }
        let codePage: String?
        switch options.declaration {
        case .cpg: codePage = options.encoding == .gb18030 ? "GBK" : options.encoding.rawValue
        case .languageDriver: codePage = options.encoding == .gb18030 ? "LDID/77" : (options.encoding == .windows1252 ? "LDID/88" : nil)
        case .none: codePage = "LDID/0"   // shapelib's DBFCreate would write 0x57 ("ANSI")
        }
        guard let h = (codePage.map { DBFCreateEx(path, $0) } ?? DBFCreateEx(path, "LDID/0")) else {
            throw GeoError.io(code: .writeFailed, file: path, detail: "shapelib could not create the table")
        }
        defer { DBFClose(h) }
        let enc = options.encoding
        // Field layouts: widths from the data so that nothing is cut.
        var layouts: [(type: CChar, width: Int, decimals: Int)] = []
        for (i, field) in layer.fields.enumerated() {
            let column = layer.features.map { $0.attributes[i] }
            let layout = try layoutFor(field, column: column, encoding: enc, path: path)
            guard let nameBytes = enc.encode(field.name), nameBytes.count <= 10, !nameBytes.isEmpty else {
                throw GeoError.io(code: .writeFailed, file: path, field: field.name, detail: "a DBF field name is 1–10 bytes in \(enc.rawValue)")
            }
            let added = (nameBytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
                DBFAddNativeFieldType(h, $0.baseAddress, layout.type, Int32(layout.width), Int32(layout.decimals))
            }
            guard added >= 0 else { throw GeoError.io(code: .writeFailed, file: path, field: field.name, detail: "shapelib refused the field") }
            layouts.append(layout)
        }
        for (r, f) in layer.features.enumerated() {
            for (i, v) in f.attributes.enumerated() {
                let ok: Int32
                if case .null = v {
                    ok = DBFWriteNULLAttribute(h, Int32(r), Int32(i))
                } else {
                    var bytes = try text(v, layout: layouts[i], encoding: enc, path: path, record: r, field: layer.fields[i].name)
                    bytes.append(0)
                    ok = bytes.withUnsafeMutableBytes { DBFWriteAttributeDirectly(h, Int32(r), Int32(i), $0.baseAddress) }
                }
                guard ok != 0 else { throw GeoError.io(code: .writeFailed, file: path, record: r, field: layer.fields[i].name, detail: "shapelib could not write the value") }
            }
        }
    }

    static func layoutFor(_ field: Field, column: [AttributeValue], encoding: TextEncoding, path: String) throws -> (type: CChar, width: Int, decimals: Int) {
        func c(_ s: String) -> CChar { CChar(s.utf8.first!) }
        switch field.type {
        case .logical: return (c("L"), 1, 0)
        case .date: return (c("D"), 8, 0)
        case .numeric, .float, .integer:
            var decimals = 0, intDigits = 1
            for v in column {
                switch v {
                case .integer(let i): intDigits = max(intDigits, String(i).count)
                case .double(let d):
                    let s = String(d)
                    if s.contains("e") || !d.isFinite { decimals = max(decimals, 15) }
                    let parts = s.split(separator: ".")
                    intDigits = max(intDigits, parts[0].count)
                    if parts.count > 1, !s.contains("e") { decimals = max(decimals, parts[1].count == 1 && parts[1] == "0" ? 1 : parts[1].count) }
                default: break
                }
            }
            if field.decimals > decimals { decimals = field.decimals }
            let width = min(254, max(field.width, intDigits + (decimals > 0 ? decimals + 1 : 0)))
            return (c(field.type == .float ? "F" : "N"), width, decimals)
        default:
            var width = 1
            for v in column where v != .null {
                guard let b = encoding.encode(v.description) else {
                    throw GeoError.io(code: .writeFailed, file: path, field: field.name, detail: "\"\(v)\" cannot be written in \(encoding.rawValue)")
                }
                width = max(width, b.count)
            }
            guard width <= 254 else { throw GeoError.io(code: .writeFailed, file: path, field: field.name, detail: "text longer than 254 bytes") }
            return (c("C"), max(width, field.width), 0)
        }
    }

    static func text(_ v: AttributeValue, layout: (type: CChar, width: Int, decimals: Int), encoding: TextEncoding,
                     path: String, record: Int, field: String) throws -> [UInt8] {
        let s: String
        switch (v, Character(UnicodeScalar(UInt8(layout.type)))) {
        case (.bool(let b), _): s = b ? "T" : "F"
        case (.date(let d), _): s = d.replacingOccurrences(of: "-", with: "")
        case (.integer(let i), "N"), (.integer(let i), "F"):
            s = layout.decimals > 0 ? fixed(Double(i), layout.decimals) : String(i)
        case (.double(let d), "N"), (.double(let d), "F"): s = fixed(d, layout.decimals)
        default: s = v.description
        }
        guard var bytes = encoding.encode(s) else {
            throw GeoError.io(code: .writeFailed, file: path, record: record, field: field, detail: "\"\(s)\" cannot be written in \(encoding.rawValue)")
        }
        guard bytes.count <= layout.width else {
            throw GeoError.io(code: .writeFailed, file: path, record: record, field: field, detail: "\"\(s)\" is wider than the field (\(layout.width))")
        }
        let numeric = layout.type == CChar(UInt8(ascii: "N")) || layout.type == CChar(UInt8(ascii: "F"))
        if numeric { bytes = [UInt8](repeating: 0x20, count: layout.width - bytes.count) + bytes }
        return bytes
    }
}

extension Optional where Wrapped == [Double] {
    func withOptionalBuffer<R>(_ body: (UnsafePointer<Double>?) -> R) -> R {
        switch self {
        case .some(let a): return a.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: return body(nil)
        }
    }
}
