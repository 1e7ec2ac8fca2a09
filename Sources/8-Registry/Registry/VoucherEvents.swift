import Plumbing

/// What an actor asks of the voucher registry (JY 15–36).
public enum VoucherCommand: Sendable, Equatable, Codable {
    case prepareIssue(number: String, holder: String, landRightsHolder: String, source: IssueSource)
    case approveIssue(number: String)
    case recordDirectSale(number: String, buyer: String, fenPerUnit: Int64)
    case registerHolderChange(number: String)
    case surrender(number: String, quantity: Int64, landRef: String)
    case cancel(number: String, certificateRef: String)
    case returnSurrendered(number: String)
    case publishLossNotice(number: String, noticeDate: CivilDate, media: String)
    case withdrawLossNotice(number: String)
    case prepareReissue(number: String)
    case approveReissue(number: String)
    /// List for resale by one sealed bid each (the holder, JY 28).
    case list(number: String, askingFenPerUnit: Int64, opens: Instant, closes: Instant)
    /// A sealed bid: the commitment only (the price stays with the bidder until the close).
    case commitBid(number: String, commitment: String)
    case revealBid(number: String, fenPerUnit: Int64, nonce: String)
    /// The holder pledges the voucher's proceeds to a pledgee (JY 14).
    case pledge(number: String, pledgee: String)
    /// The pledgee consents to one operation on the pledged voucher ("sell", "list", "surrender", "offer").
    case consentToDealing(number: String, operation: String)
    /// The pledgee releases the pledge.
    case releasePledge(number: String)
    /// The platform publishes a purchase plan (JY 26): units to buy in base units, the price, the close.
    case publishPurchasePlan(plan: String, quantity: Int64, fenPerUnit: Int64, closes: Instant)
    /// The holder sells the whole voucher into a purchase plan (JY 26).
    case offerToPlan(number: String, plan: String)

    /// The voucher the command is about.
    public var number: String {
        switch self {
        case .prepareIssue(let n, _, _, _), .approveIssue(let n), .recordDirectSale(let n, _, _), .registerHolderChange(let n),
             .surrender(let n, _, _), .cancel(let n, _), .returnSurrendered(let n), .publishLossNotice(let n, _, _),
             .withdrawLossNotice(let n), .prepareReissue(let n), .approveReissue(let n), .list(let n, _, _, _), .commitBid(let n, _),
             .revealBid(let n, _, _), .pledge(let n, _), .consentToDealing(let n, _), .releasePledge(let n), .offerToPlan(let n, _):
            return n
        case .publishPurchasePlan(let plan, _, _, _):
            return "plan " + plan
        }
    }
}

/// What happened: the only way the registry changes. Fields are strings and integers only, so
/// that an event's canonical bytes (sorted keys) are the same on every machine and back end.
public enum VoucherEvent: Sendable, Equatable, Codable {
    case issuePrepared(number: String, holder: String, landRightsHolder: String, source: IssueSource)
    case issueApproved(number: String, firstSaleDeadline: Instant)
    case directSaleRecorded(number: String, buyer: String, fenPerUnit: Int64, totalFen: Int64)
    case boughtOutAtMinimumPrice(number: String, fenPerUnit: Int64, totalFen: Int64)
    case holderChangeRegistered(number: String, holder: String)
    /// `child` takes the top `quantity` serials of `parent` (registry-design §0.3).
    case split(parent: String, child: String, quantity: Int64)
    case surrendered(number: String, landRef: String)
    case useRecorded(number: String, child: String, quantity: Int64, landRef: String)
    case cancelled(number: String, certificateRef: String)
    case returned(number: String)
    case lossNoticePublished(number: String, noticeDate: String, media: String)
    case lossNoticeWithdrawn(number: String)
    case reissuePrepared(number: String)
    case reissued(number: String)
    case listed(number: String, auction: String, askingFenPerUnit: Int64, opens: Instant, closes: Instant, revealEnds: Instant)
    case bidCommitted(number: String, auction: String, bidder: String, commitment: String)
    case bidRevealed(number: String, auction: String, bidder: String, fenPerUnit: Int64, nonce: String)
    /// The auction decided at its reveal end: the winner and price, or none; unrevealed bidders are void.
    case auctionEvaluated(number: String, auction: String, winner: String?, fenPerUnit: Int64?, totalFen: Int64?, unrevealed: [String])
    case pledged(number: String, pledgee: String)
    case dealingConsented(number: String, pledgee: String, operation: String)
    case pledgeReleased(number: String, pledgee: String)
    case purchasePlanPublished(plan: String, quantity: Int64, fenPerUnit: Int64, closes: Instant)
    /// Sold into a purchase plan: to the platform's reserve at the plan's price, the holder change pending (JY 26, 29).
    case offeredToPlan(number: String, plan: String, fenPerUnit: Int64, totalFen: Int64)

    /// The event's name in the log ("issueApproved").
    public var type: String {
        switch self {
        case .issuePrepared: return "issuePrepared"
        case .issueApproved: return "issueApproved"
        case .directSaleRecorded: return "directSaleRecorded"
        case .boughtOutAtMinimumPrice: return "boughtOutAtMinimumPrice"
        case .holderChangeRegistered: return "holderChangeRegistered"
        case .split: return "split"
        case .surrendered: return "surrendered"
        case .useRecorded: return "useRecorded"
        case .cancelled: return "cancelled"
        case .returned: return "returned"
        case .lossNoticePublished: return "lossNoticePublished"
        case .lossNoticeWithdrawn: return "lossNoticeWithdrawn"
        case .reissuePrepared: return "reissuePrepared"
        case .reissued: return "reissued"
        case .listed: return "listed"
        case .bidCommitted: return "bidCommitted"
        case .bidRevealed: return "bidRevealed"
        case .auctionEvaluated: return "auctionEvaluated"
        case .pledged: return "pledged"
        case .dealingConsented: return "dealingConsented"
        case .pledgeReleased: return "pledgeReleased"
        case .purchasePlanPublished: return "purchasePlanPublished"
        case .offeredToPlan: return "offeredToPlan"
        }
    }
}

/// An event with who caused it, under which article and rulebook, and when: `at` is when the
/// command was decided (the server's clock), `effectiveAt` when it took effect (a timed
/// transition caught up later takes effect at its deadline).
public struct VoucherRecord: Sendable, Equatable, Codable {
    public var event: VoucherEvent
    public var actor: Actor
    public var article: String
    public var rulebook: String
    public var at: Instant
    public var effectiveAt: Instant
}
