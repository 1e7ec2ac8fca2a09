import Foundation
import Plumbing

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
    /// (">", ">=", "<", "<="; any other text is refused when the rulebook is decoded), and the article.
    public struct Threshold: Sendable, Decodable, Equatable {
        public var value: Double
        public var comparison: Comparison
        public var article: String
        public var note: String?
        public init(value: Double, comparison: Comparison, article: String, note: String? = nil) {
            self.value = value; self.comparison = comparison; self.article = article; self.note = note
        }
        /// Whether `measured` passes (unrounded, as measurement-methods §0 requires). The one
        /// place this is decided: segment flags, verdicts and map colours all ask here.
        public func passes(_ measured: Double) -> Bool { comparison.holds(measured, value) }
    }
    /// A conversion-coefficient table (JY Art. 19) with its validity period (inclusive dates).
    public struct CoefficientTableData: Sendable, Decodable, Equatable {
        public var id: String
        public var label: String?
        public var validFrom: String
        public var validTo: String
        public var source: String
        public var coefficients: [String: Double]
        /// True for a table made up for tests and demonstrations: vouchers computed with it
        /// are never issuable (they are reported as "example coefficients, not official").
        public var example: Bool
        enum CodingKeys: String, CodingKey { case id, label, validFrom, validTo, source, coefficients, example }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id); label = try c.decodeIfPresent(String.self, forKey: .label)
            validFrom = try c.decode(String.self, forKey: .validFrom); validTo = try c.decode(String.self, forKey: .validTo)
            source = try c.decode(String.self, forKey: .source); coefficients = try c.decode([String: Double].self, forKey: .coefficients)
            example = try c.decodeIfPresent(Bool.self, forKey: .example) ?? false
            for (key, date) in [("validFrom", validFrom), ("validTo", validTo)] where CivilDate(date) == nil {
                throw RulesError.unknownValue(what: "date", value: date, path: (decoder.codingPath.map(\.stringValue) + [key]).joined(separator: "."), allowed: ["YYYY-MM-DD"])
            }
        }
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
        public typealias Label = Bilingual
        public struct Shortfall: Sendable, Decodable, Equatable {
            /// A value id the fraction's shortfall is multiplied by ("dike.totalBefore_m").
            public var scaleBy: String
            public var label: Label
        }
        /// What a criterion is judged on.
        public enum Scope: String, Sendable, CaseIterable, Decodable {
            case project, segment, parcel
            public init(from decoder: any Decoder) throws { self = try decodeKnown(decoder, what: "scope") }
        }
        public var id: String
        public var kinds: [SubmissionKind]
        public var label: Label
        public var article: String
        public var scope: Scope
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

    public var id: RuleId
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
    /// True when a submission's tables replaced some of this rulebook's (`applying(override:)`):
    /// every output computed with it is a what-if, never official.
    public var whatIf: Bool = false

    enum CodingKeys: String, CodingKey {
        case id, version, title, source, effective, verification, invasiveSpecies, vocabularies, thresholds, coefficientTables
        case criteria, quantities, priceBounds, revenue, trading, landClassCrosswalk
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(RuleId.self, forKey: .id); version = try c.decode(String.self, forKey: .version)
        title = try c.decode(String.self, forKey: .title); source = try c.decode(String.self, forKey: .source)
        effective = try c.decode(Effective.self, forKey: .effective); verification = try c.decode(Verification.self, forKey: .verification)
        invasiveSpecies = try c.decode(NameList.self, forKey: .invasiveSpecies)
        vocabularies = try c.decode([String: [String]].self, forKey: .vocabularies)
        thresholds = try c.decode([String: Threshold].self, forKey: .thresholds)
        coefficientTables = try c.decodeIfPresent([CoefficientTableData].self, forKey: .coefficientTables)
        criteria = try c.decodeIfPresent([Criterion].self, forKey: .criteria)
        quantities = try c.decodeIfPresent(JSONValue.self, forKey: .quantities)
        priceBounds = try c.decodeIfPresent(PriceBounds.self, forKey: .priceBounds)
        revenue = try c.decodeIfPresent(Revenue.self, forKey: .revenue)
        trading = try c.decodeIfPresent(JSONValue.self, forKey: .trading)
        landClassCrosswalk = try c.decodeIfPresent(Crosswalk.self, forKey: .landClassCrosswalk)
        // Vocabulary keys are `role.field.meaning`: the role must be one EcoCredit knows.
        for key in vocabularies.keys.sorted() {
            let role = String(key.prefix { $0 != "." })
            if LayerRole(rawValue: role) == nil {
                throw RulesError.unknownValue(what: "role", value: role, path: "vocabularies.\(key)", allowed: LayerRole.allCases.map(\.rawValue))
            }
        }
        for (i, cr) in (criteria ?? []).enumerated() {
            if let t = cr.threshold, thresholds[t] == nil {
                throw RulesError.unknownValue(what: "threshold", value: t, path: "criteria[\(i)].threshold", allowed: thresholds.keys.sorted())
            }
        }
    }

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
    public var citation: String { "\(id.rawValue) \(version)" }

    /// Whether the rulebook may decide an official quantity on `date`: only inside an effective
    /// period the text sets. A draft without dates, or a date outside the period, is
    /// reference only.
    public func isOfficial(on date: CivilDate) -> Bool { isInForce(on: date) == true }

    /// The same rulebook with a submission's what-if tables in place (the manifest's `rulebook`
    /// key: `coefficientTables` and `invasiveSpecies`, submission-format.md). Any other key, or
    /// a table that does not decode, is refused with `RULES.OVERRIDE_INVALID`.
    public func applying(override: JSONValue) throws -> Rulebook {
        guard case .object(let o) = override else {
            throw RulesError.overrideInvalid(detail: "the manifest's \"rulebook\" must be an object")
        }
        var book = self
        for (key, value) in o.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "coefficientTables":
                do { book.coefficientTables = try JSONDecoder().decode([CoefficientTableData].self, from: JSONEncoder().encode(value)) }
                catch { throw RulesError.overrideInvalid(detail: "rulebook.coefficientTables: \(RulesError.describe(error))") }
            case "invasiveSpecies":
                if let names = value.arrayValue?.compactMap(\.stringValue), names.count == value.arrayValue?.count {
                    book.invasiveSpecies = NameList(article: "what-if override in the submission", names: names)
                } else if let list = try? JSONDecoder().decode(NameList.self, from: JSONEncoder().encode(value)) {
                    book.invasiveSpecies = list
                } else {
                    throw RulesError.overrideInvalid(detail: "rulebook.invasiveSpecies must be a list of names or {article, names}")
                }
            default:
                throw RulesError.overrideInvalid(detail: "rulebook.\(key) cannot be overridden (only coefficientTables and invasiveSpecies)")
            }
        }
        book.whatIf = true
        return book
    }
}

/// Errors reading rulebook and vocabulary files. Each has a stable code.
public enum RulesError: CodedError, Sendable, Equatable {
    /// No shipped rulebook of that name, or no readable regular file at that path.
    case notFound(name: String)
    /// Not valid JSON, or not a rulebook: `detail` says where (line and column, or the key path).
    case invalid(name: String, detail: String)
    /// A value that must be one of a closed set (comparison, kind, role, rule, scope) is not.
    case unknownValue(what: String, value: String, path: String, allowed: [String])
    /// The manifest's what-if `rulebook` override cannot be applied.
    case overrideInvalid(detail: String)
    /// A rulebook given for a bundle of another rule.
    case ruleMismatch(rulebook: String, bundleRule: String)

    public var code: String {
        switch self {
        case .notFound: return "RULES.NOT_FOUND"
        case .invalid: return "RULES.INVALID"
        case .unknownValue(let what, _, _, _): return "RULES.UNKNOWN_\(what.uppercased())"
        case .overrideInvalid: return "RULES.OVERRIDE_INVALID"
        case .ruleMismatch: return "RULES.RULE_MISMATCH"
        }
    }
    public var message: Bilingual {
        switch self {
        case .notFound(let n):
            return .init(zh: "没有名为“\(n)”的规则库或词表（或不是可读的普通文件）", en: "no rulebook or vocabulary named \(n)")
        case let .invalid(n, d):
            return .init(zh: "规则库“\(n)”无法解读；位置与原因见英文信息", en: "\(n): \(d)")
        case let .unknownValue(what, value, path, allowed):
            return .init(zh: "“\(path)”：未知的取值“\(value)”（可用：\(allowed.map { "“\($0)”" }.joined(separator: "、"))）",
                         en: "\(path): unknown \(what) \"\(value)\" (one of \(allowed.joined(separator: ", ")))")
        case .overrideInvalid(let d):
            return .init(zh: "提交清单的规则库假设表无法应用；原因见英文信息", en: d)
        case let .ruleMismatch(book, rule):
            return .init(zh: "规则库“\(book)”不适用于本提交的规则“\(rule)”", en: "rulebook \(book) is not for \(rule), the bundle's rule")
        }
    }

    /// A decoding failure in a user's words: where (key path; line and column for syntax) and what.
    public static func describe(_ error: any Error) -> String {
        func path(_ p: [any CodingKey]) -> String {
            p.isEmpty ? "the top level" : p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let e as RulesError: return e.description
        case DecodingError.keyNotFound(let k, let c): return "\(path(c.codingPath + [k])) is missing"
        case DecodingError.typeMismatch(let t, let c): return "\(path(c.codingPath)) must be \(t)"
        case DecodingError.valueNotFound(let t, let c): return "\(path(c.codingPath)) must be \(t), not null"
        case DecodingError.dataCorrupted(let c):
            // The JSON syntax error's own text carries the line and column.
            let under = (c.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "\(path(c.codingPath)): \(under ?? c.debugDescription)"
        default: return "\(error)"
        }
    }
}

/// The rulebooks and vocabularies shipped with EcoCredit (`Sources/Rules/Data`), compiled into
/// the program and decoded once per process, at first use.
public enum RuleLibrary {
    /// The shipped rulebook for a rule (`shanwei-coastline` when a bundle has no manifest to say).
    public static func rulebook(for rule: RuleId?) throws -> Rulebook { try rulebook((rule ?? .shanweiCoastline).rawValue) }

    /// The shipped vocabularies.
    public static func vocabulary() throws -> Vocabulary { try shippedVocabulary.get() }
    /// A shipped rulebook by id.
    public static func rulebook(_ name: String) throws -> Rulebook {
        switch name {
        case RuleId.shanweiCoastline.rawValue: return try shippedShanwei.get()
        case RuleId.jiangyinEcoVoucher.rawValue: return try shippedJiangyin.get()
        default: throw RulesError.notFound(name: name)
        }
    }

    /// Starts decoding the shipped vocabularies and rulebooks on a thread of its own, so that a
    /// command finds them decoded when it gets to them (≈ 3 ms of a run's start — JSONDecoder
    /// meets each Codable type for the first time — spent while the arguments are parsed and the
    /// bundle is read). Each is still decoded once: a caller that gets there first decodes it,
    /// the other waits for it (static lets). Nothing is lost when a command uses none of them.
    public static func decodeShippedAhead() {
        Thread.detachNewThread { _ = shippedVocabulary; _ = shippedShanwei; _ = shippedJiangyin }
    }

    // Swift's static lets are initialised once, thread-safely.
    private static let shippedVocabulary = Result<Vocabulary, any Error> { try load("vocabularies") }
    private static let shippedShanwei = Result<Rulebook, any Error> { try load(RuleId.shanweiCoastline.rawValue) }
    private static let shippedJiangyin = Result<Rulebook, any Error> { try load(RuleId.jiangyinEcoVoucher.rawValue) }

    /// A rulebook from a file a bureau supplies (a regular file; a FIFO or folder is refused).
    public static func rulebook(file path: String) throws -> Rulebook {
        guard let data = try? RegularFile.read(path) else { throw RulesError.notFound(name: path) }
        return try decode(data, name: path)
    }

    static func load<T: Decodable>(_ name: String) throws -> T {
        guard let bytes = shippedFile(name) else { throw RulesError.notFound(name: name) }
        return try decode(Data(bytes), name: name)
    }

    /// The bytes of a shipped file, `Sources/Rules/Data/<name>.json`, compiled into the program
    /// (`.embedInCode` in Package.swift; a test compares them with the files).
    public static func shippedFile(_ name: String) -> [UInt8]? {
        switch name {
        case "shanwei-coastline": return PackageResources.shanwei_coastline_json
        case "jiangyin-eco-voucher": return PackageResources.jiangyin_eco_voucher_json
        case "vocabularies": return PackageResources.vocabularies_json
        default: return nil
        }
    }

    static func decode<T: Decodable>(_ data: Data, name: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data) }
        catch let e as RulesError { throw e }
        catch {
            if let syntax = JSONSyntax.problem(in: data) { throw RulesError.invalid(name: name, detail: syntax) }
            throw RulesError.invalid(name: name, detail: describe(error))
        }
    }

    static func describe(_ error: any Error) -> String { RulesError.describe(error) }
}

/// Where a JSON text stops being JSON, as a user can find it: line and column (1-based).
public enum JSONSyntax {
    /// Nil when `data` is valid JSON; else "line L, column C: what is wrong".
    public static func problem(in data: Data) -> String? {
        do { _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]); return nil }
        catch {
            let text = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? "not valid JSON"
            // Foundation says "… around character N." (a 0-based byte offset).
            guard let r = text.range(of: #"character \d+"#, options: .regularExpression),
                  let offset = Int(text[r].dropFirst("character ".count)) else { return text }
            var line = 1, column = 1
            for b in data.prefix(offset) { if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 } }
            return "line \(line), column \(column): \(text)"
        }
    }
}
