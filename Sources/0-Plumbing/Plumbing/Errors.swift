/// Errors raised by GeoCore. Every case carries a stable `code` (for programs and the
/// verification report) and the context a user needs: the file, record and field, or the
/// library messages that GEOS or PROJ produced.
public enum GeoError: CodedError, Sendable, Equatable {
    /// A file could not be read or written. `record` is the 0-based record index and
    /// `field` the attribute name where they apply.
    case io(code: IOErrorCode, file: String, record: Int? = nil, field: String? = nil, detail: String)
    /// GEOS refused an operation; `messages` are the messages its context reported.
    case geos(operation: String, messages: [String])
    /// PROJ refused an operation; `messages` are what its logger and error code said.
    case proj(operation: String, messages: [String])
    /// A geometry value that cannot be built (for example a ring with fewer than 4 points).
    case invalidGeometry(code: GeometryErrorCode, detail: String)

    /// Stable, documented identifier of the problem (never translated, never reworded).
    public var code: String {
        switch self {
        case .io(let code, _, _, _, _): return code.rawValue
        case .geos: return "GEOS.OPERATION_FAILED"
        case .proj: return "PROJ.OPERATION_FAILED"
        case .invalidGeometry(let code, _): return code.rawValue
        }
    }

    public var message: Bilingual {
        switch self {
        case let .io(_, file, record, field, detail):
            var place = file, placeZh = "“\(file)”"
            if let record { place += ", record \(record)"; placeZh += " 第 \(record) 条记录" }
            if let field { place += ", field \(field)"; placeZh += " 字段“\(field)”" }
            return .init(zh: "\(placeZh)：文件无法读取或写入；技术细节见英文信息", en: "\(place): \(detail)")
        case let .geos(operation, messages):
            return .init(zh: "几何库 GEOS 的操作“\(operation)”失败；库的原文见英文信息",
                         en: "\(operation): \(messages.isEmpty ? "GEOS gave no message" : messages.joined(separator: "; "))")
        case let .proj(operation, messages):
            return .init(zh: "坐标转换库 PROJ 的操作“\(operation)”失败；库的原文见英文信息",
                         en: "\(operation): \(messages.isEmpty ? "PROJ gave no message" : messages.joined(separator: "; "))")
        case let .invalidGeometry(_, detail):
            return .init(zh: "几何无法构建；细节见英文信息", en: detail)
        }
    }
}

/// Stable codes of file problems.
public enum IOErrorCode: String, Sendable, CaseIterable {
    case missingPart = "IO.MISSING_PART"              // .shp/.shx/.dbf absent
    case unreadable = "IO.UNREADABLE"                 // the OS refused to read it
    case notRegularFile = "IO.NOT_REGULAR_FILE"       // a FIFO, device or folder where a file is expected
    case shpBadHeader = "IO.SHP.BAD_HEADER"           // magic, version or shape type wrong
    case shpTruncated = "IO.SHP.TRUNCATED"            // shorter than its header or records claim
    case shpRecordCorrupt = "IO.SHP.RECORD_CORRUPT"   // counts or types inside a record impossible
    case shxInconsistent = "IO.SHX.INCONSISTENT"      // .shx disagrees with .shp
    case dbfBadHeader = "IO.DBF.BAD_HEADER"
    case dbfTruncated = "IO.DBF.TRUNCATED"
    case dbfRecordCountMismatch = "IO.DBF.RECORD_COUNT_MISMATCH" // .dbf and .shp disagree
    case textUndecodable = "IO.TEXT.UNDECODABLE"       // bytes invalid in the declared or any known encoding
    case unsupportedShapeType = "IO.SHP.UNSUPPORTED_TYPE"
    case prjUnreadable = "IO.PRJ.UNREADABLE"
    case geojsonSyntax = "IO.GEOJSON.SYNTAX"
    case geojsonStructure = "IO.GEOJSON.STRUCTURE"
    case writeFailed = "IO.WRITE_FAILED"
    case tooLarge = "IO.TOO_LARGE"
}

/// Stable codes of geometry values that GEOS cannot represent.
public enum GeometryErrorCode: String, Sendable {
    case ringNotClosed = "GEOM.RING_NOT_CLOSED"
    case ringTooFewPoints = "GEOM.RING_TOO_FEW_POINTS"
    case lineTooFewPoints = "GEOM.LINE_TOO_FEW_POINTS"
    case nonFiniteCoordinate = "GEOM.NON_FINITE"   // the same code verification reports
    case wrongType = "GEOM.WRONG_TYPE"
}
