import Foundation
import XCTest
@testable import Plumbing
import SampleData
@testable import GeoCore

/// The locale-free text helpers against Foundation's own character sets, their reference.
final class TextTests: XCTestCase {
    /// Every scalar of the Basic Multilingual Plane and a few above it.
    static let scalars: [Unicode.Scalar] = ((0...0xFFFF).compactMap(Unicode.Scalar.init) as [Unicode.Scalar])
        + [0x1F600, 0xE0020, 0x10FFFF].compactMap(Unicode.Scalar.init)

    func testCharacterClassesAreFoundations() {
        let nul = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: "\0"))
        var differ: [String] = []
        for s in Self.scalars {
            if Text.isSpace(s) != CharacterSet.whitespaces.contains(s) { differ.append("whitespaces U+\(String(s.value, radix: 16))") }
            if Text.isSpaceOrNewline(s) != CharacterSet.whitespacesAndNewlines.contains(s) { differ.append("whitespacesAndNewlines U+\(String(s.value, radix: 16))") }
            if (Text.isSpaceOrNewline(s) || s == "\0") != nul.contains(s) { differ.append("with NUL U+\(String(s.value, radix: 16))") }
        }
        XCTAssertEqual(differ, [])
    }

    func testTrimming() {
        XCTAssertEqual(" \t GBK \u{3000}".trimmingSpaces, "GBK")
        XCTAssertEqual("\u{FEFF}GBK ".trimmingSpaces, "\u{FEFF}GBK")   // a byte-order mark is not a space
        XCTAssertEqual(" a b \n".trimmingSpaces, "a b \n")
        XCTAssertEqual(" a b \r\n\u{2028}".trimmingSpacesAndNewlines(), "a b")
        XCTAssertEqual("PROJCS[…]\0\0\n".trimmingSpacesAndNewlines(), "PROJCS[…]\0\0")
        XCTAssertEqual("PROJCS[…]\0\0\n".trimmingSpacesAndNewlines(nul: true), "PROJCS[…]")
        XCTAssertEqual(" \t\n".trimmingSpacesAndNewlines(), "")
        XCTAssertEqual("".trimmingSpaces, "")
    }

    func testContainsIgnoringCaseIsLocaleFree() {
        XCTAssertTrue("China 2000".containsIgnoringCase("CHINA 2000"))
        XCTAssertFalse("D_China_2000".containsIgnoringCase("china 2000"))   // "_" is not a space
        XCTAssertTrue("GEOS: Self-intersection at 1 2".containsIgnoringCase("self-intersection"))
        XCTAssertFalse("Beijing 1954".containsIgnoringCase("Xian 1980"))
        // Unicode's own case mapping, the same in every locale (a Turkish one maps "I" to "ı").
        XCTAssertTrue("INFO".containsIgnoringCase("info"))
        XCTAssertFalse("Straße".containsIgnoringCase("STRASSE"))   // lowercasing, not case folding
    }

    /// `fixed` and `signedFixed` write what Foundation's `String(format: "%.Nf")` writes, for
    /// every kind of value (C's `snprintf` in the C locale, `printfFixed`).
    func testFixedIsStringFormat() {
        var values: [Double] = [0, -0.0, 0.5, 1.005, 2.675, 0.125, -0.125, 0.045, 1e-9, -1e-9, 123456789.987654321, 1e21, 1.7976931348623157e308,
                                -1.7976931348623157e308, .leastNonzeroMagnitude, .infinity, -.infinity, .nan, 6378137.0, 298.257222101, 113.4567891234]
        var g = SeededGenerator.forTest("testFixedIsStringFormat")
        for _ in 0..<400 { values.append(Double.random(in: -1e7...1e7, using: &g)); values.append(Double(bitPattern: g.next())) }
        for v in values { for d in [0, 1, 2, 3, 4, 5, 6, 7, 12, 17] {
            XCTAssertEqual(fixed(v, d), String(format: "%.\(d)f", v), "\(v) with \(d) digits")
            XCTAssertEqual(signedFixed(v, d), String(format: "%+.\(d)f", v), "\(v) with \(d) digits and its sign")
        } }
        XCTAssertEqual(fixed(2.5, -3), "2", "digits below 0 are 0")
        XCTAssertEqual(fixed(0.1, 40), String(format: "%.17f", 0.1), "and above 17, 17")
        XCTAssertEqual(signedFixed(0.0242, 4), "+0.0242")
        XCTAssertEqual(signedFixed(-0.0, 1), "-0.0")
        XCTAssertEqual(fixed(1234.5678), "1234.57")
        XCTAssertEqual(fixed(-0.5, 2), "-0.50")
        XCTAssertEqual(fixed(1e300, 2).count, 304)   // longer than the first buffer
    }
}

/// Dates as rule texts and DBF fields write them, and everything else refused.
final class CivilDateTests: XCTestCase {
    func testParsing() {
        XCTAssertEqual(CivilDate("2025-11-30"), CivilDate(year: 2025, month: 11, day: 30))
        XCTAssertEqual(CivilDate("20251130"), CivilDate(year: 2025, month: 11, day: 30))
        XCTAssertEqual(CivilDate(" 2024-02-29\t"), CivilDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(CivilDate("0001-01-01")?.dayNumber, -719162)
        XCTAssertEqual(CivilDate("1970-01-01")?.dayNumber, 0)
        for bad in ["2025-02-29", "2025-02-30", "1900-02-29", "2025-13-01", "2025-00-10", "2025-11-00", "2025-1-30", "2025/11/30",
                    "2025-11-3a", "+025-11-30", "２０２５-11-30", "2025-11-30x", "202511300", "0000-01-01", "", "  ", "2025–11–30"] {
            XCTAssertNil(CivilDate(bad), bad)
        }
        XCTAssertEqual(CivilDate("2025-11-30")!.days(to: CivilDate("2026-11-30")!), 365)
    }
}

