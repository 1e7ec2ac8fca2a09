/// The languages of every user-facing text: Chinese first (the bureau's language), English beside it.
public enum Language: String, Sendable, CaseIterable, Codable { case zh, en }

/// A text in both languages: every message, label and status EcoCredit shows has one. The one
/// bilingual type of the codebase (findings, criteria labels, check reports, reasons).
public struct Bilingual: Sendable, Equatable, Hashable, Codable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) { self.zh = zh; self.en = en }
    /// The text in `lang`.
    public func callAsFunction(_ lang: Language) -> String { lang == .zh ? zh : en }
}
