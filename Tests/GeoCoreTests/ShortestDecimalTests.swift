import XCTest
import Plumbing
import SampleData

/// `ShortestDecimal` (the digits `ByteText.append(number:)` writes) against the standard
/// library's `description`, which every earlier release wrote: the same text, byte for byte.
final class ShortestDecimalTests: XCTestCase {
    /// What `append(number:)` wrote before `ShortestDecimal`: the reference.
    private func reference(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return d.description
    }

    private func written(_ d: Double) -> String {
        var t = ByteText(capacity: 32)
        t.append(number: d)
        return String(decoding: t.bytes, as: UTF8.self)
    }

    private func assertSame(_ values: [Double], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        var failures = 0
        for v in values where written(v) != reference(v) {
            failures += 1
            if failures <= 5 { XCTFail("\(what): \(v.bitPattern) written \(written(v)), description \(reference(v))", file: file, line: line) }
        }
        XCTAssertEqual(failures, 0, "\(what): \(failures) of \(values.count) differ", file: file, line: line)
    }

    /// 10⁶ seeded values log-uniform over 10⁻⁴…10¹⁶ (beyond the fast range at both ends, so the
    /// fallback is crossed too), both signs; 10⁶ random bit patterns in 10⁻³…10¹⁵.
    func testSeededValuesMatchDescription() {
        var rng = SeededGenerator.forTest("ShortestDecimalTests")
        var values: [Double] = []
        for _ in 0..<1_000_000 {
            let v = Double.pow10(rng.uniform(-4, 16))
            values.append(rng.next() & 1 == 0 ? v : -v)
        }
        assertSame(values, "log-uniform")
        let lo = (1e-3).bitPattern, hi = (1e15).bitPattern
        assertSame((0..<1_000_000).map { _ in Double(bitPattern: lo + rng.next() % (hi - lo)) }, "bit patterns")
    }

    /// Every power of two in range and its neighbours (the asymmetric interval below a power of
    /// two), and the range's own ends.
    func testPowersOfTwoAndNeighbours() {
        var values: [Double] = []
        for e in -12...52 {
            var v = Double(sign: .plus, exponent: e, significand: 1)
            for _ in 0..<4 { v = v.nextDown }
            for _ in 0..<9 { values.append(v); values.append(-v); v = v.nextUp }
        }
        for end in [1e-3, 1e15] { values += [end.nextDown, end, end.nextUp] }
        assertSame(values, "powers of two")
    }

    /// Short decimals — what people type and what fixed-point computations produce:
    /// N/10^p for seeded N of 1–17 digits and p of 1–12 decimals, and coordinate-like values
    /// (6–7 whole digits, 1–10 decimals).
    func testShortDecimalsMatchDescription() {
        var rng = SeededGenerator.forTest("ShortestDecimalTests.short")
        var values: [Double] = []
        for _ in 0..<400_000 {
            let digits = 1 + Int(rng.next() % 17), p = 1 + Int(rng.next() % 12)
            let n = rng.next() % UInt64(Double.pow10(Double(digits)))
            if let v = Double("\(n)e-\(p)") { values.append(v) }
            let whole = 100_000 + rng.next() % 9_900_000, dec = 1 + Int(rng.next() % 10)
            let frac = rng.next() % UInt64(Double.pow10(Double(dec)))
            if let c = Double("\(whole).\(String(repeating: "0", count: dec - String(frac).count))\(frac)") { values.append(c) }
        }
        assertSame(values, "short decimals")
    }
}

private extension Double {
    static func pow10(_ e: Double) -> Double { Foundation.pow(10, e) }
}
