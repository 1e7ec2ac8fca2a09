import Plumbing

/// The rule a submission is made under (`project.rule` in the manifest, `id` of a rulebook).
/// An unknown value is an error where it is decoded, never a silent default.
public enum RuleId: String, Sendable, CaseIterable, Codable {
    case shanweiCoastline = "shanwei-coastline"
    case jiangyinEcoVoucher = "jiangyin-eco-voucher"

    public init(from decoder: any Decoder) throws {
        self = try decodeKnown(decoder, what: "rule")
    }
}

/// What kind of restoration a submission is (`project.kind`): the sections of
/// measurement-methods it is measured by and the layers it needs (`vocabularies.json`).
public enum SubmissionKind: String, Sendable, CaseIterable, Codable {
    case beach, mudflat, mangrove
    case ecoSeawall = "eco-seawall"
    case dikeRemoval = "dike-removal"
    case restorationParcels = "restoration-parcels"
    case landSupply = "land-supply"

    public init(from decoder: any Decoder) throws {
        self = try decodeKnown(decoder, what: "kind")
    }

    /// The kind's name in both languages (messages and reports).
    public var name: Bilingual {
        switch self {
        case .beach: return .init(zh: "沙滩", en: "beach")
        case .mudflat: return .init(zh: "泥滩", en: "mudflat")
        case .mangrove: return .init(zh: "红树林", en: "mangrove")
        case .ecoSeawall: return .init(zh: "生态海堤", en: "eco-seawall")
        case .dikeRemoval: return .init(zh: "堤坝拆除", en: "dike removal")
        case .restorationParcels: return .init(zh: "生态修复地块", en: "restoration parcels")
        case .landSupply: return .init(zh: "建设用地供应", en: "land supply")
        }
    }
}

/// The role a layer plays in a bundle (the keys of the manifest's `layers`).
public enum LayerRole: String, Sendable, CaseIterable, Codable {
    case shoreline, beach, intertidal
    case datedShorelines = "dated_shorelines"
    case seawallLine = "seawall_line"
    case mangrove, seawall, vegetation
    case dikeBefore = "dike_before"
    case dikeAfter = "dike_after"
    case bedrock, parcels
    case landuseBefore = "landuse_before"
    case landuseAfter = "landuse_after"
    case constructionLand = "construction_land"
    case heritage
    case restrictedRights = "restricted_rights"
    case geohazard
    case spatialPlan = "spatial_plan"

    public init(from decoder: any Decoder) throws {
        self = try decodeKnown(decoder, what: "role")
    }

    /// The role's name in both languages (messages, reports, the annex).
    public var name: Bilingual {
        switch self {
        case .shoreline: return .init(zh: "生态恢复岸线", en: "restored shoreline")
        case .beach: return .init(zh: "沙滩", en: "beach")
        case .intertidal: return .init(zh: "潮间带", en: "intertidal zone")
        case .datedShorelines: return .init(zh: "历史岸线", en: "dated shorelines")
        case .seawallLine: return .init(zh: "海堤线", en: "seawall line")
        case .mangrove: return .init(zh: "红树林", en: "mangrove")
        case .seawall: return .init(zh: "海堤", en: "seawall")
        case .vegetation: return .init(zh: "植被", en: "vegetation")
        case .dikeBefore: return .init(zh: "拆除前堤坝", en: "dike before removal")
        case .dikeAfter: return .init(zh: "拆除后堤坝", en: "dike after removal")
        case .bedrock: return .init(zh: "基岩", en: "bedrock")
        case .parcels: return .init(zh: "地块", en: "parcels")
        case .landuseBefore: return .init(zh: "修复前土地利用", en: "land use before")
        case .landuseAfter: return .init(zh: "修复后土地利用", en: "land use after")
        case .constructionLand: return .init(zh: "三调建设用地", en: "construction land (third survey)")
        case .heritage: return .init(zh: "文物保护范围", en: "heritage protection area")
        case .restrictedRights: return .init(zh: "权利受限土地", en: "land with restricted rights")
        case .geohazard: return .init(zh: "地质灾害区", en: "geohazard area")
        case .spatialPlan: return .init(zh: "国土空间规划分区", en: "spatial plan zone")
        }
    }
}

/// How a measured value compares with a threshold to pass. Decided here and only here
/// (`Rulebook.Threshold.passes`): measuring's segment flags, the checker's verdicts and the
/// annex's map colours all call it.
public enum Comparison: String, Sendable, CaseIterable, Codable {
    case greater = ">"
    case greaterOrEqual = ">="
    case less = "<"
    case lessOrEqual = "<="

    public init(from decoder: any Decoder) throws {
        self = try decodeKnown(decoder, what: "comparison")
    }

    /// Whether `value` compared with `threshold` passes (unrounded, measurement-methods §0).
    public func holds(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greater: return value > threshold
        case .greaterOrEqual: return value >= threshold
        case .less: return value < threshold
        case .lessOrEqual: return value <= threshold
        }
    }
}

/// Decodes a string that must be one of `T`'s raw values; anything else is
/// `RulesError.unknownValue` naming where (the coding path) and what is allowed.
func decodeKnown<T: RawRepresentable & CaseIterable>(_ decoder: any Decoder, what: String) throws -> T where T.RawValue == String {
    let raw = try decoder.singleValueContainer().decode(String.self)
    guard let v = T(rawValue: raw) else {
        throw RulesError.unknownValue(what: what, value: raw, path: decoder.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: "."),
                                      allowed: T.allCases.map(\.rawValue))
    }
    return v
}
