import Foundation
import Plumbing

/// Vocabularies shared by verification and measuring: third-survey land-class codes, plant
/// species (with invasive flags taken from the rulebook), and district centres. Read from
/// `Data/vocabularies.json`, versioned with the code.
public struct Vocabulary: Sendable, Decodable {
    public struct Species: Sendable, Decodable, Equatable {
        public var latin: String
        public var chinese: String
        public var synonyms: [String]
        /// Every name the species is known by, normalised (`Vocabulary.normalise`).
        public var keys: [String] { ([latin, chinese] + synonyms).map(Vocabulary.normalise) }
    }
    /// A district centre in CGCS2000 degrees and the radius (km) inside which data count as "near".
    public struct District: Sendable, Decodable, Equatable {
        public var name: String
        public var aliases: [String]
        public var lon: Double
        public var lat: Double
        public var radius_km: Double
    }

    /// What a kind of submission is measured from (measurement-methods §3–§8).
    public struct Kind: Sendable, Decodable, Equatable {
        public var rule: String
        public var required: [String]
        public var optional: [String]
    }

    public var id: String
    public var version: String
    /// `kind` → rule and the layer roles it needs.
    public var kinds: [String: Kind]
    /// Roles whose features are lines; every other role holds polygons.
    public var lineRoles: [String]
    /// `role.meaning` → attribute names tried, in order, when the manifest's `fields` names none.
    public var fieldDefaults: [String: [String]]
    /// Third-survey land-class code → name (也含二调 3-digit codes of class 20).
    public var landClasses: [String: String]
    public var species: [Species]
    public var districts: [District]

    /// Collapses white space and case-folds, as measurement-methods §6 matches species names.
    public static func normalise(_ name: String) -> String {
        name.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").lowercased()
    }

    /// The species a name denotes (Latin, Chinese or a synonym), or nil when unknown.
    ///
    /// A value naming one species twice, Chinese and Latin ("秋茄 Kandelia obovata",
    /// "秋茄（Kandelia obovata）"), also denotes it; two different species never match.
    public func species(named name: String) -> Species? {
        let key = Vocabulary.normalise(name)
        if let s = species.first(where: { $0.keys.contains(key) }) { return s }
        let stripped = Vocabulary.normalise(key.replacingOccurrences(of: "（", with: " ").replacingOccurrences(of: "）", with: " ")
            .replacingOccurrences(of: "(", with: " ").replacingOccurrences(of: ")", with: " "))
        return species.first { s in
            let zh = Vocabulary.normalise(s.chinese), la = Vocabulary.normalise(s.latin)
            return stripped == "\(zh) \(la)" || stripped == "\(la) \(zh)"
        }
    }

    /// Whether `code` is a known land-class code; a code with a trailing survey letter
    /// (e.g. `0103K`) is known when its stem is.
    public func isKnownLandClass(_ code: String) -> Bool {
        let c = code.trimmingSpaces.uppercased()
        if landClasses[c] != nil { return true }
        if let last = c.last, last.isLetter, landClasses[String(c.dropLast())] != nil { return true }
        return false
    }

    /// The district a manifest names (exact name or alias, then containment), or nil.
    public func district(named name: String) -> District? {
        let n = name.trimmingSpaces
        return districts.first { $0.name == n || $0.aliases.contains(n) }
            ?? districts.first { n.contains($0.name) || $0.name.contains(n) }
    }
}
