import Foundation
import XCTest
import Rules
@testable import Registry

/// SW Art. 27–28 money: prices within the bounds, floored to the fen; proceeds split by largest
/// remainder so that the parts sum to the whole (moved here from Check with `RevenueSplit`).
final class RevenueSplitTests: XCTestCase {
    /// SW Art. 28 in fen, by hand: see the comments for each case.
    func testRevenueSplits() throws {
        let rev = try RuleLibrary.rulebook("shanwei-coastline").revenue!
        func split(_ total: Int64, _ sale: RevenueSplit.Sale, _ social: String, _ district: String) throws -> [String: Int64] {
            let s = try RevenueSplit(totalFen: total, sale: sale, socialShare: RevenueSplit.Share(social)!, districtType: rev.districts[district] ?? district, revenue: rev)
            XCTAssertEqual(s.parts.reduce(0) { $0 + $1.fen }, total, "parts sum to the whole")
            return Dictionary(uniqueKeysWithValues: s.parts.map { ($0.party, $0.fen) })
        }
        // Inter-city, government-funded, Lufeng: province 30 % = 3 000 000.3 → 3 000 000; local 7 000 000.7 → 7 000 001
        // (largest remainder); city 50 % 3 500 000.5 → 3 500 001, county 40 % 2 800 000, town 10 % 700 000.
        XCTAssertEqual(try split(10_000_001, .interCity, "0", "陆丰市"), ["province": 3_000_000, "city": 3_500_001, "county": 2_800_000, "town": 700_000])
        // In-city, co-funded 60 % social, Honghaiwan: investor 50 % × 0.6 = 30 % → 3703.5, government 70 % → 8641.5;
        // the tie goes to the government (listed first): 8642 / 3703; then 70/20/10 of 8642 = 6049.4, 1728.4, 864.2 → 6050, 1728, 864.
        XCTAssertEqual(try split(12_345, .inCity, "0.6", "红海湾经济开发区"), ["city": 6050, "district": 1728, "town": 864, "investor": 3703])
        // Inter-city, social-capital-funded, Haifeng, 100 fen: province 30; local 70 → investor 35, government 35 →
        // city 17.5, county 14, town 3.5 → the remaining fen to the city (tie with the town, city first): 18, 14, 3.
        XCTAssertEqual(try split(100, .interCity, "1", "海丰县"), ["province": 30, "city": 18, "county": 14, "town": 3, "investor": 35])
        // Inter-city, co-funded 25 % social, city district, 1 000 fen: province 300; local 700 → investor 50 % × 0.25 = 12.5 %
        // → 87.5, government 612.5: the tie goes to the government → 613 / 87; 70/20/10 of 613 = 429.1, 122.6, 61.3 → 429, 123, 61.
        XCTAssertEqual(try split(1_000, .interCity, "0.25", "城区"), ["province": 300, "city": 429, "district": 123, "town": 61, "investor": 87])
        // In-city, government-funded, city district: no province, no investor.
        XCTAssertEqual(try split(999, .inCity, "0", "城区"), ["city": 699, "district": 200, "town": 100])
        // Large amounts do not overflow: 500 000 yuan/m × 100 km.
        let big = try split(500_000 * 100 * 100_000, .interCity, "0.333333", "城区")
        XCTAssertEqual(big.values.reduce(0, +), 500_000 * 100 * 100_000)
        XCTAssertNil(RevenueSplit.Share("1.5")); XCTAssertNil(RevenueSplit.Share("abc"))
        // SW Art. 27 bounds: 500.34 m at 300 000 yuan/m = 150 102 000.00 yuan; 100 000 yuan/m is refused.
        let bounds = try RuleLibrary.rulebook("shanwei-coastline").priceBounds!
        XCTAssertEqual(try RevenueSplit.price(centimetres: 50034, fenPerMetre: 30_000_000, bounds: bounds), 15_010_200_000)
        XCTAssertEqual(try RevenueSplit.price(centimetres: 1, fenPerMetre: 20_000_050, bounds: bounds), 200_000, "rounded down to the fen")
        XCTAssertThrowsError(try RevenueSplit.price(centimetres: 100, fenPerMetre: 10_000_000, bounds: bounds))
        // Amounts past Int64's range are a coded error, never a trap (found crashing `split`).
        XCTAssertThrowsError(try RevenueSplit.price(centimetres: 99_999_999_999_999_900, fenPerMetre: 50_000_000, bounds: bounds)) {
            XCTAssertEqual(($0 as? MoneyError)?.code, "MONEY.OVERFLOW")
        }
        XCTAssertEqual(try RevenueSplit.price(centimetres: 18_446_744_073_709, fenPerMetre: 50_000_000, bounds: bounds), 9_223_372_036_854_500_000)
        XCTAssertNil(RevenueSplit.Share("99999999999999999999.5")); XCTAssertNil(RevenueSplit.Share("3.0"))
        XCTAssertThrowsError(try RevenueSplit(totalFen: 1, sale: .inCity, socialShare: .init(0, 1), districtType: "nowhere", revenue: rev))
    }

}
