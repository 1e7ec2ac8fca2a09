import BundleMeasure
import Foundation
import GeoCore
import Measure
import Rules

public enum Verdict: String, Sendable, Codable, CaseIterable {
    case pass, fail, indeterminate
    case notAssessed = "not-assessed"
    /// Worst first: fail, indeterminate, not assessed, pass.
    var rank: Int { switch self { case .fail: return 0; case .indeterminate: return 1; case .notAssessed: return 2; case .pass: return 3 } }
}


/// One criterion applied to one subject (the project, a beach segment, a parcel).
public struct CriterionResult: Sendable, Equatable, Codable {
    public var criterion: String
    public var label: Bilingual
    public var article: String
    public var scope: String
    /// "segment 2", "parcel JY-001"; nil for the project.
    public var subject: String?
    /// "measured" or "declared".
    public var source: String
    public var value: Double?
    public var unit: String?
    public var uncertainty: Double?
    public var threshold: Double?
    public var comparison: String?
    public var declaredValue: String?
    public var expected: String?
    public var verdict: Verdict
    public var inPrinciple: Bool
    /// What is missing, in terms a contractor can act on (fail and indeterminate only).
    public var shortfall: Bilingual?

    /// A subject in Chinese: "parcel JY-001" → "地块 JY-001", "segment 2" → "第 2 段".
    public static func subjectZh(_ english: String) -> String {
        if english.hasPrefix("parcel ") { return "地块 " + english.dropFirst("parcel ".count) }
        if english.hasPrefix("segment ") { return "第 \(english.dropFirst("segment ".count)) 段" }
        return english
    }
}

/// Why a result is not official or not assessed: a stable code, both languages, the article.
public struct Reason: Sendable, Equatable, Codable {
    public var code: String
    public var zh: String
    public var en: String
    public var article: String?
    public init(code: String, zh: String, en: String, article: String? = nil) { self.code = code; self.zh = zh; self.en = en; self.article = article }
    public func text(_ lang: CheckReport.Lang) -> String { lang == .zh ? zh : en }
}

/// What may be done with a quantity.
public enum QuantityStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// Every criterion passed, the data verified, the rulebook is in force and nothing is an
    /// example or a what-if: the registry may issue it.
    case issuable
    /// Some criterion is indeterminate (within the measurement's uncertainty).
    case pending
    /// A criterion failed.
    case notIssuable = "not-issuable"
    /// Computed, but a `Reason` keeps it from being official (rulebook not in force, example
    /// coefficients, what-if override): shown for reference only.
    case referenceOnly = "reference-only"
    /// Not computed: the input failed verification.
    case notAssessed = "not-assessed"
    /// A liability to buy (land supply), not a credit.
    case liability
}

/// A quantity the check yields (indicator metres, vouchers), with whether it may be issued.
/// The amount is fixed point (`units` of 10^-`decimals`): metres in centimetres, vouchers in
/// 0.0001; nil when not assessed. The registry reads `units`, never the display text.
public struct CheckQuantity: Sendable, Equatable, Codable {
    public var id: String
    public var label: Bilingual
    public var units: Int64?
    public var decimals: Int
    public var unit: String
    public var article: String
    public var status: QuantityStatus
    /// Why the status is not `issuable` beyond the verdicts (each with its code).
    public var reasons: [Reason] = []

    /// "500.34"; "—" when not assessed.
    public var value: String {
        guard let units else { return "—" }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let sign = units < 0 ? "-" : "", v = units.magnitude
        guard decimals > 0 else { return sign + String(v) }
        let frac = String(v % UInt64(scale))
        return "\(sign)\(v / UInt64(scale)).\(String(repeating: "0", count: decimals - frac.count))\(frac)"
    }
    public var isIssuable: Bool { status == .issuable && reasons.isEmpty }
}

public struct CheckReport: Sendable {
    public var bundle: String
    public var projectId: String?
    public var rule: String?
    public var kind: String?
    public var rulebook: String
    public var checkDate: String
    public var dateSource: String
    /// Whether the check date lies in the rulebook's effective period, said plainly.
    public var period: Bilingual
    public var results: [CriterionResult] = []
    public var overall: Verdict = .notAssessed
    public var quantities: [CheckQuantity] = []
    public var notes: [String] = []
    /// Why nothing in this report is official, each with its code: the input failed
    /// verification, the rulebook is not in force on the check date, the coefficients are an
    /// example, the rulebook was overridden (what-if). Empty when the quantities may be issued.
    public var reasons: [Reason] = []
    /// True when the report was computed with a what-if override of the rulebook.
    public var whatIf = false

    /// True when the quantities may be issued as they stand.
    public var isOfficial: Bool { reasons.isEmpty }

    /// 0 pass (and official), 1 fail, 3 indeterminate, not assessed, or a pass that is for
    /// reference only (`reasons`).
    public var exitStatus: Int32 { overall == .fail ? 1 : overall == .pass && isOfficial ? 0 : 3 }
}
