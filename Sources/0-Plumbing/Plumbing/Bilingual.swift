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

/// An error with a stable code and its message in both languages, kept together in the error
/// type's own catalogue (its `message` switch). What the command line prints, the service will
/// return as `{code, zh, en}`. Details only the libraries or the system give in English (GEOS,
/// PROJ, the OS) stay in the English text; the Chinese says what and where and points to it.
public protocol CodedError: Error, CustomStringConvertible {
    /// Stable identifier, never translated or reworded ("OUTPUT.SYMLINK").
    var code: String { get }
    /// The message in both languages, filled in with the details.
    var message: Bilingual { get }
}

extension CodedError {
    /// "[CODE] English message" (logs, tests).
    public var description: String { "[\(code)] \(message.en)" }
}
