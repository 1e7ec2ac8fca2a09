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
