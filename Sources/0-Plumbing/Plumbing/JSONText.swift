import Foundation

/// JSON numbers and strings as text, the one way EcoCredit writes them (GeoJSON, measurements.json, indexes).
public enum JSONText {
    /// Shortest decimal text that reads back as the same Double; JSON has no NaN, so non-finite is null.
    public static func number(_ d: Double) -> String {
        var s = ""
        append(number: d, to: &s)
        return s
    }

    /// `number(d)` appended to `out` without building a string first (for many numbers).
    @inline(__always) public static func append(number d: Double, to out: inout String) {
        guard d.isFinite else { out += "null"; return }
        if d == d.rounded(), abs(d) < 1e15 { out += String(Int64(d)); return }
        d.write(to: &out)
    }

    /// A JSON string literal of `s`, with the escapes JSON requires.
    public static func string(_ s: String) -> String {
        // Most strings need no escaping: copy them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
