import Foundation
import XCTest
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

    /// `fixed` writes what Foundation's `String(format: "%.Nf")` writes, for every kind of value.
    func testFixedIsStringFormat() {
        var values: [Double] = [0, -0.0, 0.5, 1.005, 2.675, 0.125, -0.125, 0.045, 1e-9, -1e-9, 123456789.987654321, 1e21, 1.7976931348623157e308,
                                -1.7976931348623157e308, .leastNonzeroMagnitude, .infinity, -.infinity, .nan, 6378137.0, 298.257222101, 113.4567891234]
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2000 { values.append(Double.random(in: -1e7...1e7, using: &g)); values.append(Double(bitPattern: g.next())) }
        for v in values { for d in [0, 1, 2, 3, 4, 5, 6, 7, 12] {
            XCTAssertEqual(fixed(v, d), String(format: "%.\(d)f", v), "\(v) with \(d) digits")
        } }
        XCTAssertEqual(fixed(1234.5678), "1234.57")
        XCTAssertEqual(fixed(-0.5, 2), "-0.50")
        XCTAssertEqual(fixed(1e300, 2).count, 304)   // longer than the first buffer
    }
}
