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

/// Text in both languages.
public struct Bilingual: Sendable, Equatable, Codable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
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
}

/// A quantity the check yields (indicator metres, vouchers), with whether it may be issued.
public struct CheckQuantity: Sendable, Equatable, Codable {
    public var id: String
    public var label: Bilingual
    public var value: String
    public var unit: String
    public var article: String
    /// "issuable", "pending" (indeterminate), "not issuable", "liability".
    public var status: String
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

    /// 0 pass, 1 fail, 3 indeterminate or not assessed.
    public var exitStatus: Int32 { overall == .pass ? 0 : overall == .fail ? 1 : 3 }
}
