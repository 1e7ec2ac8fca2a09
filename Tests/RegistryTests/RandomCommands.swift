import Foundation
import Plumbing
import SampleData
@testable import Registry

/// The seeded stream of random voucher commands (every role, legal and illegal, bids with the
/// prices and nonces their bidders keep) that the model test and the back ends' conformance test
/// both run: the same seed gives the same commands against the same registry.
struct RandomCommands {
    var rng: SeededGenerator
    let holders = [Desk.alice, Desk.bob, Actor("carol", .holder)]
    let actors: [Actor]
    var now = Instant.china(CivilDate("2024-01-02")!, 9)
    var sealed: [String: (Int64, String)] = [:]   // auction/bidder → the price and nonce committed to
    var step = 0

    init(seed: UInt64) {
        rng = SeededGenerator(seed: seed)
        actors = holders + [Desk.officer, Desk.approver, Actor("chk-zhao", .approver), Actor("off-chen", .officer), Desk.platform,
                            Actor("bank-icbc", .pledgee), Actor("bank-boc", .pledgee)]
    }

    /// The next command, who sends it and when, chosen from the registry as it stands.
    mutating func next(_ state: VoucherRegistry) -> (VoucherCommand, Actor, Instant) {
        defer { step += 1 }
        now = now.adding(milliseconds: Int64(rng.uniform(0, 0.6 * 86_400_000)))
        let numbers = state.vouchers.keys.sorted() + state.pendingIssues.keys.sorted() + ["JY-\(Int(rng.uniform(0, 40)))"]   // sorted: dictionaries iterate in a per-process order
        let listed = state.vouchers.filter { if case .listed = $0.value.state { return true }; return false }.keys.sorted()
        let n = !listed.isEmpty && rng.uniform(0, 1) < 0.3 ? listed[Int(rng.uniform(0, Double(listed.count)))]
            : numbers[Int(rng.uniform(0, Double(numbers.count)))]
        let holder = holders[Int(rng.uniform(0, Double(holders.count)))].id
        let q = state.vouchers[n]?.quantity ?? 1
        let commands: [VoucherCommand] = [
            .prepareIssue(number: n, holder: holder, landRightsHolder: "v", source: Desk.source(Int64(rng.uniform(1, 50_000)), issuable: rng.uniform(0, 1) < 0.9)),
            .approveIssue(number: n),
            .recordDirectSale(number: n, buyer: holder, fenPerUnit: Int64(rng.uniform(150_000, 400_000))),
            .registerHolderChange(number: n),
            .surrender(number: n, quantity: Int64(rng.uniform(0, Double(q) * 1.2)), landRef: "GY-\(step)"),
            .cancel(number: n, certificateRef: "cert-\(step)"),
            .returnSurrendered(number: n),
            .publishLossNotice(number: n, noticeDate: now.chinaDate.adding(days: -Int(rng.uniform(0, 3))), media: "江阴日报"),
            .withdrawLossNotice(number: n),
            .prepareReissue(number: n),
            .approveReissue(number: n),
            .list(number: n, askingFenPerUnit: Int64(rng.uniform(240_000, 300_000)), opens: now, closes: now.adding(milliseconds: Int64(rng.uniform(1, 3) * 86_400_000))),
            .pledge(number: n, pledgee: rng.uniform(0, 1) < 0.5 ? "bank-icbc" : "bank-boc"),
            .consentToDealing(number: n, operation: ["sell", "list", "surrender", "offer", "lend"][Int(rng.uniform(0, 5))]),
            .releasePledge(number: n),
            .publishPurchasePlan(plan: "PP-\(Int(rng.uniform(0, 12)))", quantity: Int64(rng.uniform(1, 80_000)), fenPerUnit: Int64(rng.uniform(240_000, 320_000)),
                                 closes: now.adding(milliseconds: Int64(rng.uniform(1, 30) * 86_400_000))),
            .offerToPlan(number: n, plan: "PP-\(Int(rng.uniform(0, 12)))"),
        ]
        // Bids: a bidder commits to a price it keeps (with its nonce) and reveals it later.
        var bidder = holders[Int(rng.uniform(0, Double(holders.count)))]
        if case .listed(let a)? = state.vouchers[n]?.state, now >= a.closes, !a.bids.isEmpty {   // after the close, those who bid reveal
            bidder = Actor(a.bids[Int(rng.uniform(0, Double(a.bids.count)))].bidder, .holder)
        }
        var bidCommands: [VoucherCommand] = []
        if case .listed(let a)? = state.vouchers[n]?.state {
            let price = Int64(rng.uniform(230_000, 330_000))
            let nonce = (0..<32).map { _ in String(format: "%02x", Int(rng.uniform(0, 256))) }.joined()
            if !a.bids.contains(where: { $0.bidder == bidder.id }) { sealed[a.id + "/" + bidder.id] = (price, nonce) }
            bidCommands.append(.commitBid(number: n, commitment: SealedBid.commitment(auction: a.id, bidder: bidder.id, fenPerUnit: price, nonce: nonce)!))
            if let (p, nn) = sealed[a.id + "/" + bidder.id], a.bids.contains(where: { $0.bidder == bidder.id }) {
                bidCommands.append(.revealBid(number: n, fenPerUnit: p, nonce: nn))
            }
        }
        let all = commands + bidCommands + bidCommands + bidCommands
        let c = all[Int(rng.uniform(0, Double(all.count)))]
        // Mostly someone whose role may ask for it (the holder of the voucher, when it has one); sometimes anyone.
        let fitting: [Actor]
        switch c {
        case .prepareIssue, .registerHolderChange, .cancel, .returnSurrendered, .prepareReissue: fitting = actors.filter { $0.role == .officer }
        case .approveIssue, .approveReissue: fitting = actors.filter { $0.role == .approver }
        case .recordDirectSale, .publishPurchasePlan: fitting = [Desk.platform]
        case .consentToDealing, .releasePledge:
            fitting = [state.vouchers[n]?.pledgee.map { Actor($0, .pledgee) } ?? Actor("bank-icbc", .pledgee)]
        case .pledge, .offerToPlan: fitting = [state.vouchers[n].map { Actor($0.holder, .holder) } ?? Desk.alice]
        case .surrender, .publishLossNotice, .withdrawLossNotice, .list: fitting = [state.vouchers[n].map { Actor($0.holder, .holder) } ?? Desk.alice]
        case .commitBid, .revealBid: fitting = [bidder]
        }
        let pool = rng.uniform(0, 1) < 0.85 ? fitting : actors
        let actor = pool[Int(rng.uniform(0, Double(pool.count)))]
        return (c, actor, now)
    }
}
