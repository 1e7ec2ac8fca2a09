import CShapelib
import Foundation

/// Reads an ESRI shapefile set (`.shp .shx .dbf`, optional `.prj` and `.cpg`) into a
/// `VectorLayer`, with shapelib doing the record reading after `ShapefileStructure` has checked
/// every header and record bound.
///
/// - Polygons are assembled from rings by orientation (`RingAssembly`).
/// - Z and M are kept when `keepZM` is true, dropped (and the layer says so) otherwise.
/// - Text is decoded by the `.cpg`, else the DBF language-driver byte, else detected: all ASCII,
///   valid UTF-8, or valid GB18030/GBK, in that order; `VectorLayer.encoding` reports which.
/// - The `.prj`, when present, is parsed with PROJ; a missing one leaves `crs` nil (verification
///   reports it), an unreadable one throws `IO.PRJ.UNREADABLE`.
public enum ShapefileReader {
    public struct Options: Sendable {
        public var keepZM: Bool
        /// False: the `.prj` text is kept in `crsText` but not parsed (`crs` stays nil), so that
        /// files can be read on all cores and their CRSs parsed once, on one PROJ context, with
        /// `crs(prj:shapefile:proj:)`.
        public var parseCRS: Bool
        public init(keepZM: Bool = true, parseCRS: Bool = true) { self.keepZM = keepZM; self.parseCRS = parseCRS }
    }

    public static func read(_ path: String, options: Options = Options(), proj: ProjContext) throws -> VectorLayer {
        let base = ShapefileStructure.base(of: path)
        let shpPath = try part(base, "shp"), shxPath = try part(base, "shx"), dbfPath = try part(base, "dbf")
        let shp = try load(shpPath), shx = try load(shxPath), dbf = try load(dbfPath)
        let structure = try ShapefileStructure.check(shp: shp, shx: shx, dbf: dbf, shpPath: shpPath, shxPath: shxPath, dbfPath: dbfPath)

        // Geometry, through shapelib.
        guard let hSHP = SHPOpen(shpPath, "rb") else {
            throw GeoError.io(code: .unreadable, file: shpPath, detail: "shapelib could not open the file")
        }
        defer { SHPClose(hSHP) }
        let type = structure.shapeType
        let hasZ = ShapeTypes.withZ.contains(type)
        let hasM = hasZ || ShapeTypes.withM.contains(type)
        var geometries: [Geometry] = []
        geometries.reserveCapacity(structure.recordCount)
        for i in 0..<structure.recordCount {
            guard let obj = SHPReadObject(hSHP, Int32(i)) else {
                throw GeoError.io(code: .shpRecordCorrupt, file: shpPath, record: i, detail: "shapelib could not read the record")
            }
            defer { SHPDestroyObject(obj) }
            geometries.append(geometry(of: obj.pointee, fileType: type, keepZ: hasZ && options.keepZM, keepM: hasM && options.keepZM))
        }

        // Attributes.
        let prjText = try prjText(ofShapefile: path)
        let cpgText = try RegularFile.firstText([base + ".cpg", base + ".CPG"])
        let (fields, rows, encoding) = try readDBF(dbfPath, header: structure.dbf, cpg: cpgText)

        let crs = try prjText.flatMap { options.parseCRS ? try self.crs(prj: $0, shapefile: shpPath, proj: proj) : nil }
        let features = (0..<structure.recordCount).map { Feature(index: $0, geometry: geometries[$0], attributes: rows[$0]) }
        return VectorLayer(name: (base as NSString).lastPathComponent, path: shpPath, format: .shapefile,
                           family: family(type), hasZ: hasZ && options.keepZM, hasM: hasM && options.keepZM,
                           fields: fields, features: features, crs: crs, crsText: prjText, encoding: encoding)
    }

    /// The text of a shapefile's `.prj` (or `.PRJ`), nil when there is none. `path`: the `.shp`.
    public static func prjText(ofShapefile path: String) throws -> String? {
        let base = ShapefileStructure.base(of: path)
        return try RegularFile.firstText([base + ".prj", base + ".PRJ"])
    }

    /// The CRS of a shapefile's `.prj` text; `IO.PRJ_UNREADABLE` naming the `.prj` when PROJ
    /// cannot read it. `path`: the `.shp`.
    public static func crs(prj text: String, shapefile path: String, proj: ProjContext) throws -> CRS {
        do { return try CRS.fromWKT(text, context: proj) }
        catch {
            throw GeoError.io(code: .prjUnreadable, file: ShapefileStructure.base(of: path) + ".prj", detail: "PROJ cannot read it: \(error)")
        }
    }

    static func part(_ base: String, _ ext: String) throws -> String {
        // lstat: a name that is there is found even when it cannot be opened (its opening then
        // says why), rather than reported as missing.
        var st = stat()
        for candidate in [base + "." + ext, base + "." + ext.uppercased()] where lstat(candidate, &st) == 0 {
            return candidate
        }
        throw GeoError.io(code: .missingPart, file: base + "." + ext, detail: "the .\(ext) part of the shapefile is missing")
    }

    static func load(_ path: String) throws -> Data {
        try RegularFile.read(path, limit: ShapefileStructure.maxFileBytes)
    }

    static func family(_ type: Int32) -> VectorLayer.GeometryFamily {
        if ShapeTypes.points.contains(type) { return .point }
        if ShapeTypes.lines.contains(type) { return .line }
        if ShapeTypes.polygons.contains(type) { return .polygon }
        if ShapeTypes.multipoints.contains(type) { return .multipoint }
        return .null
    }

    /// M values below -1e38 are "no data" in the format; a sequence whose M are all no data has none.
    static func geometry(of o: SHPObject, fileType: Int32, keepZ: Bool, keepM: Bool) -> Geometry {
        let n = Int(o.nVertices)
        func seq(_ range: Range<Int>) -> CoordinateSequence {
            let xy = range.map { XY(o.padfX[$0], o.padfY[$0]) }
            let z = keepZ && o.padfZ != nil ? range.map { o.padfZ[$0] } : nil
            var m = keepM && o.padfM != nil && o.bMeasureIsUsed != 0 ? range.map { o.padfM[$0] } : nil
            if let mm = m, mm.allSatisfy({ $0 < -1e38 }) { m = nil }
            return CoordinateSequence(xy, z: z, m: m)
        }
        let fam = family(fileType)
        if o.nSHPType == 0 || n == 0 {
            switch fam {
            case .point: return .point(CoordinateSequence([]))
            case .line: return .lineString(CoordinateSequence([]))
            case .polygon: return Geometry.polygon([CoordinateSequence]())
            default: return .multiPoint([])
            }
        }
        switch fam {
        case .point: return .point(seq(0..<1))
        case .multipoint: return .multiPoint((0..<n).map { seq($0..<($0 + 1)) })
        default:
            let parts = Int(o.nParts)
            let ranges: [Range<Int>] = (0..<parts).map { p in
                let s = Int(o.panPartStart[p])
                let e = p + 1 < parts ? Int(o.panPartStart[p + 1]) : n
                return s..<e
            }
            let seqs = ranges.map(seq)
            if fam == .line { return seqs.count == 1 ? .lineString(seqs[0]) : .multiLineString(seqs) }
            let polys = RingAssembly.polygons(fromShapefileRings: seqs)
            return polys.count == 1 ? .polygon(polys[0]) : .multiPolygon(polys)
        }
    }

    // MARK: DBF

    static func readDBF(_ path: String, header: ShapefileStructure.DBFHeader, cpg: String?)
        throws -> ([Field], [[AttributeValue]], EncodingReport) {
        guard let h = DBFOpen(path, "rb") else {
            throw GeoError.io(code: .unreadable, file: path, detail: "shapelib could not open the table")
        }
        defer { DBFClose(h) }
        let nFields = Int(DBFGetFieldCount(h))
        let nRecords = Int(DBFGetRecordCount(h))
        guard nFields == header.fields.count, nRecords == header.recordCount else {
            throw GeoError.io(code: .dbfBadHeader, file: path, detail: "shapelib reads \(nFields) fields and \(nRecords) records, the header \(header.fields.count) and \(header.recordCount)")
        }
        // Raw bytes first: the encoding may have to be detected from all text before decoding.
        var raw = [[[UInt8]?]](repeating: [], count: nRecords)
        for r in 0..<nRecords {
            var row: [[UInt8]?] = []
            row.reserveCapacity(nFields)
            for f in 0..<nFields {
                if DBFIsAttributeNULL(h, Int32(r), Int32(f)) != 0 { row.append(nil); continue }
                guard let p = DBFReadStringAttribute(h, Int32(r), Int32(f)) else { row.append(nil); continue }
                var bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
                while bytes.last == 0x20 { bytes.removeLast() }
                row.append(bytes)
            }
            raw[r] = row
        }
        let textFields = header.fields.indices.filter { header.fields[$0].type == UInt8(ascii: "C") }
        let encoding = try chooseEncoding(path: path, cpg: cpg, ldid: header.languageDriver,
                                          samples: header.fields.map(\.nameBytes) + raw.flatMap { row in textFields.compactMap { row[$0] } })
        var fields: [Field] = []
        for (i, f) in header.fields.enumerated() {
            guard let name = encoding.encoding.decode(f.nameBytes) else {
                throw GeoError.io(code: .textUndecodable, file: path, field: "#\(i)", detail: "field name bytes are not valid \(encoding.encoding.rawValue)")
            }
            let type = Field.FieldType(rawValue: String(UnicodeScalar(f.type))) ?? .other
            fields.append(Field(name: name, type: type, width: f.width, decimals: f.decimals))
        }
        var rows: [[AttributeValue]] = []
        rows.reserveCapacity(nRecords)
        for r in 0..<nRecords {
            var values: [AttributeValue] = []
            values.reserveCapacity(nFields)
            for (f, field) in fields.enumerated() {
                guard let bytes = raw[r][f] else { values.append(.null); continue }
                values.append(try value(bytes, field: field, encoding: encoding.encoding, path: path, record: r))
            }
            rows.append(values)
        }
        return (fields, rows, encoding)
    }

    static func value(_ bytes: [UInt8], field: Field, encoding: TextEncoding, path: String, record: Int) throws -> AttributeValue {
        func bad(_ why: String) -> GeoError { .io(code: .textUndecodable, file: path, record: record, field: field.name, detail: why) }
        switch field.type {
        case .character, .memo, .other:
            guard let s = encoding.decode(bytes) else { throw bad("bytes are not valid \(encoding.rawValue)") }
            return .string(s)
        case .numeric, .float, .integer:
            let t = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            if t.isEmpty || t.allSatisfy({ $0 == "*" }) { return .null }
            if field.decimals == 0, let i = Int64(t) { return .integer(i) }
            guard let d = Double(t) else { throw bad("\"\(t)\" is not a number") }
            return .double(d)
        case .logical:
            switch bytes.first.map({ Character(UnicodeScalar($0)) }) {
            case "T", "t", "Y", "y": return .bool(true)
            case "F", "f", "N", "n": return .bool(false)
            default: return .null
            }
        case .date:
            let t = String(decoding: bytes, as: UTF8.self).trimmingSpaces
            guard t.count == 8, t.allSatisfy(\.isNumber) else { return t.isEmpty ? .null : .string(t) }
            let a = Array(t)
            return .date("\(String(a[0..<4]))-\(String(a[4..<6]))-\(String(a[6..<8]))")
        }
    }

    static func chooseEncoding(path: String, cpg: String?, ldid: UInt8, samples: [[UInt8]]) throws -> EncodingReport {
        if let label = cpg?.trimmingSpacesAndNewlines(), !label.isEmpty {
            guard let e = TextEncoding(codePageLabel: label) else {
                throw GeoError.io(code: .textUndecodable, file: path, detail: "the .cpg names an unknown code page \"\(label)\"")
            }
            return EncodingReport(encoding: e, source: .cpg, declared: label)
        }
        if let e = TextEncoding(languageDriver: ldid) {
            return EncodingReport(encoding: e, source: .languageDriver, declared: String(format: "0x%02X", ldid))
        }
        let declared = ldid == 0 ? nil : String(format: "0x%02X", ldid)
        let nonASCII = samples.filter { $0.contains { $0 >= 0x80 } }
        if nonASCII.isEmpty { return EncodingReport(encoding: .ascii, source: .asciiOnly, declared: declared) }
        for candidate in [TextEncoding.utf8, .gb18030] where nonASCII.allSatisfy({ candidate.decode($0) != nil }) {
            return EncodingReport(encoding: candidate, source: .detected, declared: declared)
        }
        throw GeoError.io(code: .textUndecodable, file: path, detail: "no .cpg or code page, and the text is neither UTF-8 nor GBK/GB18030")
    }
}
