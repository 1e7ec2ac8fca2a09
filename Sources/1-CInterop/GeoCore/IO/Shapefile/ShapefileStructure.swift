import CShapelib
import Foundation

/// Checks what the `.shp`, `.shx` and `.dbf` headers and record headers claim against the file
/// sizes and each other *before* shapelib reads them, so that a truncated, inconsistent or
/// hostile file gives a `GeoError.io` with its place, never a crash, a hang or an unbounded
/// allocation. Pure Swift over the bytes; read-only.
///
/// References: ESRI Shapefile Technical Description (1998); dBase III+ table file format.
struct ShapefileStructure {
    /// A part's path without its `.shp` (any case): the name every part of the set shares.
    static func base(of path: String) -> String { path.lowercased().hasSuffix(".shp") ? String(path.dropLast(4)) : path }

    let shapeType: Int32
    let recordCount: Int
    let dbf: DBFHeader

    struct DBFHeader {
        let recordCount: Int
        let headerLength: Int
        let recordLength: Int
        let languageDriver: UInt8
        let fields: [(nameBytes: [UInt8], type: UInt8, width: Int, decimals: Int)]
    }

    /// Largest file accepted (the format's own limit is 2 GiB for `.shp`).
    static let maxFileBytes = 2_147_483_647

    static func check(shp: Data, shx: Data, dbf: Data, shpPath: String, shxPath: String, dbfPath: String) throws -> ShapefileStructure {
        let type = try checkMainHeader(shp, path: shpPath, actualSize: shp.count)
        let shxType = try checkMainHeader(shx, path: shxPath, actualSize: shx.count)
        guard shxType == type else {
            throw GeoError.io(code: .shxInconsistent, file: shxPath, detail: "shape type \(shxType) differs from the .shp's \(type)")
        }
        guard (shx.count - 100) % 8 == 0 else {
            throw GeoError.io(code: .shxInconsistent, file: shxPath, detail: "index size \(shx.count) is not 100 + 8 × records")
        }
        let n = (shx.count - 100) / 8
        for i in 0..<n {
            let offset = Int(shx.beUInt32(at: 100 + 8 * i)) * 2
            let length = Int(shx.beUInt32(at: 104 + 8 * i)) * 2
            guard offset >= 100, offset + 8 <= shp.count else {
                throw GeoError.io(code: .shxInconsistent, file: shxPath, record: i,
                                  detail: "record offset \(offset) lies outside the .shp (\(shp.count) bytes)")
            }
            let shpLength = Int(shp.beUInt32(at: offset + 4)) * 2
            guard shpLength == length else {
                throw GeoError.io(code: .shxInconsistent, file: shxPath, record: i,
                                  detail: ".shx says \(length) content bytes, the .shp record header says \(shpLength)")
            }
            guard offset + 8 + length <= shp.count else {
                throw GeoError.io(code: .shpTruncated, file: shpPath, record: i,
                                  detail: "record needs bytes up to \(offset + 8 + length), the file has \(shp.count)")
            }
            try checkRecord(shp, at: offset + 8, length: length, fileType: type, path: shpPath, record: i)
        }
        let header = try checkDBF(dbf, path: dbfPath)
        guard header.recordCount == n else {
            // Which file is wrong: the .shp's own records, walked header by header, decide.
            let inShp = recordsInShp(shp)
            if inShp != n && inShp == header.recordCount {
                throw GeoError.io(code: .shxInconsistent, file: shxPath,
                                  detail: "the .shx indexes \(n) records, the .shp and .dbf hold \(inShp)")
            }
            throw GeoError.io(code: .dbfRecordCountMismatch, file: dbfPath,
                              detail: "the .dbf has \(header.recordCount) records, the .shp/.shx \(n)")
        }
        return ShapefileStructure(shapeType: type, recordCount: n, dbf: header)
    }

    /// Records of a `.shp` counted by walking its record headers from byte 100 (each: number,
    /// content length in 16-bit words); stops at the end or at a header that overruns it.
    static func recordsInShp(_ shp: Data) -> Int {
        var at = 100, count = 0
        while at + 8 <= shp.count {
            let next = at + 8 + Int(shp.beUInt32(at: at + 4)) * 2
            guard next <= shp.count else { break }
            count += 1; at = next
        }
        return count
    }

    static let knownTypes: Set<Int32> = {
        var all: Set<Int32> = [SHPT_NULL]
        for family in [ShapeTypes.points, ShapeTypes.lines, ShapeTypes.polygons, ShapeTypes.multipoints] { all.formUnion(family) }
        return all
    }()

    private static func checkMainHeader(_ d: Data, path: String, actualSize: Int) throws -> Int32 {
        guard d.count >= 100 else {
            throw GeoError.io(code: .shpTruncated, file: path, detail: "\(d.count) bytes; a header alone is 100")
        }
        guard d.beUInt32(at: 0) == 9994 else {
            throw GeoError.io(code: .shpBadHeader, file: path, detail: "file code \(d.beUInt32(at: 0)), expected 9994: not a shapefile")
        }
        guard d.leUInt32(at: 28) == 1000 else {
            throw GeoError.io(code: .shpBadHeader, file: path, detail: "version \(d.leUInt32(at: 28)), expected 1000")
        }
        let declared = Int(d.beUInt32(at: 24)) * 2
        if declared > actualSize {
            throw GeoError.io(code: .shpTruncated, file: path, detail: "header declares \(declared) bytes, the file has \(actualSize)")
        }
        if declared < actualSize {
            throw GeoError.io(code: path.hasSuffix("shx") ? .shxInconsistent : .shpBadHeader, file: path,
                              detail: "header declares \(declared) bytes, the file has \(actualSize)")
        }
        let type = Int32(bitPattern: d.leUInt32(at: 32))
        guard knownTypes.contains(type) else {
            throw GeoError.io(code: .unsupportedShapeType, file: path, detail: "shape type \(type) (MultiPatch and unknown types are not supported)")
        }
        return type
    }

    private static func checkRecord(_ d: Data, at start: Int, length: Int, fileType: Int32, path: String, record: Int) throws {
        func corrupt(_ why: String) -> GeoError { .io(code: .shpRecordCorrupt, file: path, record: record, detail: why) }
        guard length >= 4 else { throw corrupt("content of \(length) bytes cannot hold a shape type") }
        let type = Int32(bitPattern: d.leUInt32(at: start))
        if type == 0 { return }
        guard type == fileType else { throw corrupt("record shape type \(type) in a file of type \(fileType)") }
        let hasZ = ShapeTypes.withZ.contains(type)
        switch type {
        case _ where ShapeTypes.points.contains(type):
            let need = type == SHPT_POINT ? 20 : 28
            guard length >= need else { throw corrupt("point record of \(length) bytes, needs \(need)") }
        case _ where ShapeTypes.multipoints.contains(type):
            guard length >= 40 else { throw corrupt("multipoint record of \(length) bytes") }
            let points = Int(d.leUInt32(at: start + 36))
            var need = 40 + 16 * points
            if hasZ { need += 16 + 8 * points }
            guard points >= 0, points <= length / 16, length >= need else {
                throw corrupt("\(points) points do not fit in \(length) bytes")
            }
        default: // lines and polygons, plain, Z and M
            guard length >= 44 else { throw corrupt("record of \(length) bytes cannot hold a part and point count") }
            let parts = Int(Int32(bitPattern: d.leUInt32(at: start + 36)))
            let points = Int(Int32(bitPattern: d.leUInt32(at: start + 40)))
            guard parts >= 1, points >= 1, parts <= points || points == 0 else {
                throw corrupt("\(parts) parts and \(points) points")
            }
            guard parts <= length / 4, points <= length / 16 else { throw corrupt("\(parts) parts and \(points) points do not fit in \(length) bytes") }
            var need = 44 + 4 * parts + 16 * points
            if hasZ { need += 16 + 8 * points }
            guard length >= need else { throw corrupt("\(parts) parts and \(points) points need \(need) bytes, the record has \(length)") }
            var previous = -1
            for p in 0..<parts {
                let s = Int(Int32(bitPattern: d.leUInt32(at: start + 44 + 4 * p)))
                guard s > previous || (p == 0 && s == 0), s < points else {
                    throw corrupt("part \(p) starts at point \(s); parts must start in increasing order below \(points)")
                }
                previous = s
            }
            guard Int(d.leUInt32(at: start + 44)) == 0 else { throw corrupt("the first part does not start at point 0") }
        }
    }

    static func checkDBF(_ d: Data, path: String) throws -> DBFHeader {
        guard d.count >= 33 else {
            throw GeoError.io(code: .dbfTruncated, file: path, detail: "\(d.count) bytes; a DBF header needs at least 33")
        }
        let records = Int(d.leUInt32(at: 4))
        let headerLength = Int(d.leUInt16(at: 8))
        let recordLength = Int(d.leUInt16(at: 10))
        guard headerLength >= 33, headerLength <= d.count else {
            throw GeoError.io(code: .dbfBadHeader, file: path, detail: "header length \(headerLength) impossible for a \(d.count)-byte file")
        }
        var fields: [(nameBytes: [UInt8], type: UInt8, width: Int, decimals: Int)] = []
        var pos = 32
        while pos + 32 <= headerLength, d[d.startIndex + pos] != 0x0D {
            let base = d.startIndex + pos
            var name = [UInt8](d[base..<(base + 11)])
            if let z = name.firstIndex(of: 0) { name = Array(name[..<z]) }
            fields.append((name, d[base + 11], Int(d[base + 16]), Int(d[base + 17])))
            pos += 32
        }
        guard pos < headerLength, d[d.startIndex + pos] == 0x0D else {
            throw GeoError.io(code: .dbfBadHeader, file: path, detail: "field descriptors are not terminated by 0x0D within the header")
        }
        let sum = fields.reduce(1) { $0 + $1.width }
        guard sum == recordLength else {
            throw GeoError.io(code: .dbfBadHeader, file: path, detail: "record length \(recordLength) ≠ 1 + sum of field widths \(sum)")
        }
        guard records >= 0, headerLength + records * recordLength <= d.count else {
            throw GeoError.io(code: .dbfTruncated, file: path,
                              detail: "\(records) records of \(recordLength) bytes need \(headerLength + records * recordLength) bytes, the file has \(d.count)")
        }
        return DBFHeader(recordCount: records, headerLength: headerLength, recordLength: recordLength,
                         languageDriver: d[d.startIndex + 29], fields: fields)
    }
}

extension Data {
    func beUInt32(at i: Int) -> UInt32 {
        let b = startIndex + i
        return UInt32(self[b]) << 24 | UInt32(self[b + 1]) << 16 | UInt32(self[b + 2]) << 8 | UInt32(self[b + 3])
    }
    func leUInt32(at i: Int) -> UInt32 {
        let b = startIndex + i
        return UInt32(self[b + 3]) << 24 | UInt32(self[b + 2]) << 16 | UInt32(self[b + 1]) << 8 | UInt32(self[b])
    }
    func leUInt16(at i: Int) -> UInt16 {
        let b = startIndex + i
        return UInt16(self[b + 1]) << 8 | UInt16(self[b])
    }
}

/// Shapefile shape types by family, from shapelib's `SHPT_*` constants.
enum ShapeTypes {
    static let points: Set<Int32> = [SHPT_POINT, SHPT_POINTZ, SHPT_POINTM]
    static let lines: Set<Int32> = [SHPT_ARC, SHPT_ARCZ, SHPT_ARCM]
    static let polygons: Set<Int32> = [SHPT_POLYGON, SHPT_POLYGONZ, SHPT_POLYGONM]
    static let multipoints: Set<Int32> = [SHPT_MULTIPOINT, SHPT_MULTIPOINTZ, SHPT_MULTIPOINTM]
    /// Types carrying Z (and M).
    static let withZ: Set<Int32> = [SHPT_POINTZ, SHPT_ARCZ, SHPT_POLYGONZ, SHPT_MULTIPOINTZ]
    /// Types carrying M only.
    static let withM: Set<Int32> = [SHPT_POINTM, SHPT_ARCM, SHPT_POLYGONM, SHPT_MULTIPOINTM]
}
