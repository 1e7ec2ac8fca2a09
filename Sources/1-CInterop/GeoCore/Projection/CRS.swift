import CPROJ
import Foundation

/// A coordinate reference system as a plain value. It keeps the WKT2 text PROJ produced, so it
/// can be re-created in any context, and what was identified about it.
public struct CRS: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable { case geographic, projected, other }

    /// CRS name as PROJ reports it, e.g. "CGCS2000 / 3-degree Gauss-Kruger CM 114E".
    public let name: String
    /// The EPSG code, when the CRS is one or PROJ identified it with high confidence (≥ 90 %).
    public let epsg: Int?
    public let kind: Kind
    /// Datum name, e.g. "China 2000", "Beijing 1954".
    public let datum: String
    /// WKT2:2019 text of the CRS.
    public let wkt: String
    /// Semi-major axis (m) and inverse flattening of the ellipsoid.
    public let semiMajorAxis: Double
    public let inverseFlattening: Double
    /// The inverse of its conversion by Krüger's series, when the CRS is a transverse Mercator
    /// with latitude of origin 0 (`TransverseMercatorInverse`); nil otherwise.
    public let transverseMercator: TransverseMercatorInverse?

    public var description: String { epsg.map { "EPSG:\($0) \(name)" } ?? name }

    /// "EPSG:4547" or the name when no code is known.
    public var label: String { epsg.map { "EPSG:\($0)" } ?? name }

    /// The CRS for an EPSG code: CGCS2000's (4490, 4491–4554) as PROJ's database describes
    /// them without opening it (`CGCS2000Definitions`), any other from PROJ's database (cached
    /// by code for the process).
    public static func epsg(_ code: Int, context: ProjContext) throws -> CRS {
        if let known = CGCS2000Definitions.crs(epsg: code) { return known }
        return try CRSCache.shared.value("EPSG:\(code)") { try fromDatabase(code, context: context) }
    }

    /// The CRS for an EPSG code as PROJ's database describes it (not cached).
    static func fromDatabase(_ code: Int, context: ProjContext) throws -> CRS {
        let pj = try context.create("EPSG:\(code)", "proj_create")
        defer { proj_destroy(pj) }
        return try CRS(pj: pj, knownEPSG: code, context: context)
    }

    init(name: String, epsg: Int?, kind: Kind, datum: String, wkt: String, semiMajorAxis: Double, inverseFlattening: Double,
         transverseMercator: TransverseMercatorInverse? = nil) {
        self.name = name; self.epsg = epsg; self.kind = kind; self.datum = datum; self.wkt = wkt
        self.semiMajorAxis = semiMajorAxis; self.inverseFlattening = inverseFlattening
        self.transverseMercator = transverseMercator
    }

    /// The CRS described by WKT in any dialect PROJ reads, including the ESRI WKT1 of a `.prj`.
    public static func fromWKT(_ text: String, context: ProjContext) throws -> CRS {
        let trimmed = text.trimmingSpacesAndNewlines(nul: true)
        guard !trimmed.isEmpty else { throw GeoError.proj(operation: "read WKT", messages: ["the CRS text is empty"]) }
        // PROJ's own ESRI text of a CGCS2000 CRS (what ArcGIS and EcoCredit write in a `.prj`),
        // byte for byte: the EPSG CRS it names, without PROJ parsing the text and identifying
        // it against proj.db (≈ 18 ms of every run). Any other text — a digit, a name, a
        // parameter different — is parsed by PROJ as before.
        if let code = GaussKrugerZone.epsg(ofESRIWKT: trimmed) { return try epsg(code, context: context) }
        return try CRSCache.shared.value(trimmed) { try parseWKT(trimmed, context: context) }
    }

    static func parseWKT(_ trimmed: String, context: ProjContext) throws -> CRS {
        var errors: PROJ_STRING_LIST? = nil
        guard let pj = proj_create_from_wkt(context.handle, trimmed, nil, nil, &errors) else {
            var messages: [String] = []
            if let errors {
                var p = errors
                while let s = p.pointee { messages.append(String(cString: s)); p += 1 }
                proj_string_list_destroy(errors)
            }
            throw GeoError.proj(operation: "proj_create_from_wkt", messages: messages + context.log.take())
        }
        if let errors { proj_string_list_destroy(errors) }
        defer { proj_destroy(pj) }
        return try CRS(pj: pj, knownEPSG: nil, context: context)
    }

    /// Any definition PROJ accepts ("EPSG:4490", WKT, PROJJSON).
    public static func from(definition: String, context: ProjContext) throws -> CRS {
        let upper = definition.uppercased()
        if upper.hasPrefix("EPSG:"), let code = Int(upper.dropFirst(5)) { return try epsg(code, context: context) }
        return try fromWKT(definition, context: context)
    }

    init(pj: OpaquePointer, knownEPSG: Int?, context: ProjContext) throws {
        let ctx = context.handle
        switch proj_get_type(pj) {
        case PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS: kind = .geographic
        case PJ_TYPE_PROJECTED_CRS: kind = .projected
        case PJ_TYPE_BOUND_CRS: kind = .other
        default:
            guard proj_is_crs(pj) != 0 else { throw GeoError.proj(operation: "read CRS", messages: ["the definition is not a coordinate reference system"]) }
            kind = .other
        }
        name = proj_get_name(pj).map { String(cString: $0) } ?? "unnamed"
        guard let w = proj_as_wkt(ctx, pj, PJ_WKT2_2019, nil) else { throw context.failure("proj_as_wkt") }
        wkt = String(cString: w)

        var datumName = "unknown"
        if let d = proj_crs_get_datum_forced(ctx, pj) {
            datumName = proj_get_name(d).map { String(cString: $0) } ?? datumName
            proj_destroy(d)
        }
        datum = datumName
        var a = 0.0, invf = 0.0
        if let e = proj_get_ellipsoid(ctx, pj) {
            var b = 0.0, computed: Int32 = 0
            _ = proj_ellipsoid_get_parameters(ctx, e, &a, &b, &computed, &invf)
            proj_destroy(e)
        }
        semiMajorAxis = a
        inverseFlattening = invf
        transverseMercator = kind == .projected ? TransverseMercatorInverse.read(pj, ctx, semiMajorAxis: a, inverseFlattening: invf) : nil
        epsg = knownEPSG ?? Self.identify(pj, context: context)
        _ = context.log.take()
    }

    /// EPSG code of the best match with confidence ≥ 90, via `proj_identify`.
    private static func identify(_ pj: OpaquePointer, context: ProjContext) -> Int? {
        if let auth = proj_get_id_auth_name(pj, 0), String(cString: auth) == "EPSG",
           let code = proj_get_id_code(pj, 0) { return Int(String(cString: code)) }
        var confidence: UnsafeMutablePointer<Int32>? = nil
        guard let list = proj_identify(context.handle, pj, "EPSG", nil, &confidence) else { return nil }
        defer { proj_list_destroy(list); proj_int_list_destroy(confidence) }
        guard proj_list_get_count(list) > 0, let confidence, confidence[0] >= 90,
              let best = proj_list_get(context.handle, list, 0) else { return nil }
        defer { proj_destroy(best) }
        guard let code = proj_get_id_code(best, 0) else { return nil }
        return Int(String(cString: code))
    }

    /// Whether coordinates in this CRS and in `other` are the same numbers: both definitions,
    /// normalised to easting/longitude first, are equivalent (names aside). Asks nothing of
    /// proj.db, unlike finding the operation between them; false when PROJ cannot tell.
    public func isSameForCoordinates(as other: CRS, context: ProjContext) throws -> Bool {
        let ctx = context.handle
        let a = try context.create(wkt, "proj_create"), b = try context.create(other.wkt, "proj_create")
        defer { proj_destroy(a); proj_destroy(b) }
        guard let na = proj_normalize_for_visualization(ctx, a) else { _ = context.log.take(); return false }
        defer { proj_destroy(na) }
        guard let nb = proj_normalize_for_visualization(ctx, b) else { _ = context.log.take(); return false }
        defer { proj_destroy(nb) }
        return proj_is_equivalent_to_with_ctx(ctx, na, nb, PJ_COMP_EQUIVALENT) != 0
    }

    /// ESRI WKT1 text, as a `.prj` file holds it.
    public func esriWKT(context: ProjContext) throws -> String {
        let pj = try context.create(wkt, "proj_create")
        defer { proj_destroy(pj) }
        guard let w = proj_as_wkt(context.handle, pj, PJ_WKT1_ESRI, nil) else { throw context.failure("proj_as_wkt(ESRI)") }
        return String(cString: w)
    }

    // MARK: CGCS2000 facts (measurement-methods §0)

    /// True for the China Geodetic Coordinate System 2000 datum.
    public var isCGCS2000: Bool { datum.containsIgnoringCase("China 2000") || datum.contains("CGCS2000") }
    public var isWGS84: Bool { datum.containsIgnoringCase("World Geodetic System 1984") }
    public var isBeijing1954: Bool { datum.containsIgnoringCase("Beijing 1954") }
    public var isXian1980: Bool { datum.containsIgnoringCase("Xian 1980") || datum.containsIgnoringCase("Xi'an 1980") }

    /// The Gauss–Krüger family of a CGCS2000 projected CRS identified as EPSG:4491–4554.
    public var gaussKruger: GaussKrugerZone? { epsg.flatMap(GaussKrugerZone.init(epsg:)) }
}

/// A CGCS2000 Gauss–Krüger zone, 3° or 6° wide, with or without the zone number prefixed to
/// the false easting. EPSG:4491–4501 6° with prefix (zones 13–23), 4502–4512 6° CM 75–135E,
/// 4513–4533 3° with prefix (zones 25–45), 4534–4554 3° CM 75–135E.
public struct GaussKrugerZone: Sendable, Hashable {
    public let epsg: Int
    /// Central meridian, degrees east.
    public let centralMeridian: Int
    public let widthDegrees: Int
    public let zonePrefixed: Bool

    public init?(epsg: Int) {
        switch epsg {
        case 4491...4501: (centralMeridian, widthDegrees, zonePrefixed) = (75 + (epsg - 4491) * 6, 6, true)
        case 4502...4512: (centralMeridian, widthDegrees, zonePrefixed) = (75 + (epsg - 4502) * 6, 6, false)
        case 4513...4533: (centralMeridian, widthDegrees, zonePrefixed) = (75 + (epsg - 4513) * 3, 3, true)
        case 4534...4554: (centralMeridian, widthDegrees, zonePrefixed) = (75 + (epsg - 4534) * 3, 3, false)
        default: return nil
        }
        self.epsg = epsg
    }

    /// The zone's ESRI WKT1 text exactly as PROJ writes it for this EPSG code
    /// (`proj_as_wkt(PJ_WKT1_ESRI)`; `CRSTests` compares all 64 zones with PROJ's).
    public var esriWKT: String {
        let name = "CGCS2000_" + (widthDegrees == 3 ? "3_Degree_" : "") + (zonePrefixed ? "GK_Zone_\(zoneNumber)" : "GK_CM_\(centralMeridian)E")
        return "PROJCS[\"\(name)\",\(Self.esriGeographic),PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",\(Int(centralEasting)).0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",\(centralMeridian).0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]"
    }

    /// EPSG:4490 (CGCS2000 geographic) in PROJ's ESRI WKT1.
    static let esriGeographic = "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],"
        + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]"

    /// Every CGCS2000 text PROJ writes for EPSG:4490 and 4491–4554, to its code.
    private static let esriTexts: [String: Int] = {
        var t = [esriGeographic: 4490]
        for code in 4491...4554 { t[GaussKrugerZone(epsg: code)!.esriWKT] = code }
        return t
    }()

    /// The EPSG code whose PROJ ESRI WKT1 text is exactly `text` (4490 or a zone), else nil.
    public static func epsg(ofESRIWKT text: String) -> Int? {
        guard text.hasPrefix("PROJCS[\"CGCS2000_") || text.hasPrefix("GEOGCS[\"GCS_China_Geodetic") else { return nil }
        return esriTexts[text]
    }

    /// The 3° zone without prefix whose central meridian is nearest `longitude`
    /// (measurement-methods §0: CM = 3·floor(lon/3 + 0.5), a tie going east, clamped to 75–135).
    public static func threeDegree(nearestTo longitude: Double) -> GaussKrugerZone {
        // Clamped as a Double first: a longitude no data can have (±1e308, NaN) gives the edge
        // zone instead of trapping in the integer conversion.
        let k = (longitude / 3 + 0.5).rounded(.down)
        let cm = k.isNaN ? 117 : Int(min(45, max(25, k))) * 3
        return GaussKrugerZone(epsg: 4534 + (cm - 75) / 3)!
    }
}

/// CRS values already built, by definition (an EPSG code or the exact WKT text), for the whole
/// process: building one asks proj.db (identification alone takes milliseconds), and every
/// layer, check and measurement asks for the same few. Values only: no PROJ object is shared.
///
/// Bounded: at most `capacity` entries (keys are `.prj` texts a user uploads, so a long-lived
/// server must not grow it without limit); when full, the least recently used entry goes.
final class CRSCache: @unchecked Sendable {
    static let shared = CRSCache(capacity: 256)
    let capacity: Int
    private let lock = NSLock()
    private var values: [String: (crs: CRS, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { lock.withLock { values.count } }

    func value(_ key: String, _ make: () throws -> CRS) throws -> CRS {
        if let v = lock.withLock({ () -> CRS? in
            guard let e = values[key] else { return nil }
            clock += 1; values[key] = (e.crs, clock); return e.crs
        }) { return v }
        let v = try make()   // failures are not cached: the next call reports them again
        lock.withLock {
            if values[key] == nil, values.count >= capacity, let oldest = values.min(by: { $0.value.used < $1.value.used })?.key {
                values[oldest] = nil
            }
            clock += 1; values[key] = (v, clock)
        }
        return v
    }
}
