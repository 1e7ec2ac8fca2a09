import Foundation

/// Text helpers that give the same answer in every locale and touch neither Foundation's
/// character sets nor ICU: `CharacterSet` and `localizedCaseInsensitiveContains` cost about a
/// millisecond on first use (locale and ICU start-up), a large share of a small bundle's time,
/// and a comparison that depends on the user's locale has no place in a measurement.
extension String {
    /// Without leading and trailing spaces and tabs: the characters of Foundation's
    /// `CharacterSet.whitespaces` (Unicode category Zs, U+0009 and U+200B). The string itself, without a
    /// copy, when it has none (most codes and names).
    public var trimmingSpaces: String { trimming(Text.isSpace) }

    /// Without leading and trailing white space and line ends: Foundation's
    /// `CharacterSet.whitespacesAndNewlines` (Unicode categories Zs, Zl and Zp, U+0009–U+000D,
    /// U+0085 and U+200B), and NUL characters when `nul` (the padding some writers leave in a `.prj`).
    public func trimmingSpacesAndNewlines(nul: Bool = false) -> String {
        trimming { Text.isSpaceOrNewline($0) || (nul && $0 == "\0") }
    }

    /// True when `other` occurs in this text ignoring case, the same in every locale (Unicode
    /// lowercase mapping, as `String.lowercased()`).
    public func containsIgnoringCase(_ other: String) -> Bool {
        lowercased().contains(other.lowercased())
    }

    func trimming(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !drop($0) })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return self }
        return String(scalars[first...last])
    }
}

/// The character classes of the helpers above.
enum Text {
    /// Zs and U+0009, and U+200B (zero width space), which Foundation's `whitespaces` holds too.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || (s.value >= 0x80 && (s.value == 0x200B || s.properties.generalCategory == .spaceSeparator))
    }

    static func isSpaceOrNewline(_ s: Unicode.Scalar) -> Bool {
        if isSpace(s) || (0x0A...0x0D).contains(s.value) || s.value == 0x85 { return true }
        let category = s.properties.generalCategory
        return category == .lineSeparator || category == .paragraphSeparator
    }
}

/// `v` with `digits` decimals, as C's `printf("%.Nf")` writes it in the C locale ("1234.57",
/// "-0.50", "nan", "inf"): always a point, never a grouping separator, whatever the process's
/// locale (Foundation's `String(format:)` without a locale uses the POSIX rules). The one way
/// EcoCredit writes fixed decimals: reports, CSV, annex and console.
public func fixed(_ v: Double, _ digits: Int = 2) -> String { printfFixed(v, digits, sign: false) }

/// `v` with `digits` decimals and its sign always written ("+0.0242", "-1.50"), as `printf("%+.Nf")`.
public func signedFixed(_ v: Double, _ digits: Int = 2) -> String { printfFixed(v, digits, sign: true) }

/// C's `snprintf` straight into a buffer on the stack while the C library's decimal point is
/// "." (the C locale, which a Swift program keeps unless something calls `setlocale`);
/// otherwise Foundation's `String(format:)`, which always writes a point. The same text either
/// way (`TextTests.testFixedIsStringFormat`); the first costs a tenth of the second (a
/// 1000 km beach has 4 400 segment labels).
func printfFixed(_ v: Double, _ digits: Int, sign: Bool) -> String {
    let d = max(0, min(digits, 17))
    // `nl_langinfo` reads the locale's data (no shared buffer written, unlike `localeconv`).
    guard let point = nl_langinfo(nl_item(RADIXCHAR)), point[0] == 0x2E, point[1] == 0 else {
        return String(format: sign ? "%+.\(d)f" : "%.\(d)f", v)
    }
    // The longest: a sign, 309 integer digits (1.8e308), a point and 17 decimals.
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 352) { buf in
        let n = withVaList([Int32(d), v]) { vsnprintf(buf.baseAddress!, 352, sign ? "%+.*f" : "%.*f", $0) }
        return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress!, count: Int(max(0, min(n, 351)))), as: UTF8.self)
    }
}

/// Bytes as lower-case hexadecimal ("3fa0…"): how digests (SHA-256) are written everywhere.
public func hexadecimal<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0x0F)]) }
    return String(decoding: out, as: UTF8.self)
}

/// The folder holding `path` ("out/a" → "out", "a" → ".", "/a" → "/"), trailing slashes ignored.
/// Written here because Foundation's `NSString.deletingLastPathComponent` traps on a
/// one-character path such as "o" (swift-corelibs-foundation, Swift 6.3): `-o o` crashed.
public func parentFolder(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    if slash == p.startIndex { return "/" }
    return String(p[..<slash])
}
