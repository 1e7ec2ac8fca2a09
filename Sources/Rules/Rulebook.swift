import Foundation
import GeoCore

/// A rulebook: one rule text's thresholds, tolerances, vocabularies and deadlines as data,
/// each with the article it comes from. This type reads the parts verification uses; the
/// files carry more (read by the checking stage).
public struct Rulebook: Sendable, Decodable {
    /// A number with the article (or stated EcoCredit choice) it comes from.
    public struct Sourced: Sendable, Decodable, Equatable {
        public var value: Double
        public var article: String
    }
    public struct Effective: Sendable, Decodable, Equatable {
        /// ISO dates, inclusive; nil when the text leaves it open.
        public var from: String?
        public var to: String?
        public var note: String?
    }
    public struct Verification: Sendable, Decodable, Equatable {
        /// Relative tolerance for declared lengths and areas against measured ones.
        public var declaredTolerance: Sourced
        /// Polygons (and holes) smaller than this, in m², are slivers.
        public var sliverArea_m2: Sourced
        /// Line ends closer than this (m) but not touching "almost join".
        public var nearJoin_m: Sourced
        /// Features meant to touch may be this far apart (m).
        public var touch_m: Sourced
        /// Remaining dike lines must lie within this distance (m) of the original dike.
        public var dikeOnOriginal_m: Sourced
        /// Overlaps larger than this (m²) between polygons of a layer that must not overlap are errors.
        public var overlap_m2: Sourced
        /// A vertex whose two edges meet at less than this angle (degrees) is a spike.
        public var spikeAngle_deg: Sourced
    }
    public struct NameList: Sendable, Decodable, Equatable {
        public var article: String
        public var names: [String]
    }

    /// A threshold of a criterion: the value, how a measured value compares with it to pass
    /// (">", ">=", "<", "<="), and the article.
    public struct Threshold: Sendable, Decodable, Equatable {
        public var value: Double
        public var comparison: String
        public var article: String
        public var note: String?
        /// Whether `measured` passes (unrounded, as measurement-methods §0 requires).
        public func passes(_ measured: Double) -> Bool {
            switch comparison {
            case ">": return measured > value
            case ">=": return measured >= value
            case "<": return measured < value
            case "<=": return measured <= value
            default: return false
            }
        }
    }
    /// A conversion-coefficient table (JY Art. 19) with its validity period (inclusive dates).
    public struct CoefficientTableData: Sendable, Decodable, Equatable {
        public var id: String
        public var label: String?
        public var validFrom: String
        public var validTo: String
        public var source: String
        public var coefficients: [String: Double]
        public func isInForce(on date: CivilDate) -> Bool {
            guard let a = CivilDate(validFrom), let b = CivilDate(validTo) else { return false }
            return a <= date && date <= b
        }
    }

    /// A criterion of the rule: which measured value (a value id, `[*]` matching every
    /// segment or parcel) meets which threshold, or which declared fact must hold; its scope
    /// (the project, each beach segment, each parcel) and its article. Adding one (SW Art.
    /// 19(6)) needs no code.
    public struct Criterion: Sendable, Decodable, Equatable {
        public struct Label: Sendable, Decodable, Equatable { public var zh: String; public var en: String }
        public struct Shortfall: Sendable, Decodable, Equatable {
            /// A value id the fraction's shortfall is multiplied by ("dike.totalBefore_m").
            public var scaleBy: String
            public var label: Label
        }
        public var id: String
        public var kinds: [String]
        public var label: Label
        public var article: String
        /// "project", "segment" or "parcel".
        public var scope: String
        public var value: String?
        public var threshold: String?
        /// A declared fact (key of the manifest's `declared`) and the value it must have
        /// ("present": any non-empty value).
        public var declared: String?
        public var expected: JSONValue?
        /// "原则上": a failure is reported with that wording.
        public var inPrinciple: Bool?
        public var shortfall: Shortfall?
        /// For durations: a declared date to count from when no dated records were measured.
        public var declaredSinceDate: String?
        /// When the value is not measured (its layer was not submitted), a declared fact that
        /// stands for it, judged against `expected` (default true) and shown as declared.
        public var declaredFallback: String?
    }
    public struct PriceBounds: Sendable, Decodable, Equatable {
        public var minFenPerMetre: Int64
        public var maxFenPerMetre: Int64
        public var article: String
    }
    public struct Revenue: Sendable, Decodable, Equatable {
        public var article: String
        /// Percentages.
        public var interCity: [String: Int]
        public var socialCapital: [String: Int]
        /// District type ("county", "district") → party → percentage.
        public var governmentSplits: [String: [String: Int]]
        /// District name → district type.
        public var districts: [String: String]
        public var rounding: String
    }
    public struct Crosswalk: Sendable, Decodable, Equatable {
        public var source: String
        public var codes: [String: String]
    }

    public var id: String
    public var version: String
    public var title: String
    public var source: String
    public var effective: Effective
    public var verification: Verification
    public var invasiveSpecies: NameList
    /// `role.field.meaning` → accepted attribute values (e.g. `dike_before.permeability.impermeable`).
    public var vocabularies: [String: [String]]
    /// Criterion key ("beach.averageWidth_m") → threshold.
    public var thresholds: [String: Threshold]
    public var coefficientTables: [CoefficientTableData]?
    public var criteria: [Criterion]?
    /// Which value makes the quantity, by kind (Shanwei: `indicatorMetres`), or the value ids
    /// of vouchers (Jiangyin); "declared:key" names a declared quantity.
    public var quantities: JSONValue?
    public var priceBounds: PriceBounds?
    public var revenue: Revenue?
    public var trading: JSONValue?
    public var landClassCrosswalk: Crosswalk?

    /// The effective period as text, and whether `date` lies inside it (nil when the rule
    /// text leaves it open).
    public func isInForce(on date: CivilDate) -> Bool? {
        let from = effective.from.flatMap(CivilDate.init), to = effective.to.flatMap(CivilDate.init)
        if from == nil && to == nil { return nil }
        return (from.map { $0 <= date } ?? true) && (to.map { date <= $0 } ?? true)
    }

    /// The coefficient table in force on `date`, if any (the latest starting one when several are).
    public func coefficientTable(on date: CivilDate) -> CoefficientTableData? {
        (coefficientTables ?? []).filter { $0.isInForce(on: date) }.max { $0.validFrom < $1.validFrom }
    }

    /// "id version", as outputs cite it.
    public var citation: String { "\(id) \(version)" }
}

/// Errors reading rulebook and vocabulary files.
public enum RulesError: Error, Sendable, CustomStringConvertible {
    case notFound(name: String)
    case invalid(name: String, detail: String)
    public var code: String {
        switch self {
        case .notFound: return "RULES.NOT_FOUND"
        case .invalid: return "RULES.INVALID"
        }
    }
    public var description: String {
        switch self {
        case .notFound(let n): return "[\(code)] no rulebook or vocabulary named \(n)"
        case let .invalid(n, d): return "[\(code)] \(n): \(d)"
        }
    }
}

/// The rulebooks and vocabularies shipped with EcoCredit (`Sources/Rules/Data`).
public enum RuleLibrary {
    /// Rulebook id for a manifest's `rule`.
    public static func rulebookName(forRule rule: String?) -> String {
        rule == "jiangyin-eco-voucher" ? "jiangyin-eco-voucher" : "shanwei-coastline"
    }

    /// The shipped vocabularies. Shipped files are part of the program: each is read and decoded
    /// once per process (`Shipped`), and later calls return that value.
    public static func vocabulary() throws -> Vocabulary { try shipped.value("vocabularies") { try load("vocabularies") } }
    /// A shipped rulebook by id (read and decoded once per process, as `vocabulary()`).
    public static func rulebook(_ name: String) throws -> Rulebook { try shipped.value(name) { try load(name) } }

    private static let shipped = Shipped()

    /// Decoded shipped files by name. A file's own lock is held while it is decoded, so that a
    /// second caller for it waits for the value instead of decoding it again, while other files
    /// decode on other threads.
    private final class Shipped: @unchecked Sendable {
        private final class Slot: @unchecked Sendable {
            let lock = NSLock()
            var value: (any Sendable)?
        }
        private let lock = NSLock()
        private var slots: [String: Slot] = [:]
        func value<T: Sendable>(_ name: String, _ make: () throws -> T) throws -> T {
            let slot = lock.withLock {
                if let s = slots[name] { return s }
                let s = Slot(); slots[name] = s; return s
            }
            slot.lock.lock(); defer { slot.lock.unlock() }
            if let v = slot.value as? T { return v }
            let v = try make()
            slot.value = v
            return v
        }
    }
    /// A rulebook from a file a bureau supplies.
    public static func rulebook(file path: String) throws -> Rulebook {
        guard let data = FileManager.default.contents(atPath: path) else { throw RulesError.notFound(name: path) }
        return try decode(data, name: path)
    }

    static func load<T: Decodable>(_ name: String) throws -> T {
        guard let bytes = shippedFile(name) else { throw RulesError.notFound(name: name) }
        return try decode(Data(bytes), name: name)
    }

    /// The bytes of a shipped file, `Sources/Rules/Data/<name>.json`, compiled into the program
    /// (`.embedInCode` in Package.swift; a test compares them with the files).
    static func shippedFile(_ name: String) -> [UInt8]? {
        switch name {
        case "shanwei-coastline": return PackageResources.shanwei_coastline_json
        case "jiangyin-eco-voucher": return PackageResources.jiangyin_eco_voucher_json
        case "vocabularies": return PackageResources.vocabularies_json
        default: return nil
        }
    }

    static func decode<T: Decodable>(_ data: Data, name: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data) }
        catch { throw RulesError.invalid(name: name, detail: "\(error)") }
    }
}
