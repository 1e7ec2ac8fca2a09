import XCTest
@testable import Registry

/// Integers shown as fixed-point decimals — base units, fen, centimetres — without floating point.
final class FixedPointTests: XCTestCase {
    func testKnownAnswers() {
        XCTAssertEqual(VoucherUnits.text(12_345), "1.2345")
        XCTAssertEqual(VoucherUnits.text(118_500), "11.8500")
        XCTAssertEqual(VoucherUnits.text(7), "0.0007")
        XCTAssertEqual(RevenueSplit.yuan(123_456), "1234.56")
        XCTAssertEqual(RevenueSplit.yuan(-5), "-0.05")
        XCTAssertEqual(IndicatorLength.metresText(50_034), "500.34")
        XCTAssertEqual(IndicatorLength.metresText(100_000), "1000.00")
        XCTAssertEqual(FixedPoint.text(0, decimals: 2), "0.00")
        // The extremes: no overflow taking the magnitude of Int64.min.
        XCTAssertEqual(FixedPoint.text(Int64.min, decimals: 2), "-92233720368547758.08")
        XCTAssertEqual(FixedPoint.text(Int64.max, decimals: 4), "922337203685477.5807")
    }
}
