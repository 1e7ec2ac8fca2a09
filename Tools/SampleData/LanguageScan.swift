import Foundation
import Rules

/// Finds English words in a text meant to be Chinese (the Chinese annex, verification
/// report and messages): everything Latin but codes, units' symbols, proper names and the
/// rulebooks' identifiers. Chinese texts quote the user's data and identifiers in “…”, which
/// the scan skips. Used by the tests that scan every Chinese output.
public enum LanguageScan {
    /// Proper names (software, standards, formats, people), units' symbols and format names.
    public static let allowed: Set<String> = ["EcoCredit", "GEOS", "PROJ", "CGCS2000", "EPSG", "SHA", "WKT", "ESRI", "Karney", "DSAS",
                                              "GB18030", "GBK", "UTF", "ASCII", "DBF", "cpg", "shp", "shx", "dbf", "prj", "geojson", "json", "csv",
                                              "km", "mu", "yr", "CM", "N", "NSM", "EPR", "GeoJSON", "Shapefile", "GCJ", "WGS",
                                              "submission", "ecocredit-submission", "zip", "NaN", "cm", "fen"]

    /// The English words of `text` (in order, repeats kept).
    public static func englishWords(_ text: String) -> [String] {
        var s = text
        // Quoted in “…”: the user's own data and identifiers (file names, keys, values, CRS and datum names).
        s = s.replacingOccurrences(of: #"“[^”]*”"#, with: " ", options: .regularExpression)
        // Rulebook citations ("shanwei-coastline 2026.1-draft") are identifiers of the rule data.
        for rule in RuleId.allCases { s = s.replacingOccurrences(of: rule.rawValue, with: " ") }
        s = s.replacingOccurrences(of: #"[0-9]+\.[0-9]+-draft"#, with: " ", options: .regularExpression)
        // File names and manifest keys are identifiers: "beach.shp", "submission.json", "declared.seaSide", "project.kind".
        s = s.replacingOccurrences(of: #"[A-Za-z0-9_\-/]+\.(shp|shx|dbf|prj|cpg|json|geojson|zip|csv)\b"#, with: " ", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\b(project|declared|parameters|fields|values|layers)\.[A-Za-z_.]+"#, with: " ", options: .regularExpression)
        var words: [String] = []
        let regex = try! NSRegularExpression(pattern: #"[A-Za-z][A-Za-z\-]*"#)
        let ns = s as NSString
        for m in regex.matches(in: s, range: NSRange(location: 0, length: ns.length)) {
            let w = ns.substring(with: m.range).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
            // Codes: upper case, digits, dashes and underscores (GEOM.NON_FINITE, JY-001, SW-2026-014);
            // single letters are symbols (m, the variables of formulas: h, w_i, a, f).
            if w.count <= 1 || allowed.contains(w) || w.range(of: #"^[A-Z0-9_\-]+$"#, options: .regularExpression) != nil { continue }
            words.append(w)
        }
        return words
    }
}
