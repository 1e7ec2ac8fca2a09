import Foundation
import GeoCore
import Rules
import Submission

/// The catalogue of verification messages: every message a finding can carry, in Chinese and
/// English, kept beside the code it reports and filled in with the details. Checks name a
/// message (`.spike(sequence: 0, vertex: 7, angle: 10)`), never write text; a new message is
/// added here, in both languages, or not at all.
///
/// Details that come from outside in English — GEOS's validity reasons and error messages,
/// the operating system's I/O errors, a reader's technical detail — are translated where
/// their vocabulary is fixed (GEOS validity reasons, geometry type names) and otherwise kept
/// in the English message only; the Chinese message then says which code and where, and
/// points to the English text (`见英文信息`). Codes, units' symbols and proper names are the
/// only Latin text of a Chinese message (`FindingLanguageTests` scans them).
public enum FindingMessage: Sendable {
    // Bundle and manifest
    case rolesGuessed(guesses: [String])
    case manifestFormat(found: String)
    case manifestUnknownKey(key: String)
    /// The manifest's what-if `rulebook` tables cannot be applied; `detail` is the rules error (English).
    case rulebookOverrideInvalid(detail: String)
    case roleUnknown(role: String)
    case requiredRoleMissing(kind: String, role: String)
    case kindUnknown(kind: String, known: [String])
    case checkDateInvalid(value: String)
    case datedShorelineDateInvalid(file: String, date: String?)
    case encodingDetected(encoding: String)
    case encodingCodePageByte(declared: String, encoding: String)
    /// A file that cannot be read: its code, where (0-based record, field) and the reader's detail (English).
    case fileUnreadable(code: IOErrorCode, record: Int?, field: String?, detail: String)
    /// A bundle-level problem (missing folder, manifest, zip, path outside).
    case bundleProblem(SubmissionError)
    // Coordinate reference systems and position
    case crsUnknown
    case datumWithoutParameters(beijing1954: Bool, crs: String, datum: String)
    case wgs84Projected(crs: String)
    case notCGCS2000(crs: String, datum: String, detail: String)
    case prjMissingManifestUsed(crs: String)
    case prjOverManifest(prj: String, manifest: String)
    case wgs84AsCGCS2000
    case axesSwapped
    case outsideChina
    case districtUnknown(name: String)
    case farFromDistrict(centre: XY, km: Double, district: String, radiusKm: Double)
    // Geometry
    case empty
    case nonFinite(part: Int, vertex: Int, x: Double, y: Double)
    case wrongType(found: String, role: String, wantsLine: Bool)
    case ringTooFewPoints(polygon: Int, ring: Int, count: Int)
    case ringNotClosed(polygon: Int, ring: Int)
    case lineTooFewPoints(part: Int, count: Int)
    /// GEOS found the polygon invalid; `reason` is GEOS's text ("Self-intersection").
    case invalid(reason: String)
    case lineSelfIntersection
    case sliver(polygon: Int, area: Double, limit: Double)
    case holeTooSmall(polygon: Int, hole: Int, area: Double, limit: Double)
    case duplicateVertices(sequence: Int, count: Int, first: Int)
    case spike(sequence: Int, vertex: Int, angle: Double)
    // Topology within a layer
    case overlap(record: Int, id: String?, area: Double)
    case nearJoin(part: Int, record: Int, otherPart: Int, distance: Double)
    // Relations across layers
    case offShoreline(role: String, distance: Double, tolerance: Double)
    case dikeOffOriginal(length: Double, tolerance: Double)
    case seaSideUnknown
    case mangroveLandward(side: String, declared: String)
    case parcelOutsideLanduse(role: String, area: Double, total: Double)
    case landuseGap(role: String, area: Double)
    // Attributes
    case fieldMissing(role: String, meaning: String, tried: [String])
    case speciesEmpty(field: String)
    case unknownSpecies(value: String)
    case landClassNumeric(field: String, type: String)
    case landClassEmpty(field: String)
    case unknownLandClass(value: String)
    case permeabilityUnknown(value: String, known: [String])
    case removedFlagUnknown(value: String)
    case dateFieldInvalid(field: String, value: String)
    case declaredAreaMismatch(declared: Double, measured: Double, relative: Double, tolerance: Double)
    case declaredLengthMismatch(declared: Double, measured: Double, relative: Double, tolerance: Double)
    // The verifier itself
    /// A GEOS or PROJ failure while checking `stage`; `detail` is the library's message (English).
    case libraryFailed(stage: CheckStage, detail: String)
    case readFailed(detail: String)
    case verifierFailed(detail: String)

    /// What a check was doing when a library failed.
    public enum CheckStage: String, Sendable {
        case geometryConstruction, validity, overlaps, relations
        var name: Bilingual {
            switch self {
            case .geometryConstruction: return .init(zh: "几何构建", en: "geometry construction")
            case .validity: return .init(zh: "几何有效性", en: "validity")
            case .overlaps: return .init(zh: "重叠", en: "overlaps")
            case .relations: return .init(zh: "图层间关系", en: "relations between layers")
            }
        }
    }

    /// The code the message reports.
    public var code: FindingCode {
        switch self {
        case .rolesGuessed: return .rolesGuessed
        case .manifestFormat: return .manifestFormat
        case .manifestUnknownKey: return .manifestUnknownKey
        case .rulebookOverrideInvalid: return .manifestInvalid
        case .roleUnknown: return .roleUnknown
        case .requiredRoleMissing: return .requiredRoleMissing
        case .kindUnknown: return .kindUnknown
        case .checkDateInvalid, .datedShorelineDateInvalid, .dateFieldInvalid: return .dateInvalid
        case .encodingDetected: return .encodingDetected
        case .encodingCodePageByte: return .encodingCodePageByte
        case .fileUnreadable(let code, _, _, _): return FindingCode(code)
        case .bundleProblem(let e): return FindingCode(e)
        case .crsUnknown, .prjMissingManifestUsed: return .prjMissing
        case .datumWithoutParameters(let b, _, _): return b ? .beijing1954 : .xian1980
        case .wgs84Projected: return .wgs84Projected
        case .notCGCS2000: return .notCGCS2000
        case .prjOverManifest: return .prjOverManifest
        case .wgs84AsCGCS2000: return .wgs84
        case .axesSwapped: return .axesSwapped
        case .outsideChina: return .outsideChina
        case .districtUnknown: return .districtUnknown
        case .farFromDistrict: return .farFromDistrict
        case .empty: return .empty
        case .nonFinite: return .nonFinite
        case .wrongType: return .wrongType
        case .ringTooFewPoints, .lineTooFewPoints: return .tooFewPoints
        case .ringNotClosed: return .ringNotClosed
        case .invalid(let reason): return Self.code(forValidityReason: reason)
        case .lineSelfIntersection: return .lineSelfIntersection
        case .sliver: return .sliver
        case .holeTooSmall: return .ringTooSmall
        case .duplicateVertices: return .duplicateVertex
        case .spike: return .spike
        case .overlap: return .overlap
        case .nearJoin: return .nearJoin
        case .offShoreline(let role, _, _): return role == "intertidal" ? .intertidalOffShoreline : .beachOffShoreline
        case .dikeOffOriginal: return .dikeOffOriginal
        case .seaSideUnknown: return .seaSideUnknown
        case .mangroveLandward: return .mangroveLandward
        case .parcelOutsideLanduse: return .parcelOutsideLanduse
        case .landuseGap: return .landuseGap
        case .fieldMissing: return .fieldMissing
        case .speciesEmpty, .landClassEmpty: return .valueMissing
        case .unknownSpecies: return .unknownSpecies
        case .landClassNumeric: return .fieldType
        case .unknownLandClass: return .unknownLandClass
        case .permeabilityUnknown, .removedFlagUnknown: return .unknownValue
        case .declaredAreaMismatch, .declaredLengthMismatch: return .declaredMismatch
        case .libraryFailed, .readFailed, .verifierFailed: return .checkFailed
        }
    }

    /// The message in both languages.
    public var text: Bilingual {
        switch self {
        case .rolesGuessed(let g):
            return .init(zh: "没有 submission.json，按图层名推断角色：\(g.map { "“\($0)”" }.joined(separator: "；"))",
                         en: "no submission.json; roles guessed from layer names: \(g.joined(separator: "; "))")
        case .manifestFormat(let f):
            return .init(zh: "“format”为“\(f)”，应为“ecocredit-submission/1”", en: "format is \"\(f)\", expected \"ecocredit-submission/1\"")
        case .manifestUnknownKey(let k):
            return .init(zh: "未知的键“\(k)”，已忽略", en: "unknown key \"\(k)\" ignored")
        case .rulebookOverrideInvalid(let d):
            return .init(zh: "submission.json 的规则库假设表（“rulebook”）无法应用；原因见英文信息", en: "the rulebook override cannot be applied: \(d)")
        case .roleUnknown(let r):
            return .init(zh: "未知的图层角色“\(r)”，不参与量算", en: "unknown layer role \"\(r)\": not measured")
        case let .requiredRoleMissing(kind, role):
            return .init(zh: "类型“\(Self.kindName(kind).zh)”需要“\(Self.roleName(role).zh)”图层，提交中没有",
                         en: "a \(kind) submission needs a \(role) layer; none is given")
        case let .kindUnknown(kind, known):
            return .init(zh: "project.kind“\(kind)”不是已知类型（\(known.map { "“\($0)”" }.joined(separator: "、"))），无法确定所需图层",
                         en: "project.kind \"\(kind)\" is not one of \(known.joined(separator: ", ")); required layers cannot be checked")
        case .checkDateInvalid(let d):
            return .init(zh: "核查日期“checkDate”的值“\(d)”不是有效日期（YYYY-MM-DD）", en: "checkDate \"\(d)\" is not a valid date (YYYY-MM-DD)")
        case let .datedShorelineDateInvalid(file, date):
            return .init(zh: "历史岸线“\(file)”的日期“\(date ?? "缺失")”无效（YYYY-MM-DD）",
                         en: "dated shoreline \(file): date \"\(date ?? "missing")\" is not a valid YYYY-MM-DD date")
        case .encodingDetected(let e):
            return .init(zh: "属性文字编码未声明（无 .cpg，DBF 代码页字节未指明），按内容判定为 \(e)；请附 .cpg 文件",
                         en: "the attribute text encoding is not declared (no .cpg, no code page in the DBF); detected as \(e); add a .cpg file")
        case let .encodingCodePageByte(declared, e):
            return .init(zh: "属性文字编码取自 DBF 代码页字节 \(declared)：\(e)",
                         en: "attribute text encoding taken from the DBF code-page byte \(declared): \(e)")
        case let .fileUnreadable(code, record, field, detail):
            let title = Self.title(code)
            let whereEn = [record.map { "record \($0)" }, field.map { "field \($0)" }].compactMap { $0 }.joined(separator: ", ")
            let whereZh = [record.map { "第 \($0) 条记录" }, field.map { "字段“\($0)”" }].compactMap { $0 }.joined(separator: "，")
            return .init(zh: "\(title.zh)\(whereZh.isEmpty ? "" : "（\(whereZh)）")；技术细节见英文信息",
                         en: "\(title.en)\(whereEn.isEmpty ? "" : " (\(whereEn))"): \(detail)")
        case .bundleProblem(let e):
            return e.message
        case .crsUnknown:
            return .init(zh: "缺少 .prj 文件，且 submission.json 未给出“crs”：坐标系未知，图层不能使用",
                         en: "no .prj file and no crs in submission.json: the CRS is unknown and the layer cannot be used")
        case let .datumWithoutParameters(_, crs, datum):
            return .init(zh: "坐标系为“\(crs)”（基准“\(datum)”）：没有当地转换参数无法转换到 CGCS2000，请以 CGCS2000 坐标系重新提交",
                         en: "\(crs) (datum \(datum)) cannot be converted to CGCS2000 without local transformation parameters; resubmit in CGCS2000")
        case .wgs84Projected(let crs):
            return .init(zh: "坐标系为 WGS 84 投影“\(crs)”：没有当地参数无法转换，请以 CGCS2000 提交",
                         en: "\(crs): WGS 84 projections cannot be converted without local parameters; submit in CGCS2000")
        case let .notCGCS2000(crs, datum, detail):
            return .init(zh: "坐标系“\(crs)”（基准“\(datum)”）不是 CGCS2000，不能使用；原因见英文信息",
                         en: "\(crs) (datum \(datum)) is not CGCS2000: \(detail)")
        case .prjMissingManifestUsed(let m):
            return .init(zh: "缺少 .prj 文件，按 submission.json 的“crs”（“\(m)”）处理", en: "no .prj file: the manifest's crs \(m) is used")
        case let .prjOverManifest(prj, m):
            return .init(zh: ".prj（“\(prj)”）优先于 submission.json 的“crs”（“\(m)”）", en: "the .prj (\(prj)) wins over the manifest's crs (\(m))")
        case .wgs84AsCGCS2000:
            return .init(zh: "坐标系为 WGS 84，按 CGCS2000 使用（不做基准转换，差异为厘米级）；正式提交应使用 CGCS2000，网络地图数据可能带有 GCJ-02 偏移",
                         en: "WGS 84 is used as CGCS2000 without a datum shift (centimetre level); official submissions use CGCS2000, and web-map data may carry GCJ-02 offsets")
        case .axesSwapped:
            return .init(zh: "坐标轴顺序颠倒：X 列是北坐标（纬度），Y 列是东坐标（经度）；交换后位于中国境内。请按东坐标（经度）在前重新导出",
                         en: "axes are swapped: the X column holds northings (latitudes) and Y eastings (longitudes); swapped back the data lie in China. Export easting (longitude) first")
        case .outsideChina:
            return .init(zh: "坐标超出中国范围（经度 73.4–135.1°，纬度 3.8–53.6°）：坐标系声明或坐标值有误（例如投影坐标缺少或多了带号）",
                         en: "coordinates lie outside China (73.4–135.1°E, 3.8–53.6°N): the declared CRS or the coordinates are wrong (a zone prefix missing or extra, for example)")
        case .districtUnknown(let n):
            return .init(zh: "辖区“\(n)”不在辖区表中，未核对位置", en: "district \"\(n)\" is not in the district table; position not compared")
        case let .farFromDistrict(c, km, d, r):
            return .init(zh: "数据中心（\(fixed(c.x, 5))°E, \(fixed(c.y, 5))°N）距申报辖区“\(d)”中心 \(fixed(km, 1)) km，超过 \(fixed(r, 0)) km",
                         en: "the data centre (\(fixed(c.x, 5))°E, \(fixed(c.y, 5))°N) is \(fixed(km, 1)) km from the centre of the declared district \(d), beyond \(fixed(r, 0)) km")
        case .empty:
            return .init(zh: "空几何（没有坐标）", en: "empty geometry (no coordinates)")
        case let .nonFinite(s, i, x, y):
            return .init(zh: "第 \(s) 部分第 \(i) 个顶点坐标不是有限数（\(Self.number(x)), \(Self.number(y))）",
                         en: "vertex \(i) of part \(s) has a non-finite coordinate (\(x), \(y))")
        case let .wrongType(found, role, line):
            return .init(zh: "几何类型为\(Self.geometryTypeNames[found] ?? found)，“\(Self.roleName(role).zh)”图层应为\(line ? "线" : "面")",
                         en: "geometry is \(found); a \(role) layer holds \(line ? "lines" : "polygons")")
        case let .ringTooFewPoints(pi, ri, n):
            return .init(zh: "第 \(pi) 个面第 \(ri) 个环只有 \(n) 个点（至少 4 个）", en: "ring \(ri) of polygon \(pi) has \(n) points (at least 4)")
        case let .ringNotClosed(pi, ri):
            return .init(zh: "第 \(pi) 个面第 \(ri) 个环未闭合：首点与末点不同", en: "ring \(ri) of polygon \(pi) is not closed: its first and last points differ")
        case let .lineTooFewPoints(pi, n):
            return .init(zh: "第 \(pi) 条线只有 \(n) 个点", en: "line part \(pi) has \(n) point(s)")
        case .invalid(let reason):
            return .init(zh: "几何无效（GEOS：\(Self.validityReasonZh(reason))）", en: "invalid geometry (GEOS: \(reason))")
        case .lineSelfIntersection:
            return .init(zh: "线自相交（或各部分相互交叉）", en: "the line intersects itself (or its parts cross)")
        case let .sliver(pi, a, limit):
            return .init(zh: "第 \(pi) 个面面积 \(fixed(a, 4)) m²，小于 \(fixed(limit)) m²（碎片）",
                         en: "polygon \(pi) has an area of \(fixed(a, 4)) m², under \(fixed(limit)) m² (a sliver)")
        case let .holeTooSmall(pi, hi, a, limit):
            return .init(zh: "第 \(pi) 个面的第 \(hi) 个内环面积 \(fixed(a, 4)) m²，小于 \(fixed(limit)) m²",
                         en: "hole \(hi) of polygon \(pi) has an area of \(fixed(a, 4)) m², under \(fixed(limit)) m²")
        case let .duplicateVertices(si, n, first):
            return .init(zh: "第 \(si) 条坐标串有 \(n) 处重复顶点（首处在第 \(first) 个顶点）",
                         en: "sequence \(si) has \(n) repeated consecutive vertices (first at vertex \(first))")
        case let .spike(si, i, angle):
            return .init(zh: "第 \(si) 条坐标串在第 \(i) 个顶点处折返（夹角小于 \(fixed(angle, 1))°，尖刺）",
                         en: "sequence \(si) turns back at vertex \(i) (angle under \(fixed(angle, 1))°: a spike)")
        case let .overlap(record, id, a):
            return .init(zh: "与第 \(record) 条记录\(id.map { "（\($0)）" } ?? "")重叠 \(fixed(a)) m²，面积会被重复计算",
                         en: "overlaps record \(record)\(id.map { " (\($0))" } ?? "") by \(fixed(a)) m²; the area would count twice")
        case let .nearJoin(part, record, other, d):
            return .init(zh: "第 \(part) 部分的端点与第 \(record) 条记录第 \(other) 部分的端点相距 \(fixed(d, 3)) m 而未连接",
                         en: "an end of part \(part) lies \(fixed(d, 3)) m from an end of record \(record) part \(other) without meeting it")
        case let .offShoreline(role, d, tol):
            let name = role == "intertidal" ? Bilingual(zh: "潮间带面", en: "intertidal polygon") : Bilingual(zh: "沙滩面", en: "beach polygon")
            return .init(zh: "\(name.zh)距恢复岸线 \(fixed(d)) m，未与岸线相接（容差 \(fixed(tol)) m）",
                         en: "the \(name.en) lies \(fixed(d)) m from the restored shoreline, not touching it (tolerance \(fixed(tol)) m)")
        case let .dikeOffOriginal(len, tol):
            return .init(zh: "拆除后堤线有 \(fixed(len)) m 不在原堤线 \(fixed(tol)) m 范围内",
                         en: "\(fixed(len)) m of the dike after removal lies more than \(fixed(tol)) m from the original dike")
        case .seaSideUnknown:
            return .init(zh: "未申报海侧（“declared.seaSide”取“left”或“right”），未核对红树林是否位于海堤外侧",
                         en: "no sea side declared (declared.seaSide: left/right); whether the mangroves lie outside the seawall is not checked")
        case let .mangroveLandward(s, side):
            return .init(zh: "红树林位于海堤线的\(s == "left" ? "左" : "右")侧（陆侧），申报海侧为\(side == "left" ? "左" : "右")侧：堤内红树林不计入（汕尾办法第19(3)条）",
                         en: "the mangrove lies on the \(s) (land) side of the seawall line, the declared sea side is \(side): mangroves inside the wall do not count (SW Art. 19(3))")
        case let .parcelOutsideLanduse(role, a, total):
            return .init(zh: "地块 \(fixed(a)) m²（共 \(fixed(total)) m²）不在“\(Self.roleName(role).zh)”图层覆盖范围内",
                         en: "\(fixed(a)) m² of the parcel's \(fixed(total)) m² lie outside the \(role) layer's coverage")
        case let .landuseGap(role, a):
            return .init(zh: "地块内有 \(fixed(a)) m² 未被“\(Self.roleName(role).zh)”图层覆盖（地类缺失）",
                         en: "\(fixed(a)) m² inside the parcel have no land class in the \(role) layer (a gap)")
        case let .fieldMissing(role, meaning, tried):
            return .init(zh: "“\(Self.roleName(role).zh)”图层缺少\(Self.fieldMeaningsZh[meaning] ?? "“\(meaning)”")字段（查找了：\(tried.map { "“\($0)”" }.joined(separator: "、"))）；可在 submission.json 的“fields”中以“\(role).\(meaning)”指定",
                         en: "no \(role).\(meaning) field (looked for: \(tried.joined(separator: ", "))); name it in submission.json's fields")
        case .speciesEmpty(let f):
            return .init(zh: "物种字段“\(f)”为空", en: "species field \(f) is empty")
        case .unknownSpecies(let v):
            return .init(zh: "物种“\(v)”不在物种表中，无法判断是否为外来入侵种", en: "species \"\(v)\" is not in the species list; whether it is invasive cannot be told")
        case let .landClassNumeric(f, t):
            return .init(zh: "地类编码字段“\(f)”是数值型（\(t)），编码前导 0 会丢失（0101 → 101）；应为字符型",
                         en: "land-class field \(f) is numeric (\(t)), which loses leading zeros (0101 → 101); it must be text")
        case .landClassEmpty(let f):
            return .init(zh: "地类编码“\(f)”为空", en: "land-class code \(f) is empty")
        case .unknownLandClass(let v):
            return .init(zh: "地类编码“\(v)”不是第三次全国国土调查工作分类中的编码", en: "land-class code \"\(v)\" is not a third national land survey code")
        case let .permeabilityUnknown(v, known):
            return .init(zh: "透水性取值“\(v)”不在词表中（\(known.map { "“\($0)”" }.joined(separator: "、"))），无法判断是否为不透水构筑物",
                         en: "permeability value \"\(v)\" is not in the vocabulary (\(known.joined(separator: ", "))); impermeable or not cannot be told")
        case .removedFlagUnknown(let v):
            return .init(zh: "拆除标记取值“\(v)”不在词表中", en: "removed-flag value \"\(v)\" is not in the vocabulary")
        case let .dateFieldInvalid(f, v):
            return .init(zh: "日期字段“\(f)”的值“\(v)”不是有效日期", en: "date field \(f) holds \"\(v)\", not a valid date")
        case let .declaredAreaMismatch(d, m, rel, tol):
            return .init(zh: "申报面积 \(fixed(d)) m² 与量算面积 \(fixed(m)) m² 相差 \(fixed(rel * 100, 2))%，超过容差 \(fixed(tol * 100, 1))%",
                         en: "declared area \(fixed(d)) m² differs from the measured \(fixed(m)) m² by \(fixed(rel * 100, 2)) %, beyond the \(fixed(tol * 100, 1)) % tolerance")
        case let .declaredLengthMismatch(d, m, rel, tol):
            return .init(zh: "申报恢复岸线长度 \(fixed(d)) m 与量算长度 \(fixed(m)) m 相差 \(fixed(rel * 100, 2))%，超过容差 \(fixed(tol * 100, 1))%",
                         en: "declared restored length \(fixed(d)) m differs from the measured \(fixed(m)) m by \(fixed(rel * 100, 2)) %, beyond the \(fixed(tol * 100, 1)) % tolerance")
        case let .libraryFailed(stage, detail):
            return .init(zh: "核查“\(stage.name.zh)”时几何库报错；库的原文见英文信息", en: "checking \(stage.name.en) failed in the geometry library: \(detail)")
        case .readFailed(let d):
            return .init(zh: "读取失败；原因见英文信息", en: "reading failed: \(d)")
        case .verifierFailed(let d):
            return .init(zh: "核查无法进行；原因见英文信息", en: "verification could not run: \(d)")
        }
    }

    // MARK: Vocabulary of the messages

    /// A role's name ("beach" → 沙滩); an unknown role is shown as it was written.
    static func roleName(_ role: String) -> Bilingual { LayerRole(rawValue: role)?.name ?? .init(zh: role, en: role) }
    static func kindName(_ kind: String) -> Bilingual { SubmissionKind(rawValue: kind)?.name ?? .init(zh: kind, en: kind) }

    /// A coordinate as the Chinese message writes it: NaN and ±∞ as symbols.
    static func number(_ v: Double) -> String { v.isNaN ? "NaN" : v.isInfinite ? (v < 0 ? "−∞" : "+∞") : "\(v)" }

    static let fieldMeaningsZh: [String: String] = [
        "species": "物种", "class": "地类编码", "permeability": "透水性", "removed": "拆除标记", "area": "面积", "id": "编号",
    ]

    static let geometryTypeNames: [String: String] = [
        "Point": "点", "LineString": "线", "Polygon": "面", "MultiPoint": "多点", "MultiLineString": "多线",
        "MultiPolygon": "多面", "GeometryCollection": "几何集合",
    ]

    /// GEOS's validity reasons (IsValidOp's fixed list) in Chinese; a reason a later GEOS adds
    /// is shown as its code's title.
    static let validityReasonsZh: [(en: String, zh: String)] = [
        ("Ring Self-intersection", "环自相交"), ("Self-intersection", "自相交"), ("Hole lies outside shell", "内环在外环之外"),
        ("Holes are nested", "内环相互嵌套"), ("Interior is disconnected", "内部不连通"), ("Nested shells", "外环相互嵌套"),
        ("Duplicate Rings", "重复的环"), ("Too few distinct points in geometry component", "几何部件的不同点过少"),
        ("Too few points in geometry component", "几何部件的点过少"), ("Invalid Coordinate", "坐标无效"),
        ("Ring is not closed", "环未闭合"), ("Repeated Point", "重复点"),
    ]

    static func validityReasonZh(_ reason: String) -> String {
        for (en, zh) in validityReasonsZh where reason.lowercased().hasPrefix(en.lowercased()) {
            // GEOS appends the location: "Self-intersection[10 5]".
            return zh + reason.dropFirst(en.count).replacingOccurrences(of: "[", with: "（").replacingOccurrences(of: "]", with: "）")
        }
        return "其他无效情形"
    }

    /// The finding code for a GEOS validity reason; reasons without a narrower code (and any
    /// a later GEOS adds) are `GEOM.INVALID`.
    static func code(forValidityReason reason: String) -> FindingCode {
        if reason.containsIgnoringCase("self-intersection") { return .selfIntersection }
        if reason.containsIgnoringCase("too few") { return .tooFewPoints }
        if ["nested", "hole", "disconnected", "shell"].contains(where: { reason.containsIgnoringCase($0) }) { return .ringTopology }
        return .invalid
    }

    /// The title of a file problem, by its code.
    static func title(_ code: IOErrorCode) -> Bilingual {
        switch code {
        case .missingPart: return .init(zh: "Shapefile 缺少组成文件", en: "a part of the shapefile is missing")
        case .unreadable: return .init(zh: "文件无法读取", en: "the file cannot be read")
        case .notRegularFile: return .init(zh: "不是普通文件（目录、管道或设备）", en: "not a regular file (a folder, FIFO or device)")
        case .shpBadHeader: return .init(zh: ".shp 文件头无效", en: "the .shp header is invalid")
        case .shpTruncated: return .init(zh: ".shp 文件不完整（被截断）", en: "the .shp is truncated")
        case .shpRecordCorrupt: return .init(zh: ".shp 记录损坏", en: "a .shp record is corrupt")
        case .shxInconsistent: return .init(zh: ".shx 索引与 .shp 不一致", en: "the .shx index disagrees with the .shp")
        case .dbfBadHeader: return .init(zh: ".dbf 文件头无效", en: "the .dbf header is invalid")
        case .dbfTruncated: return .init(zh: ".dbf 文件不完整（被截断）", en: "the .dbf is truncated")
        case .dbfRecordCountMismatch: return .init(zh: ".dbf 与 .shp 的记录数不一致", en: "the .dbf and the .shp hold different numbers of records")
        case .textUndecodable: return .init(zh: "属性文字无法按声明或已知编码解码", en: "attribute text cannot be decoded in the declared or any known encoding")
        case .unsupportedShapeType: return .init(zh: "不支持的几何类型", en: "unsupported shape type")
        case .prjUnreadable: return .init(zh: ".prj 坐标系无法识别", en: "the .prj cannot be read")
        case .geojsonSyntax: return .init(zh: "GeoJSON 语法错误", en: "GeoJSON syntax error")
        case .geojsonStructure: return .init(zh: "GeoJSON 结构不符合规范", en: "GeoJSON structure is wrong")
        case .writeFailed: return .init(zh: "文件无法写入", en: "the file cannot be written")
        case .tooLarge: return .init(zh: "文件超过大小上限", en: "the file exceeds the size limit")
        }
    }

}

extension Finding {
    /// A finding carrying a catalogue message (its code is the message's).
    public init(_ message: FindingMessage, severity: Severity? = nil, role: String? = nil, layer: String? = nil,
                featureIndex: Int? = nil, featureId: String? = nil, location: Location? = nil) {
        self.init(message.code, severity: severity, role: role, layer: layer, featureIndex: featureIndex,
                  featureId: featureId, message: message.text, location: location)
    }
}
