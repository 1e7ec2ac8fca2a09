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
    /// English words in the visible text of an annex page (`LanguageScan`, outside markup, code and maps).
    static func englishWords(_ html: String) -> [String] {
        var s = html
        for block in [#"(?s)<style.*?</style>"#, #"(?s)<svg.*?</svg>"#, #"(?s)<code>.*?</code>"#, #"(?s)<script.*?</script>"#, #"&[a-z]+;"#] {
            s = s.replacingOccurrences(of: block, with: " ", options: .regularExpression)
        }
        return LanguageScan.englishWords(s.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression))
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
