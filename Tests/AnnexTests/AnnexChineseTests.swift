import Foundation
import XCTest
import GeoCore
import Rules
import SampleData
@testable import Annex

/// The Chinese annex holds no English word but codes, units' symbols and proper names: every
/// sample's annex is rendered in Chinese and its text scanned (outside `<code>` and the SVG
/// maps, where identifiers — ids, file names, parameters, layer names — are shown as code).
final class AnnexChineseTests: XCTestCase {
    /// Proper names (software, standards, formats, people), units' symbols and format names.
    static let allowed: Set<String> = ["EcoCredit", "GEOS", "PROJ", "CGCS2000", "EPSG", "SHA", "WKT", "ESRI", "Karney", "DSAS",
                                       "GB18030", "GBK", "UTF", "ASCII", "DBF", "cpg", "shp", "shx", "dbf", "prj", "geojson", "json", "csv",
                                       "km", "mu", "yr", "CM", "N", "NSM", "EPR"]

    /// English words in the visible text of an annex page.
    static func englishWords(_ html: String) -> [String] {
        var s = html
        for block in [#"(?s)<style.*?</style>"#, #"(?s)<svg.*?</svg>"#, #"(?s)<code>.*?</code>"#, #"(?s)<script.*?</script>"#, #"&[a-z]+;"#] {
            s = s.replacingOccurrences(of: block, with: " ", options: .regularExpression)
        }
        s = s.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
        // Rulebook citations ("shanwei-coastline 2026.1-draft") are identifiers of the rule data.
        for rule in RuleId.allCases { s = s.replacingOccurrences(of: rule.rawValue, with: " ") }
        s = s.replacingOccurrences(of: #"[0-9]+\.[0-9]+-draft"#, with: " ", options: .regularExpression)
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

    func testChineseAnnexOfEverySampleHasNoEnglishWords() throws {
        for name in Samples.all.map(\.name) {
            let (html, _) = try AnnexTests.build(name, lang: "zh")
            XCTAssertEqual(Set(Self.englishWords(html)).sorted(), [], name)
        }
        // The scan finds English where there is some.
        XCTAssertEqual(Self.englishWords("<p>宽度 mean width</p><code>beach.meanWidth_m</code>"), ["mean", "width"])
    }
}
