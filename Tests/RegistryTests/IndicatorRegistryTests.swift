import Foundation
import XCTest
import Plumbing
import Rules
import SampleData
@testable import Registry

/// A bureau desk for the Shanwei registry: rules from the shipped rulebook's tables (bounds,
/// revenue) with a test effective period (the SW draft has none), decisions recorded in a log.
struct Counter {
    static let book = try! RuleLibrary.rulebook("shanwei-coastline")
    static let rules = IndicatorTradingRules(rulebook: "shanwei-coastline test-2025", effectiveFrom: CivilDate("2025-01-01"), effectiveTo: CivilDate("2030-12-31"),
                                             bounds: book.priceBounds!, revenue: book.revenue!)
    static let officer = Actor("off-chen", .officer), approver = Actor("chk-lin", .approver), platform = Actor("ggzy", .platform)
    static let bidderA = Actor("haiyun", .holder), bidderB = Actor("lanwan", .holder), bidderC = Actor("nanhai", .holder)

    var state = IndicatorRegistry()
    var log = EventLog()
    var rules = Counter.rules

    /// The random-command tests: deadlines short enough to fall due among the commands.
    static var hurried: Counter { var c = Counter(); c.rules.agreementDays = 1; c.rules.paymentDays = 1; return c }

    @discardableResult
    mutating func run(_ c: IndicatorCommand, by actor: Actor, at now: Instant) -> String? {
        let d = ShanweiIndicators.decide(state, c, by: actor, at: now, rules: rules)
        for r in d.records { ShanweiIndicators.apply(r, to: &state) }
        log.append(d.records)
        return d.refusal.map { "\($0.code) \($0.article)" }
    }

    static func source(_ cm: Int64, issuable: Bool = true) -> IssueSource {
        IssueSource(job: "check-sw", bundleSHA256: String(repeating: "cd", count: 32), rulebook: rules.rulebook, quantity: cm, issuable: issuable,
                    reasons: issuable ? [] : ["RULES.WHAT_IF"])
    }
    static func nonce(_ i: Int) -> String { String(repeating: String(format: "%02x", i % 256), count: 32) }
    static func commit(_ auction: String, _ bidder: Actor, _ price: Int64, _ i: Int) -> IndicatorCommand {
        .commitBid(auction: auction, commitment: SealedBid.commitment(auction: auction, bidder: bidder.id, fenPerUnit: price, nonce: nonce(i))!)
    }
}

final class IndicatorRegistryTests: XCTestCase {
    let day1 = Instant.china(CivilDate("2026-03-02")!, 9)
    func t(_ days: Int, _ hours: Int = 0) -> Instant { day1.adding(milliseconds: Int64(days) * 86_400_000 + Int64(hours) * 3_600_000) }

    /// Two lots through the whole of SW 20–28, every step with the guard that refuses it.
    func testEveryTransitionAndItsGuards() throws {
        var c = Counter()
        // Lots: prepared by one officer from an issuable check, approved by another.
        XCTAssertEqual(c.run(.prepareLot(lot: "SW-1", source: Counter.source(5_003_4), funding: Funding(socialShare: "0.6", district: "红海湾经济开发区")), by: Counter.approver, at: t(0)), "REG.ROLE_NOT_ALLOWED SW Art. 20–22")
        XCTAssertEqual(c.run(.prepareLot(lot: "SW-1", source: Counter.source(50_034, issuable: false), funding: Funding(socialShare: "0.6", district: "红海湾经济开发区")), by: Counter.officer, at: t(0)), "REG.NOT_ISSUABLE SW Art. 19–22")
        XCTAssertEqual(c.run(.prepareLot(lot: "SW-1", source: Counter.source(50_034), funding: Funding(socialShare: "0.6", district: "深圳")), by: Counter.officer, at: t(0)), "REG.UNKNOWN_DISTRICT SW Art. 28")
        XCTAssertEqual(c.run(.prepareLot(lot: "SW-1", source: Counter.source(50_034), funding: Funding(socialShare: "1.5", district: "城区")), by: Counter.officer, at: t(0)), "REG.QUANTITY_INVALID SW Art. 11, 13")
        XCTAssertEqual(c.run(.prepareLot(lot: "SW-1", source: Counter.source(50_034), funding: Funding(socialShare: "0", district: "城区")), by: Counter.officer, at: .china(CivilDate("2031-01-01")!, 9)), "REG.RULEBOOK_NOT_IN_FORCE SW Art. 30")
        XCTAssertNil(c.run(.prepareLot(lot: "SW-1", source: Counter.source(50_034), funding: Funding(socialShare: "0.6", district: "红海湾经济开发区")), by: Counter.officer, at: t(0)))
        XCTAssertEqual(c.run(.prepareLot(lot: "SW-1", source: Counter.source(1), funding: Funding(socialShare: "0", district: "城区")), by: Counter.officer, at: t(0)), "REG.DUPLICATE_NUMBER SW Art. 22")
        XCTAssertEqual(c.run(.approveLot(lot: "SW-1"), by: Actor("off-chen", .approver), at: t(0)), "REG.SAME_OFFICER SW Art. 22")
        XCTAssertEqual(c.run(.approveLot(lot: "SW-9"), by: Counter.approver, at: t(0)), "REG.NOTHING_PREPARED SW Art. 22")
        XCTAssertNil(c.run(.approveLot(lot: "SW-1"), by: Counter.approver, at: t(0)))
        XCTAssertNil(c.run(.prepareLot(lot: "SW-2", source: Counter.source(12_000), funding: Funding(socialShare: "0", district: "陆丰市")), by: Counter.officer, at: t(0)))
        XCTAssertNil(c.run(.approveLot(lot: "SW-2"), by: Counter.approver, at: t(0)))
        XCTAssertEqual(c.state.lots["SW-1"]?.centimetres, 50_034)
        // A third lot is revoked (acceptance withdrawn, nothing sold).
        XCTAssertNil(c.run(.prepareLot(lot: "SW-3", source: Counter.source(700), funding: Funding(socialShare: "1", district: "海丰县")), by: Counter.officer, at: t(0)))
        XCTAssertNil(c.run(.approveLot(lot: "SW-3"), by: Counter.approver, at: t(0)))
        XCTAssertEqual(c.run(.revokeLot(lot: "SW-3", reason: " "), by: Counter.approver, at: t(0)), "REG.REFERENCE_MISSING SW Art. 21")
        XCTAssertNil(c.run(.revokeLot(lot: "SW-3", reason: "验收撤销 汕自然资〔2026〕12号"), by: Counter.approver, at: t(0)))
        XCTAssertEqual(c.run(.revokeLot(lot: "SW-3", reason: "again"), by: Counter.approver, at: t(0)), "REG.STATE_CONFLICT SW Art. 21")

        // Plan: reserve within SW 27's 200 000–500 000 yuan/m, at the extremes.
        let until = t(60)
        XCTAssertEqual(c.run(.draftPlan(plan: "P-1", lots: ["SW-1", "SW-2"], reserveFenPerMetre: 19_999_999, validUntil: until), by: Counter.officer, at: t(1)), "REG.PRICE_OUT_OF_BOUNDS SW Art. 27")
        XCTAssertEqual(c.run(.draftPlan(plan: "P-1", lots: ["SW-1", "SW-2"], reserveFenPerMetre: 50_000_001, validUntil: until), by: Counter.officer, at: t(1)), "REG.PRICE_OUT_OF_BOUNDS SW Art. 27")
        XCTAssertEqual(c.run(.draftPlan(plan: "P-1", lots: ["SW-1", "SW-3"], reserveFenPerMetre: 20_000_000, validUntil: until), by: Counter.officer, at: t(1)), "REG.STATE_CONFLICT SW Art. 24")
        XCTAssertEqual(c.run(.draftPlan(plan: "P-1", lots: ["SW-1", "SW-7"], reserveFenPerMetre: 20_000_000, validUntil: until), by: Counter.officer, at: t(1)), "REG.UNKNOWN_LOT SW Art. 22")
        XCTAssertNil(c.run(.draftPlan(plan: "P-0", lots: ["SW-2"], reserveFenPerMetre: 50_000_000, validUntil: until), by: Counter.officer, at: t(1)), "50 000 000 fen/m is the upper bound, allowed")
        XCTAssertNil(c.run(.withdrawPlan(plan: "P-0"), by: Counter.officer, at: t(1)))
        XCTAssertNil(c.run(.draftPlan(plan: "P-1", lots: ["SW-1", "SW-2"], reserveFenPerMetre: 30_000_000, validUntil: until), by: Counter.officer, at: t(1)))
        XCTAssertEqual(c.run(.openAuction(plan: "P-1", opens: t(2), closes: t(9)), by: Counter.platform, at: t(1)), "REG.STATE_CONFLICT SW Art. 24–25", "not approved yet")
        XCTAssertEqual(c.run(.approvePlan(plan: "P-1", decisionRef: "汕府函〔2026〕8号"), by: Actor("off-chen", .approver), at: t(1)), "REG.SAME_OFFICER SW Art. 25")
        XCTAssertNil(c.run(.approvePlan(plan: "P-1", decisionRef: "汕府函〔2026〕8号"), by: Counter.approver, at: t(1)))
        XCTAssertEqual(c.state.lots["SW-1"]?.state, .planned(plan: "P-1"))

        // First auction: one bid, never revealed → void, 流拍: the lots go back to the plan.
        XCTAssertEqual(c.run(.openAuction(plan: "P-1", opens: t(2), closes: t(70)), by: Counter.platform, at: t(1)), "REG.SCHEDULE_INVALID SW Art. 24")
        XCTAssertNil(c.run(.openAuction(plan: "P-1", opens: t(2), closes: t(5)), by: Counter.platform, at: t(1)))
        XCTAssertEqual(c.run(Counter.commit("P-1#1", Counter.bidderA, 31_000_000, 1), by: Counter.bidderA, at: t(1, 23)), "REG.BIDDING_CLOSED SW Art. 24", "before it opens")
        XCTAssertNil(c.run(Counter.commit("P-1#1", Counter.bidderA, 31_000_000, 1), by: Counter.bidderA, at: t(2)))
        XCTAssertEqual(c.state.lots["SW-2"]?.state, .inAuction(auction: "P-1#1"))
        XCTAssertEqual(c.run(.draftPlan(plan: "P-9", lots: ["SW-1"], reserveFenPerMetre: 30_000_000, validUntil: until), by: Counter.officer, at: t(6, 10)), "REG.STATE_CONFLICT SW Art. 24")
        XCTAssertEqual(c.state.auctions["P-1#1"]?.phase, .failed, "evaluated (no revealed bid) before the command at 6 d 10 h")
        XCTAssertEqual(c.state.lots["SW-1"]?.state, .planned(plan: "P-1"))

        // Second auction: three bids; an equal top price goes to the earlier commitment; one above SW 27 is void.
        XCTAssertNil(c.run(.openAuction(plan: "P-1", opens: t(7), closes: t(12)), by: Counter.platform, at: t(7)))
        let a = "P-1#2", closes = t(12)
        XCTAssertNil(c.run(Counter.commit(a, Counter.bidderB, 32_000_000, 2), by: Counter.bidderB, at: t(8)))
        XCTAssertEqual(c.run(Counter.commit(a, Counter.bidderB, 33_000_000, 3), by: Counter.bidderB, at: t(8)), "REG.BID_ALREADY_PLACED SW Art. 24")
        XCTAssertNil(c.run(Counter.commit(a, Counter.bidderA, 32_000_000, 4), by: Counter.bidderA, at: closes.adding(milliseconds: -1)), "a bid 1 ms before the close is accepted")
        XCTAssertEqual(c.run(Counter.commit(a, Counter.bidderC, 60_000_000, 5), by: Counter.bidderC, at: closes), "REG.BIDDING_CLOSED SW Art. 24", "a bid at the close is refused")
        XCTAssertNil(c.run(Counter.commit(a, Counter.bidderC, 60_000_000, 5), by: Counter.bidderC, at: t(11)))
        XCTAssertEqual(c.run(.revealBid(auction: a, fenPerMetre: 32_000_000, nonce: Counter.nonce(2)), by: Counter.bidderB, at: t(11)), "REG.BIDDING_CLOSED SW Art. 24", "no reveal before the close")
        XCTAssertEqual(c.run(.revealBid(auction: a, fenPerMetre: 32_000_001, nonce: Counter.nonce(2)), by: Counter.bidderB, at: closes), "REG.BID_INVALID SW Art. 24", "wrong price")
        XCTAssertNil(c.run(.revealBid(auction: a, fenPerMetre: 32_000_000, nonce: Counter.nonce(2)), by: Counter.bidderB, at: closes))
        XCTAssertNil(c.run(.revealBid(auction: a, fenPerMetre: 60_000_000, nonce: Counter.nonce(5)), by: Counter.bidderC, at: closes))
        let revealEnds = c.state.auctions[a]!.revealEnds
        XCTAssertNil(c.run(.revealBid(auction: a, fenPerMetre: 32_000_000, nonce: Counter.nonce(4)), by: Counter.bidderA, at: revealEnds.adding(milliseconds: -1)))
        // Evaluated at the reveal end (before the next command): lanwan committed first at the same price.
        XCTAssertEqual(c.run(.fileObjection(auction: a, reason: " "), by: Counter.bidderA, at: revealEnds), "REG.REFERENCE_MISSING SW Art. 26")
        let won = try XCTUnwrap(c.state.auctions[a])
        XCTAssertEqual(won.phase, .awarded); XCTAssertEqual(won.winner, "lanwan"); XCTAssertEqual(won.fenPerMetre, 32_000_000)
        XCTAssertEqual(won.totalFen, (50_034 + 12_000) * 32_000_000 / 100, "⌊price × cm ÷ 100⌋")
        guard case let .auctionEvaluated(_, _, _, _, _, unrevealed, invalid)? = c.log.entries.compactMap({ try? JSONDecoder().decode(IndicatorRecord.self, from: Data($0.payload)) }).last(where: { $0.type == "auctionEvaluated" })?.event else { return XCTFail() }
        XCTAssertEqual(unrevealed, []); XCTAssertEqual(invalid, ["nanhai"], "above the SW 27 bound: void")
        // Publicity (5 days, the reveal-end day not counted): objection, upheld or dismissed.
        let publicityEnds = try XCTUnwrap(won.publicityEnds)
        XCTAssertEqual(publicityEnds, Instant.endOfDay(revealEnds.chinaDate.adding(days: 5)))
        XCTAssertEqual(c.run(.signAgreement(auction: a, agreementRef: "协议-1"), by: Counter.approver, at: revealEnds), "REG.PUBLICITY_NOT_OVER SW Art. 26")
        XCTAssertNil(c.run(.fileObjection(auction: a, reason: "价格异常"), by: Counter.bidderA, at: publicityEnds.adding(milliseconds: -1)), "1 ms before the end: accepted")
        XCTAssertEqual(c.run(.signAgreement(auction: a, agreementRef: "协议-1"), by: Counter.approver, at: publicityEnds), "REG.OBJECTION_PENDING SW Art. 26")
        XCTAssertEqual(c.run(.decideObjection(auction: a, upheld: false, reason: "x"), by: Counter.officer, at: publicityEnds), "REG.ROLE_NOT_ALLOWED SW Art. 26")
        XCTAssertNil(c.run(.decideObjection(auction: a, upheld: false, reason: "经复核竞价有效"), by: Counter.approver, at: publicityEnds))
        XCTAssertEqual(c.run(.fileObjection(auction: a, reason: "再议"), by: Counter.bidderC, at: publicityEnds.adding(milliseconds: 1)), "REG.PUBLICITY_OVER SW Art. 26", "at the end: refused")
        XCTAssertEqual(c.state.auctions[a]?.phase, .final)
        XCTAssertNil(c.run(.signAgreement(auction: a, agreementRef: "汕海岸线出让协议〔2026〕1号"), by: Counter.approver, at: publicityEnds.adding(milliseconds: 2)))
        // Payments: part, an overpayment refused, the rest — and with it the SW 28 split.
        let total = won.totalFen!
        XCTAssertNil(c.run(.recordPayment(auction: a, fen: 1_000_000_000, paymentRef: "付-1"), by: Counter.platform, at: t(30)))
        XCTAssertEqual(c.run(.recordPayment(auction: a, fen: total, paymentRef: "付-2"), by: Counter.platform, at: t(30)), "REG.OVERPAYMENT SW Art. 26")
        XCTAssertNil(c.run(.recordPayment(auction: a, fen: total - 1_000_000_000, paymentRef: "付-2"), by: Counter.platform, at: t(31)))
        let parts = try XCTUnwrap(c.state.splits[a])
        XCTAssertEqual(parts.reduce(0) { $0 + $1.fen }, total, "the parts sum to the payment")
        // Shared by centimetres (50 034 : 12 000), then by each lot's funding and district (SW 28).
        let sw1 = parts.filter { $0.lot == "SW-1" }.reduce(0) { $0 + $1.fen }, sw2 = parts.filter { $0.lot == "SW-2" }.reduce(0) { $0 + $1.fen }
        XCTAssertEqual(sw1 + sw2, total)
        XCTAssertLessThanOrEqual(abs(sw1 * 62_034 - total * 50_034), 62_034, "within a fen of the exact share")
        XCTAssertEqual(Set(parts.filter { $0.lot == "SW-1" }.map(\.party)), ["city", "district", "town", "investor"])
        XCTAssertEqual(Set(parts.filter { $0.lot == "SW-2" }.map(\.party)), ["city", "county", "town"])
        XCTAssertEqual(c.state.lots["SW-1"]?.state, .settled(auction: a))
        XCTAssertEqual(c.run(.recordPayment(auction: a, fen: 1, paymentRef: "付-3"), by: Counter.platform, at: t(32)), "REG.STATE_CONFLICT SW Art. 26")
        // The log replays to the registry, and verifies.
        XCTAssertEqual(try c.log.replay(ShanweiIndicators.self), c.state)
    }

    /// The coastline ledger (SW 5–7), allocation (SW 10), the re-survey (SW 22 ¶2), provincial
    /// transfers (SW 23), applications (SW 24) and the agreement and payment deadlines.
    func testLedgerAllocationTransferAndDeadlines() throws {
        var c = Counter()
        // The ledger: a piece, an occupation within its length, a restoration linked to a lot.
        XCTAssertEqual(c.run(.recordPiece(piece: "HF-07", kind: .natural, district: "海丰县", surveyRef: "", centimetres: 120_000), by: Counter.officer, at: t(0)), "REG.REFERENCE_MISSING SW Art. 5")
        XCTAssertNil(c.run(.recordPiece(piece: "HF-07", kind: .natural, district: "海丰县", surveyRef: "2022年省海岸线修测", centimetres: 120_000), by: Counter.officer, at: t(0)))
        XCTAssertEqual(c.run(.recordOccupation(piece: "HF-07", project: "海丰港区用海", occupier: "haiyun", centimetres: 120_001), by: Counter.officer, at: t(0)), "REG.QUANTITY_INVALID SW Art. 6")
        XCTAssertNil(c.run(.recordOccupation(piece: "HF-07", project: "海丰港区用海", occupier: "haiyun", centimetres: 40_000), by: Counter.officer, at: t(0)))
        // A lot from the 2022 re-survey (no acceptance), and a lot from a check.
        XCTAssertEqual(c.run(.prepareResurveyLot(lot: "RS-1", surveyRef: " ", centimetres: 30_000, funding: Funding(socialShare: "0", district: "城区")), by: Counter.officer, at: t(0)), "REG.REFERENCE_MISSING SW Art. 22")
        XCTAssertNil(c.run(.prepareResurveyLot(lot: "RS-1", surveyRef: "粤海修测〔2022〕3号", centimetres: 30_000, funding: Funding(socialShare: "0", district: "城区")), by: Counter.officer, at: t(0)))
        XCTAssertNil(c.run(.approveLot(lot: "RS-1"), by: Counter.approver, at: t(0)))
        XCTAssertNil(c.run(.prepareLot(lot: "SW-1", source: Counter.source(50_000), funding: Funding(socialShare: "0", district: "海丰县")), by: Counter.officer, at: t(0)))
        XCTAssertNil(c.run(.approveLot(lot: "SW-1"), by: Counter.approver, at: t(0)))
        XCTAssertEqual(c.run(.recordRestoration(piece: "HF-07", lot: "SW-9"), by: Counter.officer, at: t(0)), "REG.UNKNOWN_LOT SW Art. 22")
        XCTAssertNil(c.run(.recordRestoration(piece: "HF-07", lot: "SW-1"), by: Counter.officer, at: t(0)))
        XCTAssertNil(c.run(.applyToPurchase(application: "SQ-1", centimetres: 40_000, project: "海丰港区用海"), by: Counter.bidderA, at: t(0)))
        XCTAssertEqual(c.state.applications["SQ-1"]?.applicant, "haiyun")
        // Provincial transfer of RS-1: two officers; split as an inter-city sale, 30 % to the province.
        XCTAssertNil(c.run(.prepareTransfer(lot: "RS-1", consentRef: "汕府函〔2026〕9号", tradeRef: "粤调剂-1", totalFen: 900_000_000), by: Counter.officer, at: t(1)))
        XCTAssertEqual(c.run(.approveTransfer(lot: "RS-1"), by: Actor("off-chen", .approver), at: t(1)), "REG.SAME_OFFICER SW Art. 23")
        XCTAssertNil(c.run(.approveTransfer(lot: "RS-1"), by: Counter.approver, at: t(1)))
        XCTAssertEqual(c.state.lots["RS-1"]?.state, .transferredOut(tradeRef: "粤调剂-1"))
        XCTAssertEqual(c.state.splits["transfer RS-1"]?.first { $0.party == "province" }?.fen, 270_000_000)
        XCTAssertEqual(c.state.splits["transfer RS-1"]?.reduce(0) { $0 + $1.fen }, 900_000_000)
        // Sale of SW-1; the agreement deadline lapses once, the payment deadline once, then a sale completes.
        XCTAssertNil(c.run(.draftPlan(plan: "P-1", lots: ["SW-1"], reserveFenPerMetre: 25_000_000, validUntil: t(300)), by: Counter.officer, at: t(1)))
        XCTAssertNil(c.run(.approvePlan(plan: "P-1", decisionRef: "汕府函〔2026〕10号"), by: Counter.approver, at: t(1)))
        func sell(_ n: Int, from day: Int) throws -> IndicatorAuction {
            let a = "P-1#\(n)"
            XCTAssertNil(c.run(.openAuction(plan: "P-1", opens: t(day), closes: t(day + 2)), by: Counter.platform, at: t(day)))
            XCTAssertNil(c.run(Counter.commit(a, Counter.bidderA, 26_000_000, n), by: Counter.bidderA, at: t(day + 1)))
            XCTAssertNil(c.run(.revealBid(auction: a, fenPerMetre: 26_000_000, nonce: Counter.nonce(n)), by: Counter.bidderA, at: t(day + 2)))
            _ = c.run(.recordPostTradeCheck(auction: a, result: "-"), by: Counter.officer, at: t(day + 9))   // catches the clock up
            return try XCTUnwrap(c.state.auctions[a])
        }
        let first = try sell(1, from: 2)
        XCTAssertEqual(first.phase, .final)
        let agreementDue = try XCTUnwrap(first.agreementDue)
        XCTAssertEqual(c.run(.signAgreement(auction: "P-1#1", agreementRef: "协议"), by: Counter.approver, at: agreementDue), "REG.STATE_CONFLICT SW Art. 26", "at the deadline it has lapsed")
        XCTAssertEqual(c.state.auctions["P-1#1"]?.phase, .lapsed)
        XCTAssertEqual(c.state.lots["SW-1"]?.state, .planned(plan: "P-1"))
        let second = try sell(2, from: 60)
        XCTAssertNil(c.run(.signAgreement(auction: "P-1#2", agreementRef: "协议-2"), by: Counter.approver, at: second.agreementDue!.adding(milliseconds: -1)), "1 ms before the deadline")
        let paymentDue = try XCTUnwrap(c.state.auctions["P-1#2"]?.paymentDue)
        XCTAssertNil(c.run(.recordPayment(auction: "P-1#2", fen: 1_000, paymentRef: "付-1"), by: Counter.platform, at: paymentDue.adding(milliseconds: -1)))
        XCTAssertEqual(c.run(.recordPayment(auction: "P-1#2", fen: 1_000, paymentRef: "付-2"), by: Counter.platform, at: paymentDue), "REG.STATE_CONFLICT SW Art. 26")
        XCTAssertEqual(c.state.auctions["P-1#2"]?.phase, .defaulted)
        guard case let .paymentDefaulted(_, refund)? = c.log.entries.compactMap({ try? JSONDecoder().decode(IndicatorRecord.self, from: Data($0.payload)) }).last(where: { $0.type == "paymentDefaulted" })?.event else { return XCTFail() }
        XCTAssertEqual(refund, 1_000, "part payments recorded for refund")
        let third = try sell(3, from: 150)
        XCTAssertNil(c.run(.signAgreement(auction: "P-1#3", agreementRef: "协议-3"), by: Counter.approver, at: third.agreementDue!.adding(milliseconds: -1)))
        XCTAssertEqual(c.run(.allocate(auction: "P-1#3", piece: "HF-07", project: "海丰港区用海", centimetres: 10_000), by: Counter.officer, at: t(200)), "REG.STATE_CONFLICT SW Art. 10", "not settled")
        XCTAssertNil(c.run(.recordPayment(auction: "P-1#3", fen: third.totalFen!, paymentRef: "付-3"), by: Counter.platform, at: t(200)))
        // Allocation: compensate before occupying — to the buyer's recorded occupation, within what was settled.
        XCTAssertEqual(c.run(.allocate(auction: "P-1#3", piece: "HF-07", project: "别的项目", centimetres: 10_000), by: Counter.officer, at: t(201)), "REG.REFERENCE_MISSING SW Art. 10")
        XCTAssertEqual(c.run(.allocate(auction: "P-1#3", piece: "HF-07", project: "海丰港区用海", centimetres: 50_001), by: Counter.officer, at: t(201)), "REG.QUANTITY_INVALID SW Art. 10")
        XCTAssertNil(c.run(.allocate(auction: "P-1#3", piece: "HF-07", project: "海丰港区用海", centimetres: 30_000), by: Counter.officer, at: t(201)))
        XCTAssertEqual(c.run(.allocate(auction: "P-1#3", piece: "HF-07", project: "海丰港区用海", centimetres: 20_001), by: Counter.officer, at: t(201)), "REG.QUANTITY_INVALID SW Art. 10")
        // I15: Σ allocated ≤ Σ settled ≤ Σ library.
        let settled = c.state.auctions.values.filter { $0.phase == .settled }.reduce(Int64(0)) { $0 + (c.state.plans[$1.plan]?.centimetres ?? 0) }
        let allocated = c.state.auctions.values.reduce(Int64(0)) { $0 + $1.allocatedCm }
        XCTAssertTrue(allocated <= settled && settled <= c.state.lots.values.reduce(0) { $0 + $1.centimetres }, "\(allocated) ≤ \(settled)")
        XCTAssertNil(c.run(.recordPostTradeCheck(auction: "P-1#3", result: "核查：岸线稳定"), by: Counter.officer, at: t(400)))
        XCTAssertEqual(c.state.pieces["HF-07"]?.checks, ["P-1#3: 核查：岸线稳定"])
        XCTAssertEqual(try c.log.replay(ShanweiIndicators.self), c.state)
    }

    /// 10 000 random commands from every role, legal and illegal: after each, supply is conserved
    /// (every approved centimetre is in exactly one lot, in exactly one state), payments never
    /// exceed the winning total, and every split sums to its total exactly; at the end the log
    /// replays to the registry.
    func testInvariantsUnderRandomCommands() throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["ECOCREDIT_SEED"].flatMap { UInt64($0) } ?? 20261206)
        print("IndicatorRegistryTests.testInvariantsUnderRandomCommands: seed \(seed) (ECOCREDIT_SEED=\(seed) repeats it)")
        var source = RandomIndicatorCommands(seed: seed)
        var c = Counter.hurried
        var approved: Int64 = 0, applied = 0, refused: [String: Int] = [:]
        let steps = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil ? 10_000 : 1_000
        for step in 0..<steps {
            let (command, actor, now) = source.next(c.state)
            let before = c.state
            if let r = c.run(command, by: actor, at: now) { refused["\(String(describing: command).prefix(12)) \(r)", default: 0] += 1 } else { applied += 1 }
            approved += c.state.lots.values.reduce(0) { $0 + $1.centimetres } - before.lots.values.reduce(0) { $0 + $1.centimetres }
            XCTAssertEqual(c.state.lots.count >= before.lots.count, true, "lots never disappear (step \(step))")
            XCTAssertEqual(Supply.lots(c.state).reduce(0) { $0 + $1.centimetres }, c.state.lots.values.reduce(0) { $0 + $1.centimetres }, "step \(step)")
            for a in c.state.auctions.values {
                if let total = a.totalFen { XCTAssertLessThanOrEqual(a.paidFen, total, "step \(step)") }
                if let parts = c.state.splits[a.id] { XCTAssertEqual(parts.reduce(0) { $0 + $1.fen }, a.totalFen, "step \(step): split of \(a.id)") }
            }
            let settledCm = c.state.auctions.values.filter { $0.phase == .settled }.reduce(Int64(0)) { $0 + (c.state.plans[$1.plan]?.centimetres ?? 0) }
            XCTAssertLessThanOrEqual(c.state.auctions.values.reduce(Int64(0)) { $0 + $1.allocatedCm }, settledCm, "I15 at step \(step)")
            XCTAssertLessThanOrEqual(settledCm, c.state.lots.values.reduce(0) { $0 + $1.centimetres }, "I15 at step \(step)")
            for p in c.state.pieces.values { XCTAssertLessThanOrEqual(p.occupiedCm, p.centimetres, "step \(step)") }
            for (key, parts) in c.state.splits where key.hasPrefix("transfer ") { XCTAssertGreaterThan(parts.reduce(0) { $0 + $1.fen }, 0) }
            for p in c.state.plans.values where p.decisionRef != nil && !p.withdrawn {
                // A plan's lots share one state at a time: no lot in two sales.
                XCTAssertLessThanOrEqual(Set(p.lots.compactMap { c.state.lots[$0].map { LotRow.stateText($0.state) } }).count, 1, "step \(step): \(p.id)")
            }
        }
        XCTAssertEqual(approved, c.state.lots.values.reduce(0) { $0 + $1.centimetres })
        XCTAssertGreaterThan(applied, steps / 10)
        let types = Set(c.log.entries.map(\.type))
        if steps == 10_000 {
            XCTAssertEqual(types, ["lotPrepared", "lotApproved", "lotRevoked", "planDrafted", "planApproved", "planWithdrawn", "auctionOpened", "bidCommitted",
                                   "bidRevealed", "auctionEvaluated", "objectionFiled", "objectionDecided", "publicityEnded", "agreementSigned", "planExpired",
                                   "paymentRecorded", "revenueSplitRecorded", "pieceSurveyed", "occupationRecorded", "restorationRecorded",
                                   "postTradeCheckRecorded", "purchaseApplied", "allocationRecorded", "transferPrepared", "transferApproved",
                                   "agreementDeadlinePassed", "paymentDefaulted"], "every kind of event happens")
        }
        XCTAssertEqual(try c.log.replay(ShanweiIndicators.self), c.state)
        print("phases \(Dictionary(grouping: c.state.auctions.values, by: \.phase.rawValue).mapValues(\.count)); bids \(c.state.auctions.values.map { "\($0.bids.count)/\($0.bids.filter { $0.revealed != nil }.count)" }.prefix(30))")
        print("applied \(applied) of \(steps); \(c.state.splits.count) auctions settled; refused \(refused.sorted { $0.value > $1.value }.prefix(12))")
    }
}

/// A seeded stream of Shanwei commands from every role, mostly well-formed, some not.
struct RandomIndicatorCommands {
    var rng: SeededGenerator
    var now = Instant.china(CivilDate("2025-03-01")!, 9)
    var sealed: [String: (Int64, String)] = [:]
    var step = 0
    let bidders = [Counter.bidderA, Counter.bidderB, Counter.bidderC]
    let actors: [Actor]
    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        actors = bidders + [Counter.officer, Counter.approver, Actor("chk-xu", .approver), Actor("off-he", .officer), Counter.platform]
    }
    mutating func pick<T>(_ a: [T]) -> T { a[Int(rng.uniform(0, Double(a.count)))] }

    mutating func next(_ s: IndicatorRegistry) -> (IndicatorCommand, Actor, Instant) {
        defer { step += 1 }
        now = now.adding(milliseconds: Int64(rng.uniform(0, 0.1 * 86_400_000)))
        let pending = s.pendingLots.keys.sorted()
        let lot = !pending.isEmpty && rng.uniform(0, 1) < 0.4 ? pick(pending) : pick(s.lots.keys.sorted() + pending + ["SW-\(Int(rng.uniform(0, 60)))"])
        let live = s.auctions.values.filter { ![.failed, .annulled, .settled].contains($0.phase) }.map(\.id).sorted()
        let available = s.lots.values.filter { $0.state == .available }.map(\.id).sorted()
        let planStages: [[String]] = [
            s.plans.values.filter { $0.decisionRef == nil && !$0.withdrawn }.map(\.id).sorted(),
            s.plans.values.filter { p in p.decisionRef != nil && !p.withdrawn && p.lots.allSatisfy { s.lots[$0]?.state == .planned(plan: p.id) } }.map(\.id).sorted(),
        ].filter { !$0.isEmpty }
        let plan = rng.uniform(0, 1) < 0.3 ? "P-\(step)"
            : !planStages.isEmpty && rng.uniform(0, 1) < 0.85 ? pick(pick(planStages)) : pick(s.plans.keys.sorted() + ["P-\(Int(rng.uniform(0, 30)))"])
        // An auction at some stage, each stage as likely as the others: bidding, revealing,
        // publicity, agreement, payment, allocation — so every stage's commands meet auctions.
        let stages: [[String]] = [
            live.filter { let a = s.auctions[$0]!; return a.phase == .open && now < a.closes },
            live.filter { let a = s.auctions[$0]!; return a.phase == .open && now >= a.closes },
            live.filter { [.awarded, .underReview].contains(s.auctions[$0]!.phase) },
            live.filter { s.auctions[$0]!.phase == .final },
            live.filter { s.auctions[$0]!.phase == .contracted },
            s.auctions.keys.filter { s.auctions[$0]!.phase == .settled }.sorted(),
        ].filter { !$0.isEmpty }
        let auction = !stages.isEmpty && rng.uniform(0, 1) < 0.85 ? pick(pick(stages)) : pick(s.auctions.keys.sorted() + ["P-1#1"])
        let bidder = pick(bidders)
        let a = s.auctions[auction]
        let price = Int64(rng.uniform(19_000_000, 52_000_000))
        let nonce = (0..<32).map { _ in String(format: "%02x", Int(rng.uniform(0, 256))) }.joined()
        var revealer = bidder
        if let a, now >= a.closes, !a.bids.isEmpty { revealer = Actor(pick(a.bids).bidder, .holder) }
        if let a, !a.bids.contains(where: { $0.bidder == bidder.id }) { sealed[auction + "/" + bidder.id] = (price, nonce) }
        let kept = sealed[auction + "/" + revealer.id] ?? (price, nonce)
        let chosen = Array(available.shuffledPrefix(Int(rng.uniform(1, 3)), &rng))
        let districts = ["城区", "陆丰市", "海丰县", "红海湾经济开发区"]
        let piece = rng.uniform(0, 1) < 0.2 ? "HF-\(step)" : pick(s.pieces.keys.sorted() + ["HF-0"])
        let whole = rng.uniform(0, 1) < 0.5
        var due: Int64 = 1
        if let a, let total = a.totalFen { due = max(1, whole ? total - a.paidFen : (total - a.paidFen) / 2) }
        let commands: [(IndicatorCommand, [Role])] = [
            (.prepareLot(lot: rng.uniform(0, 1) < 0.6 ? "SW-\(step)" : lot, source: Counter.source(Int64(rng.uniform(1, 200_000)), issuable: rng.uniform(0, 1) < 0.9),
                         funding: Funding(socialShare: pick(["0", "1", "0.6", "0.333333333", "0.5"]), district: pick(districts))), [.officer]),
            (.approveLot(lot: lot), [.approver]),
            (.revokeLot(lot: lot, reason: "撤销-\(step)"), [.approver]),
            (.draftPlan(plan: plan, lots: chosen.isEmpty ? [lot] : chosen, reserveFenPerMetre: Int64(rng.uniform(19_500_000, 50_500_000)),
                        validUntil: now.adding(milliseconds: Int64(rng.uniform(5, 40) * 86_400_000))), [.officer]),
            (.approvePlan(plan: plan, decisionRef: "决定-\(step)"), [.approver]),
            (.withdrawPlan(plan: plan), [.officer]),
            (.openAuction(plan: plan, opens: now, closes: now.adding(milliseconds: Int64(rng.uniform(1, 4) * 86_400_000))), [.platform]),
            (.commitBid(auction: auction, commitment: SealedBid.commitment(auction: auction, bidder: bidder.id, fenPerUnit: price, nonce: nonce)!), [.holder]),
            (.revealBid(auction: auction, fenPerMetre: kept.0, nonce: kept.1), [.holder]),
            (.revealBid(auction: auction, fenPerMetre: kept.0, nonce: kept.1), [.holder]),
            (.revealBid(auction: auction, fenPerMetre: kept.0, nonce: kept.1), [.holder]),
            (.revealBid(auction: auction, fenPerMetre: kept.0, nonce: kept.1), [.holder]),
            rng.uniform(0, 1) < 0.25 ? (.fileObjection(auction: auction, reason: "异议-\(step)"), [.holder])
                                      : (.signAgreement(auction: auction, agreementRef: "协议-\(step)"), [.approver]),
            (.decideObjection(auction: auction, upheld: rng.uniform(0, 1) < 0.3, reason: "复核-\(step)"), [.approver]),
            (.recordPayment(auction: auction, fen: due, paymentRef: "付-\(step)"), [.platform]),
            (.recordPayment(auction: auction, fen: due, paymentRef: "付-\(step)"), [.platform]),
            (.commitBid(auction: auction, commitment: SealedBid.commitment(auction: auction, bidder: bidder.id, fenPerUnit: price, nonce: nonce)!), [.holder]),
            (.prepareResurveyLot(lot: "RS-\(step)", surveyRef: "修测-\(step)", centimetres: Int64(rng.uniform(1, 100_000)), funding: Funding(socialShare: "0", district: pick(districts))), [.officer]),
            (.recordPiece(piece: piece, kind: pick(LedgerPiece.Kind.allCases), district: pick(districts), surveyRef: "修测", centimetres: Int64(rng.uniform(1_000, 300_000))), [.officer]),
            (.recordOccupation(piece: piece, project: "用海-\(Int(rng.uniform(0, 5)))", occupier: bidder.id, centimetres: Int64(rng.uniform(1, 150_000))), [.officer]),
            (.recordRestoration(piece: piece, lot: lot), [.officer]),
            (.recordPostTradeCheck(auction: auction, result: "核查-\(step)"), [.officer]),
            (.applyToPurchase(application: "SQ-\(step)", centimetres: Int64(rng.uniform(1, 100_000)), project: "用海-\(Int(rng.uniform(0, 5)))"), [.holder]),
            (.allocate(auction: auction, piece: piece, project: "用海-\(Int(rng.uniform(0, 5)))", centimetres: Int64(rng.uniform(1, 100_000))), [.officer]),
            (.allocate(auction: auction, piece: piece, project: "用海-\(Int(rng.uniform(0, 5)))", centimetres: Int64(rng.uniform(1, 100_000))), [.officer]),
            rng.uniform(0, 1) < 0.3 ? (.prepareTransfer(lot: lot, consentRef: "同意-\(step)", tradeRef: "调剂-\(step)", totalFen: Int64(rng.uniform(1, 1e10))), [.officer])
                                    : (.recordPostTradeCheck(auction: auction, result: "核查-\(step)"), [.officer]),
            (.approveTransfer(lot: lot), [.approver]),
            (.commitBid(auction: auction, commitment: SealedBid.commitment(auction: auction, bidder: bidder.id, fenPerUnit: price, nonce: nonce)!), [.holder]),
        ]
        let (command, roles) = pick(commands)
        let fitting: [Actor]
        if case .revealBid = command { fitting = [revealer] }
        else if roles == [.holder] { fitting = [bidder] }
        else { fitting = actors.filter { roles.contains($0.role) } }
        let actor = rng.uniform(0, 1) < 0.9 ? pick(fitting) : pick(actors)
        return (command, actor, now)
    }
}

extension Array {
    /// The first `k` elements of a seeded shuffle.
    func shuffledPrefix(_ k: Int, _ rng: inout SeededGenerator) -> ArraySlice<Element> {
        var a = self
        for i in a.indices.reversed() where i > 0 { a.swapAt(i, Int(rng.uniform(0, Double(i + 1)))) }
        return a.prefix(k)
    }
}
