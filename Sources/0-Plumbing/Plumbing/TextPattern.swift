import Foundation

/// Whole-text patterns of literal text and captures, for the few fixed sentences the programs
/// translate (notes, method texts) — no regular expression engine (building one loads ICU:
/// milliseconds of every run). Captures: `{d}` one or more digits, `{n}` digits and points,
/// `{w}` one or more non-space characters, `{*}` one or more of any character. Matching
/// backtracks, so `{*}` takes what the rest of the pattern leaves.
public enum TextPattern {
    /// The captured texts in order when all of `text` matches `pattern`; nil otherwise.
    public static func match(_ text: String, _ pattern: String) -> [Substring]? {
        var captures: [Substring] = []
        return matchFrom(text[...], Substring(pattern), &captures) ? captures : nil
    }

    /// `template` with `$1`, `$2`… replaced by the captures (at most nine).
    public static func fill(_ template: String, _ captures: [Substring]) -> String {
        var out = template
        for (k, c) in captures.enumerated().reversed() { out = out.replacingOccurrences(of: "$\(k + 1)", with: String(c)) }
        return out
    }

    private static func matchFrom(_ text: Substring, _ pattern: Substring, _ captures: inout [Substring]) -> Bool {
        guard let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}") else { return text == pattern }
        let literal = pattern[..<open]
        guard text.hasPrefix(literal) else { return false }
        let kind = pattern[pattern.index(after: open)..<close], rest = pattern[pattern.index(after: close)...]
        let tail = text.dropFirst(literal.count)
        let allowed: (Character) -> Bool
        switch kind {
        case "d": allowed = { $0.isASCII && $0.isNumber }
        case "n": allowed = { $0 == "." || ($0.isASCII && $0.isNumber) }
        case "w": allowed = { !$0.isWhitespace }
        default: allowed = { _ in true }
        }
        // Longest capture first (as a greedy regular expression), backing off until the rest matches.
        var end = tail.startIndex
        while end < tail.endIndex, allowed(tail[end]) { end = tail.index(after: end) }
        while end > tail.startIndex {
            let saved = captures.count
            captures.append(tail[tail.startIndex..<end])
            if matchFrom(tail[end...], rest, &captures) { return true }
            captures.removeSubrange(saved...)
            end = tail.index(before: end)
        }
        return false
    }
}
