import Foundation
import XCTest
import Plumbing
import Rules
import SampleData
@testable import Registry

/// A registry under a test rulebook in force 2024–2030 (no shipped rulebook is in force today:
/// JY 2023.1 ended 2025-11-30), with minimum prices of 2 000.00 and 2 500.00 yuan per unit.
struct Desk {
    static let rules = VoucherTradingRules(rulebook: "jiangyin-eco-voucher test-2024", effectiveFrom: CivilDate("2024-01-01"), effectiveTo: CivilDate("2030-12-31"),
                                           firstSalePeriodYears: 2, reissueNoticeDays: 30,
                                           minimumPrices: [.init(from: CivilDate("2024-01-01")!, fenPerUnit: 200_000), .init(from: CivilDate("2026-01-01")!, fenPerUnit: 250_000)])
    static let officer = Actor("off-wang", .officer), approver = Actor("chk-li", .approver), platform = Actor("ops", .platform)
    static let alice = Actor("alice", .holder), bob = Actor("bob", .holder)

    var state = VoucherRegistry()
    var log = EventLog()
    var rules = Desk.rules
    /// Every refusal's Chinese message holds no English word (codes, units and the user's quoted data aside).
    var untranslated: [String] = []

    /// Decides and records; returns the refusal's code, or nil when applied.
    @discardableResult
    mutating func run(_ c: VoucherCommand, by actor: Actor, at now: Instant) -> String? {
        let d = VoucherRules.decide(state, c, by: actor, at: now, rules: rules)
        for r in d.records { VoucherRules.apply(r, to: &state) }
        log.append(d.records)
        if let r = d.refusal, !LanguageScan.englishWords(r.message.zh).isEmpty { untranslated.append(r.message.zh) }
        if let r = d.refusal { XCTAssertTrue(r.article.hasPrefix("JY Art. "), "\(r.code) cites \(r.article)") }   // every refusal names its article
        return d.refusal?.code
    }

    static func source(_ bu: Int64, issuable: Bool = true) -> IssueSource {
        IssueSource(job: "job-1", bundleSHA256: String(repeating: "ab", count: 32), rulebook: rules.rulebook, quantity: bu, issuable: issuable,
                    reasons: issuable ? [] : ["RULES.EXAMPLE_COEFFICIENTS"])
    }

    /// Issues `number` to alice on `date` (prepared and approved by two officers).
    mutating func issue(_ number: String, _ bu: Int64, on date: String, to holder: Actor = Desk.alice) {
        let t = Instant.china(CivilDate(date)!, 10)
        XCTAssertNil(run(.prepareIssue(number: number, holder: holder.id, landRightsHolder: "village", source: Desk.source(bu)), by: Desk.officer, at: t))
        XCTAssertNil(run(.approveIssue(number: number), by: Desk.approver, at: t.adding(milliseconds: 60_000)))
    }
}

final class VoucherRegistryTests: XCTestCase {
    func testChinaTimeAndCivilCodePeriods() {
        // 24:00 of 2026-02-28 in China is 16:00 UTC, whatever the machine's time zone.
        XCTAssertEqual(Instant.endOfDay(CivilDate("2026-02-28")!).milliseconds, 1_772_294_400_000)
        XCTAssertEqual(Instant(milliseconds: 1_772_294_399_999).chinaDate, CivilDate("2026-02-28"))
        XCTAssertEqual(Instant(milliseconds: 1_772_294_400_000).chinaDate, CivilDate("2026-03-01"))
        // Art. 202: two years from 2024-02-29 end on 2026-02-28 (no 29th); from 2024-03-31, on 2026-03-31.
        XCTAssertEqual(CivilPeriod.lastDay(years: 2, from: CivilDate("2024-02-29")!), CivilDate("2026-02-28"))
        XCTAssertEqual(CivilPeriod.lastDay(years: 2, from: CivilDate("2024-03-31")!), CivilDate("2026-03-31"))
        // Art. 201: 30 days from 2026-03-10 end at 24:00 of 2026-04-09.
        XCTAssertEqual(CivilPeriod.end(days: 30, from: CivilDate("2026-03-10")!), Instant.endOfDay(CivilDate("2026-04-09")!))
        for n in stride(from: -700_000, through: 2_900_000, by: 997) { XCTAssertEqual(CivilDate(dayNumber: n).dayNumber, n) }
        XCTAssertEqual(Instant.china(CivilDate("2026-12-03")!, 9, 30).description, "2026-12-03T09:30:00.000+08:00")
    }

    func testIssueNeedsAnIssuableCheckTwoOfficersAndARulebookInForce() {
        var d = Desk()
        let t = Instant.china(CivilDate("2026-05-06")!, 10)
        XCTAssertEqual(d.run(.prepareIssue(number: "JY-1", holder: "alice", landRightsHolder: "v", source: Desk.source(12_345)), by: Desk.alice, at: t), "REG.ROLE_NOT_ALLOWED")
        XCTAssertEqual(d.run(.prepareIssue(number: "JY-1", holder: "alice", landRightsHolder: "v", source: Desk.source(12_345, issuable: false)), by: Desk.officer, at: t), "REG.NOT_ISSUABLE")
        var other = Desk.source(12_345); other.rulebook = "jiangyin-eco-voucher 2023.1"
        XCTAssertEqual(d.run(.prepareIssue(number: "JY-1", holder: "alice", landRightsHolder: "v", source: other), by: Desk.officer, at: t), "REG.NOT_ISSUABLE")
        XCTAssertEqual(d.run(.prepareIssue(number: "JY-1", holder: "alice", landRightsHolder: "v", source: Desk.source(0)), by: Desk.officer, at: t), "REG.QUANTITY_INVALID")
        XCTAssertEqual(d.run(.prepareIssue(number: "JY-1", holder: "alice", landRightsHolder: "v", source: Desk.source(12_345)), by: Desk.officer,
                             at: Instant.china(CivilDate("2031-01-01")!)), "REG.RULEBOOK_NOT_IN_FORCE")
        XCTAssertEqual(d.run(.approveIssue(number: "JY-1"), by: Desk.approver, at: t), "REG.NOTHING_PREPARED")
        XCTAssertNil(d.run(.prepareIssue(number: "JY-1", holder: "alice", landRightsHolder: "v", source: Desk.source(12_345)), by: Desk.officer, at: t))
        XCTAssertEqual(d.run(.prepareIssue(number: "JY-1", holder: "alice", landRightsHolder: "v", source: Desk.source(1)), by: Desk.officer, at: t), "REG.DUPLICATE_NUMBER")
        XCTAssertEqual(d.run(.approveIssue(number: "JY-1"), by: Actor("off-wang", .approver), at: t), "REG.SAME_OFFICER")
        XCTAssertEqual(d.run(.approveIssue(number: "JY-1"), by: Desk.officer, at: t), "REG.ROLE_NOT_ALLOWED")
        XCTAssertNil(d.run(.approveIssue(number: "JY-1"), by: Desk.approver, at: t))
        let v = d.state.vouchers["JY-1"]!
        XCTAssertEqual(v.range, SerialRange(1, 12_345)); XCTAssertEqual(v.state, .held); XCTAssertEqual(v.edition, 1)
        XCTAssertEqual(v.firstSaleDeadline, Instant.endOfDay(CivilDate("2028-05-06")!))
        XCTAssertEqual(d.state.issued["JY-1"], 12_345)
    }

    func testDirectSaleAtOrAboveTheMinimumPriceAndHolderChange() {
        var d = Desk()
        d.issue("JY-2", 30_000, on: "2026-03-01")
        let t = Instant.china(CivilDate("2026-04-01")!, 9)
        XCTAssertEqual(d.run(.recordDirectSale(number: "JY-2", buyer: "bob", fenPerUnit: 249_999), by: Desk.platform, at: t), "REG.BELOW_MINIMUM_PRICE")
        XCTAssertEqual(d.run(.recordDirectSale(number: "JY-2", buyer: "bob", fenPerUnit: 300_000), by: Desk.alice, at: t), "REG.ROLE_NOT_ALLOWED")
        XCTAssertEqual(d.run(.recordDirectSale(number: "JY-9", buyer: "bob", fenPerUnit: 300_000), by: Desk.platform, at: t), "REG.UNKNOWN_VOUCHER")
        XCTAssertNil(d.run(.recordDirectSale(number: "JY-2", buyer: "bob", fenPerUnit: 250_001), by: Desk.platform, at: t))
        // 3 units at 2 500.01 yuan: 750 003 fen exactly (⌊250 001 × 30 000 ÷ 10 000⌋).
        XCTAssertEqual(d.state.vouchers["JY-2"]!.state, .pendingHolderChange(buyer: "bob", fenPerUnit: 250_001, totalFen: 750_003, buyout: false))
        XCTAssertEqual(d.run(.surrender(number: "JY-2", quantity: 1, landRef: "L-1"), by: Desk.alice, at: t), "REG.STATE_CONFLICT")
        XCTAssertNil(d.run(.registerHolderChange(number: "JY-2"), by: Desk.officer, at: t))
        let v = d.state.vouchers["JY-2"]!
        XCTAssertEqual(v.holder, "bob"); XCTAssertEqual(v.edition, 2); XCTAssertTrue(v.firstSaleDone); XCTAssertEqual(v.state, .held)
        XCTAssertEqual(d.run(.registerHolderChange(number: "JY-2"), by: Desk.officer, at: t), "REG.STATE_CONFLICT")
        // No minimum price published for the date: refused with its code.
        d.rules.minimumPrices = []
        XCTAssertEqual(d.run(.recordDirectSale(number: "JY-2", buyer: "alice", fenPerUnit: 300_000), by: Desk.platform, at: t), "REG.NO_MINIMUM_PRICE")
    }

    /// Issued 2024-02-29: it may be sold until 2026-02-28 24:00 China time; at that instant the
    /// platform buys it at the minimum price in force on 2026-02-28 (a command catches it up).
    func testFirstSaleDeadlineAndBuyoutAtTheMinimumPrice() {
        var d = Desk()
        d.issue("JY-3", 10_000, on: "2024-02-29")
        d.issue("JY-4", 10_000, on: "2024-02-29")
        let deadline = Instant.endOfDay(CivilDate("2026-02-28")!)
        XCTAssertEqual(d.state.vouchers["JY-3"]!.firstSaleDeadline, deadline)
        XCTAssertNil(d.run(.recordDirectSale(number: "JY-3", buyer: "bob", fenPerUnit: 260_000), by: Desk.platform, at: deadline.adding(milliseconds: -1)))
        XCTAssertEqual(d.run(.recordDirectSale(number: "JY-4", buyer: "bob", fenPerUnit: 260_000), by: Desk.platform, at: deadline), "REG.STATE_CONFLICT")
        XCTAssertEqual(d.state.vouchers["JY-4"]!.state, .pendingHolderChange(buyer: VoucherRules.platformReserve, fenPerUnit: 250_000, totalFen: 250_000, buyout: true))
        let buyout = d.log.entries.last!
        XCTAssertEqual(buyout.type, "boughtOutAtMinimumPrice")
        let r = try! d.log.verify().last!
        XCTAssertEqual(r.effectiveAt, deadline); XCTAssertEqual(r.article, "JY Art. 27"); XCTAssertEqual(r.actor, .clock)
        // The sweeper finds nothing more due; a sold voucher is never bought out.
        XCTAssertEqual(VoucherRules.sweep(d.state, at: deadline.adding(milliseconds: 1), rules: d.rules), [])
    }

    func testSurrenderWholeOrSplitCancelAndReturn() {
        var d = Desk()
        d.issue("JY-5", 10_000, on: "2026-02-01")
        let t = Instant.china(CivilDate("2026-06-01")!, 11)
        XCTAssertEqual(d.run(.surrender(number: "JY-5", quantity: 2_500, landRef: "GY-7"), by: Desk.bob, at: t), "REG.NOT_HOLDER")
        XCTAssertEqual(d.run(.surrender(number: "JY-5", quantity: 10_001, landRef: "GY-7"), by: Desk.alice, at: t), "REG.QUANTITY_INVALID")
        XCTAssertEqual(d.run(.surrender(number: "JY-5", quantity: 2_500, landRef: ""), by: Desk.alice, at: t), "REG.REFERENCE_MISSING")
        XCTAssertNil(d.run(.surrender(number: "JY-5", quantity: 2_500, landRef: "GY-7"), by: Desk.alice, at: t))
        let parent = d.state.vouchers["JY-5"]!, child = d.state.vouchers["JY-5-1"]!
        XCTAssertEqual(parent.range, SerialRange(1, 7_500)); XCTAssertEqual(child.range, SerialRange(7_501, 10_000))
        XCTAssertEqual(child.state, .surrendered(landRef: "GY-7", by: "alice")); XCTAssertEqual(parent.state, .held)
        XCTAssertEqual(parent.uses.map(\.quantity), [2_500]); XCTAssertEqual(parent.uses.first?.child, "JY-5-1")
        XCTAssertEqual(d.run(.cancel(number: "JY-5-1", certificateRef: ""), by: Desk.officer, at: t), "REG.REFERENCE_MISSING")
        XCTAssertNil(d.run(.cancel(number: "JY-5-1", certificateRef: "苏(2026)江阴市不动产权第1号"), by: Desk.officer, at: t))
        XCTAssertEqual(d.run(.returnSurrendered(number: "JY-5-1"), by: Desk.officer, at: t), "REG.STATE_CONFLICT")
        // The rest surrendered whole, then returned (land contract rescinded, JY 33): the same serials, to alice.
        XCTAssertNil(d.run(.surrender(number: "JY-5", quantity: 7_500, landRef: "GY-8"), by: Desk.alice, at: t))
        XCTAssertNil(d.run(.returnSurrendered(number: "JY-5"), by: Desk.officer, at: t))
        XCTAssertEqual(d.state.vouchers["JY-5"]!.state, .held); XCTAssertEqual(d.state.vouchers["JY-5"]!.range, SerialRange(1, 7_500))
        XCTAssertEqual(d.state.vouchers["JY-5"]!.holder, "alice")
        // A second split takes the next number.
        XCTAssertNil(d.run(.surrender(number: "JY-5", quantity: 1, landRef: "GY-9"), by: Desk.alice, at: t))
        XCTAssertEqual(d.state.vouchers["JY-5-2"]!.range, SerialRange(7_500, 7_500))
    }

    /// JY 36: a reissue one millisecond before the end of day D+30 is refused, at it allowed;
    /// the reissued certificate keeps number and serials, edition + 1, marked 补发.
    func testLossNoticeFreezesAndReissueAfterThirtyDays() {
        var d = Desk()
        d.issue("JY-6", 20_000, on: "2026-02-01")
        let notice = CivilDate("2026-03-10")!
        XCTAssertEqual(d.run(.publishLossNotice(number: "JY-6", noticeDate: notice, media: "江阴日报"), by: Desk.bob, at: .china(notice, 12)), "REG.NOT_HOLDER")
        XCTAssertEqual(d.run(.publishLossNotice(number: "JY-6", noticeDate: notice, media: ""), by: Desk.alice, at: .china(notice, 12)), "REG.REFERENCE_MISSING")
        XCTAssertNil(d.run(.publishLossNotice(number: "JY-6", noticeDate: notice, media: "江阴日报"), by: Desk.alice, at: .china(notice, 12)))
        XCTAssertEqual(d.run(.surrender(number: "JY-6", quantity: 1, landRef: "GY-1"), by: Desk.alice, at: .china(notice, 13)), "REG.STATE_CONFLICT")
        let over = Instant.endOfDay(CivilDate("2026-04-09")!)
        XCTAssertEqual(d.run(.prepareReissue(number: "JY-6"), by: Desk.officer, at: over.adding(milliseconds: -1)), "REG.NOTICE_PERIOD_NOT_OVER")
        XCTAssertNil(d.run(.prepareReissue(number: "JY-6"), by: Desk.officer, at: over))
        XCTAssertEqual(d.run(.approveReissue(number: "JY-6"), by: Actor("off-wang", .approver), at: over), "REG.SAME_OFFICER")
        XCTAssertNil(d.run(.approveReissue(number: "JY-6"), by: Desk.approver, at: over))
        let v = d.state.vouchers["JY-6"]!
        XCTAssertTrue(v.reissued); XCTAssertEqual(v.edition, 2); XCTAssertEqual(v.range, SerialRange(1, 20_000)); XCTAssertEqual(v.state, .held)
        XCTAssertEqual(d.run(.approveReissue(number: "JY-6"), by: Desk.approver, at: over), "REG.NOTHING_PREPARED")
        // A notice withdrawn (the original found) unfreezes.
        XCTAssertNil(d.run(.publishLossNotice(number: "JY-6", noticeDate: CivilDate("2026-05-01")!, media: "江阴日报"), by: Desk.alice, at: .china(CivilDate("2026-05-01")!, 9)))
        XCTAssertNil(d.run(.withdrawLossNotice(number: "JY-6"), by: Desk.alice, at: .china(CivilDate("2026-05-02")!, 9)))
        XCTAssertEqual(d.state.vouchers["JY-6"]!.state, .held)
    }

    func testRulesFromTheShippedRulebookAndUnknownTradingKeys() throws {
        let book = try RuleLibrary.rulebook("jiangyin-eco-voucher")
        let rules = try VoucherTradingRules(book)
        XCTAssertEqual(rules.firstSalePeriodYears, 2); XCTAssertEqual(rules.reissueNoticeDays, 30)
        XCTAssertTrue(rules.isInForce(on: CivilDate("2025-11-30")!)); XCTAssertFalse(rules.isInForce(on: CivilDate("2025-12-01")!))
        XCTAssertNil(rules.minimumPrice(on: CivilDate("2025-01-01")!), "the bureau publishes minimum prices; none is shipped")
        XCTAssertThrowsError(try VoucherTradingRules(RuleLibrary.rulebook("shanwei-coastline")))
        var odd = book
        odd.trading = .object(["firstSalePeriodYears": .object(["value": .integer(2)]), "reissueNoticeDays": .object(["value": .integer(30)]), "auctionRounds": .integer(2)])
        XCTAssertThrowsError(try VoucherTradingRules(odd)) { XCTAssertTrue("\($0)".contains("auctionRounds")) }
        XCTAssertEqual(VoucherUnits.total(fenPerUnit: 250_000, quantity: 12_345), 308_625)
        XCTAssertEqual(VoucherUnits.total(fenPerUnit: 3, quantity: 3_333), 0)
        XCTAssertNil(VoucherUnits.total(fenPerUnit: .max, quantity: .max))
        XCTAssertEqual(VoucherUnits.text(12_345), "1.2345"); XCTAssertEqual(VoucherUnits.text(7), "0.0007")
    }

    /// JY 28: one sealed bid per bidder, revealed after the close; the highest valid price wins, a
    /// tie goes to the earliest commitment, unrevealed bids are void; a bid at the close is refused;
    /// a listing without a valid bid returns the voucher to its holder — and a first-sale listing
    /// that fails after the deadline ends in the buyout.
    func testSealedBidListing() {
        var d = Desk()
        d.issue("JY-7", 20_000, on: "2026-02-01")
        let t = Instant.china(CivilDate("2026-06-01")!, 9), closes = t.adding(milliseconds: 2 * 86_400_000)
        XCTAssertEqual(d.run(.list(number: "JY-7", askingFenPerUnit: 249_000, opens: t, closes: closes), by: Desk.alice, at: t), "REG.BELOW_MINIMUM_PRICE")
        XCTAssertEqual(d.run(.list(number: "JY-7", askingFenPerUnit: 260_000, opens: t, closes: Instant.endOfDay(CivilDate("2028-02-02")!)), by: Desk.alice, at: t), "REG.SCHEDULE_INVALID")
        XCTAssertNil(d.run(.list(number: "JY-7", askingFenPerUnit: 260_000, opens: t, closes: closes), by: Desk.alice, at: t))
        let nonce = { (k: Int) in String(repeating: String(format: "%02x", k), count: 32) }
        func c(_ who: String, _ p: Int64, _ k: Int) -> String { SealedBid.commitment(auction: "JY-7#1", bidder: who, fenPerUnit: p, nonce: nonce(k))! }
        XCTAssertEqual(d.run(.commitBid(number: "JY-7", commitment: c("alice", 300_000, 1)), by: Desk.alice, at: t), "REG.NOT_HOLDER", "the seller may not bid")
        XCTAssertNil(d.run(.commitBid(number: "JY-7", commitment: c("bob", 280_000, 2)), by: Desk.bob, at: t.adding(milliseconds: 10)))
        XCTAssertEqual(d.run(.commitBid(number: "JY-7", commitment: c("bob", 290_000, 3)), by: Desk.bob, at: t.adding(milliseconds: 20)), "REG.BID_ALREADY_PLACED")
        XCTAssertNil(d.run(.commitBid(number: "JY-7", commitment: c("carol", 280_000, 4)), by: Actor("carol", .holder), at: t.adding(milliseconds: 30)))
        XCTAssertNil(d.run(.commitBid(number: "JY-7", commitment: c("dave", 400_000, 5)), by: Actor("dave", .holder), at: t.adding(milliseconds: 40)))
        XCTAssertEqual(d.run(.commitBid(number: "JY-7", commitment: c("erin", 500_000, 6)), by: Actor("erin", .holder), at: closes), "REG.BIDDING_CLOSED", "a bid at the close")
        XCTAssertEqual(d.run(.revealBid(number: "JY-7", fenPerUnit: 280_000, nonce: nonce(2)), by: Desk.bob, at: closes.adding(milliseconds: -1)), "REG.BIDDING_CLOSED")
        XCTAssertEqual(d.run(.revealBid(number: "JY-7", fenPerUnit: 281_000, nonce: nonce(2)), by: Desk.bob, at: closes), "REG.BID_INVALID")
        XCTAssertNil(d.run(.revealBid(number: "JY-7", fenPerUnit: 280_000, nonce: nonce(2)), by: Desk.bob, at: closes))
        XCTAssertNil(d.run(.revealBid(number: "JY-7", fenPerUnit: 280_000, nonce: nonce(4)), by: Actor("carol", .holder), at: closes.adding(milliseconds: 5)))
        // dave never reveals: void. At the reveal end (24 h) bob and carol tie at 2 800.00: bob committed first.
        let end = closes.adding(milliseconds: 24 * 3_600_000)
        XCTAssertEqual(d.run(.registerHolderChange(number: "JY-7"), by: Desk.officer, at: end.adding(milliseconds: -1)), "REG.STATE_CONFLICT")
        XCTAssertNil(d.run(.registerHolderChange(number: "JY-7"), by: Desk.officer, at: end))
        let evaluated = try! d.log.verify().first { $0.event.type == "auctionEvaluated" }!
        XCTAssertEqual(evaluated.event, .auctionEvaluated(number: "JY-7", auction: "JY-7#1", winner: "bob", fenPerUnit: 280_000, totalFen: 560_000, unrevealed: ["dave"]))
        XCTAssertEqual(evaluated.effectiveAt, end)
        XCTAssertEqual(d.state.vouchers["JY-7"]!.holder, "bob")
        // No valid bid: back to the holder (bob), listed again later.
        let t2 = Instant.china(CivilDate("2026-07-01")!, 9)
        XCTAssertNil(d.run(.list(number: "JY-7", askingFenPerUnit: 300_000, opens: t2, closes: t2.adding(milliseconds: 86_400_000)), by: Desk.bob, at: t2))
        XCTAssertNil(d.run(.commitBid(number: "JY-7", commitment: SealedBid.commitment(auction: "JY-7#2", bidder: "carol", fenPerUnit: 290_000, nonce: nonce(7))!),
                           by: Actor("carol", .holder), at: t2))
        XCTAssertNil(d.run(.revealBid(number: "JY-7", fenPerUnit: 290_000, nonce: nonce(7)), by: Actor("carol", .holder), at: t2.adding(milliseconds: 86_400_000)))
        XCTAssertEqual(VoucherRules.sweep(d.state, at: t2.adding(milliseconds: 2 * 86_400_000), rules: d.rules).map(\.event),
                       [.auctionEvaluated(number: "JY-7", auction: "JY-7#2", winner: nil, fenPerUnit: nil, totalFen: nil, unrevealed: [])])
        // A first-sale listing still open at the deadline: no buyout until it fails, then at once.
        var e = Desk()
        e.issue("JY-8", 10_000, on: "2024-02-29")
        let deadline = Instant.endOfDay(CivilDate("2026-02-28")!), open = deadline.adding(milliseconds: -3_600_000)
        XCTAssertNil(e.run(.list(number: "JY-8", askingFenPerUnit: 260_000, opens: open, closes: deadline), by: Desk.alice, at: open))
        XCTAssertEqual(VoucherRules.sweep(e.state, at: deadline, rules: e.rules), [], "in its listing's reveal window")
        let due = VoucherRules.sweep(e.state, at: deadline.adding(milliseconds: 25 * 3_600_000), rules: e.rules)
        XCTAssertEqual(due.map(\.event.type), ["auctionEvaluated", "boughtOutAtMinimumPrice"])
        XCTAssertEqual(due.last?.effectiveAt, deadline.adding(milliseconds: 24 * 3_600_000))
    }

    /// JY 14 (I13): a pledged voucher is sold, listed, surrendered or offered only with its
    /// pledgee's consent to that one operation (used up by it); the pledgee alone consents and
    /// releases; a sale with consent ends the pledge with the holder change.
    func testPledgedVoucherNeedsThePledgeesConsent() {
        var d = Desk()
        d.issue("JY-1", 30_000, on: "2026-02-02")
        let t = Instant.china(CivilDate("2026-03-01")!, 10), bank = Actor("bank-icbc", .pledgee), other = Actor("bank-boc", .pledgee)
        XCTAssertEqual(d.run(.pledge(number: "JY-1", pledgee: "bank-icbc"), by: Desk.bob, at: t), "REG.NOT_HOLDER")
        XCTAssertEqual(d.run(.pledge(number: "JY-1", pledgee: ""), by: Desk.alice, at: t), "REG.REFERENCE_MISSING")
        XCTAssertNil(d.run(.pledge(number: "JY-1", pledgee: "bank-icbc"), by: Desk.alice, at: t))
        XCTAssertEqual(d.run(.pledge(number: "JY-1", pledgee: "bank-boc"), by: Desk.alice, at: t), "REG.STATE_CONFLICT", "pledged once")
        XCTAssertEqual(d.run(.surrender(number: "JY-1", quantity: 10_000, landRef: "GY-1"), by: Desk.alice, at: t), "REG.PLEDGED")
        XCTAssertEqual(d.run(.list(number: "JY-1", askingFenPerUnit: 260_000, opens: t, closes: t.adding(milliseconds: 86_400_000)), by: Desk.alice, at: t), "REG.PLEDGED")
        XCTAssertEqual(d.run(.recordDirectSale(number: "JY-1", buyer: "bob", fenPerUnit: 260_000), by: Desk.platform, at: t), "REG.PLEDGED")
        XCTAssertEqual(d.run(.consentToDealing(number: "JY-1", operation: "surrender"), by: other, at: t), "REG.NOT_HOLDER", "another bank")
        XCTAssertEqual(d.run(.consentToDealing(number: "JY-1", operation: "surrender"), by: Desk.alice, at: t), "REG.ROLE_NOT_ALLOWED")
        XCTAssertEqual(d.run(.consentToDealing(number: "JY-1", operation: "lend"), by: bank, at: t), "REG.QUANTITY_INVALID")
        // Consent to a surrender: it is used by that surrender (split), and only once.
        XCTAssertNil(d.run(.consentToDealing(number: "JY-1", operation: "surrender"), by: bank, at: t))
        XCTAssertEqual(d.run(.recordDirectSale(number: "JY-1", buyer: "bob", fenPerUnit: 260_000), by: Desk.platform, at: t), "REG.PLEDGED", "consent is per operation")
        XCTAssertNil(d.run(.surrender(number: "JY-1", quantity: 10_000, landRef: "GY-1"), by: Desk.alice, at: t))
        XCTAssertEqual(d.run(.surrender(number: "JY-1", quantity: 5_000, landRef: "GY-2"), by: Desk.alice, at: t), "REG.PLEDGED", "used up")
        XCTAssertEqual(d.state.vouchers["JY-1"]?.pledgee, "bank-icbc", "the rest stays pledged")
        // Consent to a sale: the sale is recorded; at the holder change the pledge ends (the proceeds were the bank's).
        XCTAssertNil(d.run(.consentToDealing(number: "JY-1", operation: "sell"), by: bank, at: t))
        XCTAssertNil(d.run(.recordDirectSale(number: "JY-1", buyer: "bob", fenPerUnit: 260_000), by: Desk.platform, at: t))
        XCTAssertEqual(d.state.vouchers["JY-1"]?.pledgee, "bank-icbc")
        XCTAssertEqual(ProjectionRowText.of(d.state.vouchers["JY-1"]!).contains("\"pledgee\":\"bank-icbc\""), true, "the register shows who the proceeds go to")
        XCTAssertNil(d.run(.registerHolderChange(number: "JY-1"), by: Desk.officer, at: t))
        XCTAssertNil(d.state.vouchers["JY-1"]?.pledgee)
        // Release: only the pledgee, then dealings are free.
        XCTAssertNil(d.run(.pledge(number: "JY-1", pledgee: "bank-boc"), by: Desk.bob, at: t))
        XCTAssertEqual(d.run(.releasePledge(number: "JY-1"), by: bank, at: t), "REG.NOT_HOLDER")
        XCTAssertNil(d.run(.releasePledge(number: "JY-1"), by: other, at: t))
        XCTAssertNil(d.run(.surrender(number: "JY-1", quantity: 1_000, landRef: "GY-3"), by: Desk.bob, at: t))
        XCTAssertEqual(try d.log.replay(), d.state)
    }

    /// JY 26: the platform publishes a purchase plan (units, price not below the minimum, close);
    /// holders sell whole vouchers into it until it is full or closed.
    func testPurchasePlans() {
        var d = Desk()
        d.issue("JY-1", 30_000, on: "2026-02-02")
        d.issue("JY-2", 30_000, on: "2026-02-02", to: Desk.bob)
        let t = Instant.china(CivilDate("2026-03-01")!, 10), closes = t.adding(milliseconds: 10 * 86_400_000)
        XCTAssertEqual(d.run(.publishPurchasePlan(plan: "PP-1", quantity: 40_000, fenPerUnit: 260_000, closes: closes), by: Desk.officer, at: t), "REG.ROLE_NOT_ALLOWED")
        XCTAssertEqual(d.run(.publishPurchasePlan(plan: "PP-1", quantity: 40_000, fenPerUnit: 249_999, closes: closes), by: Desk.platform, at: t), "REG.BELOW_MINIMUM_PRICE")
        XCTAssertEqual(d.run(.publishPurchasePlan(plan: "PP-1", quantity: 40_000, fenPerUnit: 260_000, closes: t), by: Desk.platform, at: t), "REG.SCHEDULE_INVALID")
        XCTAssertNil(d.run(.publishPurchasePlan(plan: "PP-1", quantity: 40_000, fenPerUnit: 260_000, closes: closes), by: Desk.platform, at: t))
        XCTAssertEqual(d.run(.publishPurchasePlan(plan: "PP-1", quantity: 1, fenPerUnit: 260_000, closes: closes), by: Desk.platform, at: t), "REG.DUPLICATE_NUMBER")
        XCTAssertEqual(d.run(.offerToPlan(number: "JY-1", plan: "PP-9"), by: Desk.alice, at: t), "REG.UNKNOWN_PURCHASE_PLAN")
        XCTAssertEqual(d.run(.offerToPlan(number: "JY-1", plan: "PP-1"), by: Desk.bob, at: t), "REG.NOT_HOLDER")
        XCTAssertNil(d.run(.offerToPlan(number: "JY-1", plan: "PP-1"), by: Desk.alice, at: t))
        XCTAssertEqual(d.state.vouchers["JY-1"]?.state, .pendingHolderChange(buyer: VoucherRules.platformReserve, fenPerUnit: 260_000, totalFen: 780_000, buyout: false))
        XCTAssertEqual(d.state.purchasePlans["PP-1"]?.remaining, 10_000)
        XCTAssertEqual(d.run(.offerToPlan(number: "JY-2", plan: "PP-1"), by: Desk.bob, at: t), "REG.QUANTITY_INVALID", "only 1 unit left")
        XCTAssertEqual(d.run(.offerToPlan(number: "JY-2", plan: "PP-1"), by: Desk.bob, at: closes), "REG.DEADLINE_PASSED")
        XCTAssertEqual(try d.log.replay(), d.state)
    }
}

/// A voucher's projection row as the ledger stores it.
enum ProjectionRowText {
    static func of(_ v: Voucher) -> String { JiangyinVouchers.row(v.number, in: { var s = VoucherRegistry(); s.vouchers[v.number] = v; return s }()) ?? "" }
}

/// Why a checked quantity cannot be issued: the one rule the CLI and the service share.
final class IssueBlockerTests: XCTestCase {
    func testBlockersOfACheckedQuantity() {
        XCTAssertEqual(IssueSource.blockers(quantity: "vouchers", status: "issuable", reasonCodes: []), [])
        XCTAssertEqual(IssueSource.blockers(quantity: "vouchers", status: "issuable", reasonCodes: ["RULES.EXAMPLE_COEFFICIENTS"]), ["RULES.EXAMPLE_COEFFICIENTS"])
        XCTAssertEqual(IssueSource.blockers(quantity: "vouchers", status: "not-issuable", reasonCodes: []), ["CHECK.NOT-ISSUABLE"])
        XCTAssertEqual(IssueSource.blockers(quantity: "vouchers", status: "reference-only", reasonCodes: ["RULES.NO_EFFECTIVE_PERIOD"]), ["RULES.NO_EFFECTIVE_PERIOD"])
        XCTAssertEqual(IssueSource.blockers(quantity: "vouchers", status: nil, reasonCodes: []), ["CHECK.NO_QUANTITY vouchers"])
    }
}
