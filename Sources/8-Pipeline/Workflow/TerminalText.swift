/// Text made safe for a terminal: control characters (C0 but newline and tab, DEL, C1) and the
/// Unicode bidirectional overrides and line separators that can come from file names, zip entry
/// names or attribute values are shown escaped (`\\u{1B}`), never sent raw.
public enum TerminalText {
    public static func safe(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            if isControl(u.value) { out += "\\u{\(String(u.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    static func isControl(_ v: UInt32) -> Bool {
        if v == 0x0A || v == 0x09 { return false }
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
