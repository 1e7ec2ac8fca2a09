import GeoCore
import Submission

/// Every finding code verification can report: stable identifiers (never reworded), each with
/// its default severity and a short title in both languages. The README lists them.
public enum FindingCode: String, Sendable, CaseIterable, Comparable {
    // Bundle and manifest
    case bundleNotFound = "BUNDLE.NOT_FOUND"
    case notABundle = "BUNDLE.NOT_A_BUNDLE"
    case manifestInvalid = "BUNDLE.MANIFEST_INVALID"
    case noLayers = "BUNDLE.NO_LAYERS"
    case layerMissing = "BUNDLE.LAYER_MISSING"
    case rolesGuessed = "BUNDLE.ROLES_GUESSED"
    case roleUnknown = "BUNDLE.ROLE_UNKNOWN"
    case requiredRoleMissing = "BUNDLE.REQUIRED_ROLE_MISSING"
    case kindUnknown = "BUNDLE.KIND_UNKNOWN"
    case manifestUnknownKey = "MANIFEST.UNKNOWN_KEY"
    case manifestFormat = "MANIFEST.FORMAT"
    // Zipped bundles
    case zipUnreadable = "ZIP.UNREADABLE"
    case zipUnsafePath = "ZIP.UNSAFE_PATH"
    case zipSymlink = "ZIP.SYMLINK"
    case zipTooManyEntries = "ZIP.TOO_MANY_ENTRIES"
    case zipTooLarge = "ZIP.TOO_LARGE"
    case zipCompressionRatio = "ZIP.COMPRESSION_RATIO"
    case zipSizeMismatch = "ZIP.SIZE_MISMATCH"
    case zipCRCMismatch = "ZIP.CRC_MISMATCH"
    case zipScratchUnwritable = "ZIP.SCRATCH_UNWRITABLE"
    case manifestType = "MANIFEST.TYPE"
    case manifestRuleUnknown = "MANIFEST.RULE_UNKNOWN"
    case manifestParameterUnknown = "MANIFEST.PARAMETER_UNKNOWN"
    case manifestParameterRange = "MANIFEST.PARAMETER_RANGE"
    case pathOutside = "BUNDLE.PATH_OUTSIDE"
    case notRegularFile = "IO.NOT_REGULAR_FILE"
    // Files
    case missingPart = "IO.MISSING_PART"
    case unreadable = "IO.UNREADABLE"
    case shpBadHeader = "IO.SHP.BAD_HEADER"
    case shpTruncated = "IO.SHP.TRUNCATED"
    case shpRecordCorrupt = "IO.SHP.RECORD_CORRUPT"
    case shxInconsistent = "IO.SHX.INCONSISTENT"
    case dbfBadHeader = "IO.DBF.BAD_HEADER"
    case dbfTruncated = "IO.DBF.TRUNCATED"
    case dbfRecordCountMismatch = "IO.DBF.RECORD_COUNT_MISMATCH"
    case textUndecodable = "IO.TEXT.UNDECODABLE"
    case unsupportedShapeType = "IO.SHP.UNSUPPORTED_TYPE"
    case prjUnreadable = "IO.PRJ.UNREADABLE"
    case geojsonSyntax = "IO.GEOJSON.SYNTAX"
    case geojsonStructure = "IO.GEOJSON.STRUCTURE"
    case tooLarge = "IO.TOO_LARGE"
    case encodingDetected = "ENC.DETECTED"
    case encodingCodePageByte = "ENC.CODE_PAGE_BYTE"
    // Coordinate reference systems and position
    case prjMissing = "CRS.PRJ_MISSING"
    case prjOverManifest = "CRS.PRJ_OVER_MANIFEST"
    case wgs84 = "CRS.WGS84"
    case beijing1954 = "CRS.BEIJING_1954"
    case xian1980 = "CRS.XIAN_1980"
    case wgs84Projected = "CRS.WGS84_PROJECTED"
    case notCGCS2000 = "CRS.NOT_CGCS2000"
    case axesSwapped = "CRS.AXES_SWAPPED"
    case outsideChina = "GEO.OUTSIDE_CHINA"
    case farFromDistrict = "GEO.FAR_FROM_DISTRICT"
    case districtUnknown = "GEO.DISTRICT_UNKNOWN"
    // Geometry
    case wrongType = "GEOM.WRONG_TYPE"
    case empty = "GEOM.EMPTY"
    case nonFinite = "GEOM.NON_FINITE"
    case ringNotClosed = "GEOM.RING_NOT_CLOSED"
    case tooFewPoints = "GEOM.TOO_FEW_POINTS"
    case selfIntersection = "GEOM.SELF_INTERSECTION"
    case ringTopology = "GEOM.RING_TOPOLOGY"
    case invalid = "GEOM.INVALID"
    case duplicateVertex = "GEOM.DUPLICATE_VERTEX"
    case spike = "GEOM.SPIKE"
    case sliver = "GEOM.SLIVER"
    case ringTooSmall = "GEOM.RING_TOO_SMALL"
    case lineSelfIntersection = "GEOM.LINE_SELF_INTERSECTION"
    // Topology within a layer
    case overlap = "TOPO.OVERLAP"
    case landuseGap = "TOPO.LANDUSE_GAP"
    case nearJoin = "TOPO.NEAR_JOIN"
    // Relations across layers
    case beachOffShoreline = "REL.BEACH_OFF_SHORELINE"
    case intertidalOffShoreline = "REL.INTERTIDAL_OFF_SHORELINE"
    case mangroveLandward = "REL.MANGROVE_LANDWARD"
    case seaSideUnknown = "REL.SEA_SIDE_UNKNOWN"
    case dikeOffOriginal = "REL.DIKE_OFF_ORIGINAL"
    case parcelOutsideLanduse = "REL.PARCEL_OUTSIDE_LANDUSE"
    // Attributes
    case fieldMissing = "ATTR.FIELD_MISSING"
    case fieldType = "ATTR.FIELD_TYPE"
    case dateInvalid = "ATTR.DATE_INVALID"
    case valueMissing = "ATTR.VALUE_MISSING"
    case unknownSpecies = "ATTR.UNKNOWN_SPECIES"
    case unknownLandClass = "ATTR.UNKNOWN_LANDCLASS"
    case unknownValue = "ATTR.UNKNOWN_VALUE"
    case declaredMismatch = "ATTR.DECLARED_MISMATCH"
    // The verifier itself
    case checkFailed = "VERIFY.CHECK_FAILED"

    public static func < (a: FindingCode, b: FindingCode) -> Bool { a.rawValue < b.rawValue }

    public var severity: Finding.Severity {
        switch self {
        case .rolesGuessed, .encodingCodePageByte, .districtUnknown, .seaSideUnknown: return .info
        case .roleUnknown, .manifestUnknownKey, .manifestFormat, .encodingDetected, .prjOverManifest, .wgs84,
             .farFromDistrict, .duplicateVertex, .spike, .sliver, .ringTooSmall, .lineSelfIntersection, .nearJoin,
             .beachOffShoreline, .intertidalOffShoreline, .dikeOffOriginal, .unknownSpecies:
            return .warning
        default: return .error
        }
    }

    /// Whether this finding means the input cannot be used at all (exit status 2).
    public var isUnusable: Bool {
        switch self {
        case .bundleNotFound, .notABundle, .manifestInvalid, .noLayers, .zipUnreadable, .zipUnsafePath, .zipSymlink, .zipTooManyEntries,
             .zipTooLarge, .zipCompressionRatio, .zipSizeMismatch, .zipCRCMismatch, .zipScratchUnwritable, .manifestType, .manifestRuleUnknown,
             .manifestParameterUnknown, .manifestParameterRange: return true
        default: return false
        }
    }

    /// The finding code of a GeoCore file error.
    init(_ io: IOErrorCode) {
        switch io {
        case .missingPart: self = .missingPart
        case .unreadable, .writeFailed: self = .unreadable
        case .notRegularFile: self = .notRegularFile
        case .shpBadHeader: self = .shpBadHeader
        case .shpTruncated: self = .shpTruncated
        case .shpRecordCorrupt: self = .shpRecordCorrupt
        case .shxInconsistent: self = .shxInconsistent
        case .dbfBadHeader: self = .dbfBadHeader
        case .dbfTruncated: self = .dbfTruncated
        case .dbfRecordCountMismatch: self = .dbfRecordCountMismatch
        case .textUndecodable: self = .textUndecodable
        case .unsupportedShapeType: self = .unsupportedShapeType
        case .prjUnreadable: self = .prjUnreadable
        case .geojsonSyntax: self = .geojsonSyntax
        case .geojsonStructure: self = .geojsonStructure
        case .tooLarge: self = .tooLarge
        }
    }

    /// The finding code of a bundle-level error.
    init(_ e: SubmissionError) {
        switch e {
        case .notFound: self = .bundleNotFound
        case .notABundle: self = .notABundle
        case .manifestInvalid: self = .manifestInvalid
        case .noLayers: self = .noLayers
        case .layerMissing: self = .layerMissing
        case .crsUnusable: self = .notCGCS2000
        case .pathOutside: self = .pathOutside
        case .scratchUnwritable: self = .zipScratchUnwritable
        case .manifestValue(let c, _, _, _):
            switch c {
            case .type: self = .manifestType
            case .ruleUnknown: self = .manifestRuleUnknown
            case .parameterUnknown: self = .manifestParameterUnknown
            case .parameterRange: self = .manifestParameterRange
            }
        case .archive(let c, _, _, _):
            switch c {
            case .unreadable: self = .zipUnreadable
            case .unsafePath: self = .zipUnsafePath
            case .symlink: self = .zipSymlink
            case .tooManyEntries: self = .zipTooManyEntries
            case .tooLarge: self = .zipTooLarge
            case .compressionRatio: self = .zipCompressionRatio
            case .sizeMismatch: self = .zipSizeMismatch
            case .crcMismatch: self = .zipCRCMismatch
            }
        }
    }
}
