import Plumbing

/// What an actor asks of the Shanwei indicator registry (SW 19–28).
public enum IndicatorCommand: Sendable, Equatable, Codable {
    case prepareLot(lot: String, source: IssueSource, funding: Funding)
    case approveLot(lot: String)
    case revokeLot(lot: String, reason: String)
    case draftPlan(plan: String, lots: [String], reserveFenPerMetre: Int64, validUntil: Instant)
    case approvePlan(plan: String, decisionRef: String)
    case withdrawPlan(plan: String)
    case openAuction(plan: String, opens: Instant, closes: Instant)
    case commitBid(auction: String, commitment: String)
    case revealBid(auction: String, fenPerMetre: Int64, nonce: String)
    case fileObjection(auction: String, reason: String)
    case decideObjection(auction: String, upheld: Bool, reason: String)
    case signAgreement(auction: String, agreementRef: String)
    case recordPayment(auction: String, fen: Int64, paymentRef: String)
    /// SW 22 ¶2: shoreline recognised in the 2022 provincial re-survey enters without acceptance.
    case prepareResurveyLot(lot: String, surveyRef: String, centimetres: Int64, funding: Funding)
    /// The coastline ledger (SW 5–7).
    case recordPiece(piece: String, kind: LedgerPiece.Kind, district: String, surveyRef: String, centimetres: Int64)
    case recordOccupation(piece: String, project: String, occupier: String, centimetres: Int64)
    case recordRestoration(piece: String, lot: String)
    case recordPostTradeCheck(auction: String, result: String)
    /// A sea-use unit applies to buy (SW 24).
    case applyToPurchase(application: String, centimetres: Int64, project: String)
    /// Allocation to the buyer's sea-use project, compensate before occupying (SW 10).
    case allocate(auction: String, piece: String, project: String, centimetres: Int64)
    /// A transfer to another city through the province (SW 23), prepared and approved by two officers.
    case prepareTransfer(lot: String, consentRef: String, tradeRef: String, totalFen: Int64)
    case approveTransfer(lot: String)
}

/// What happened in the Shanwei registry: strings and integers only (canonical bytes).
public enum IndicatorEvent: Sendable, Equatable, Codable {
    case lotPrepared(lot: String, source: IssueSource, funding: Funding, districtType: String)
    case lotApproved(lot: String, centimetres: Int64)
    case lotRevoked(lot: String, reason: String)
    case planDrafted(plan: String, lots: [String], reserveFenPerMetre: Int64, validUntil: Instant)
    case planApproved(plan: String, decisionRef: String)
    case planWithdrawn(plan: String)
    /// The plan's validity ended with its lots unsold (SW 25; the rule clock): they are available again.
    case planExpired(plan: String)
    case auctionOpened(auction: String, plan: String, reserveFenPerMetre: Int64, opens: Instant, closes: Instant, revealEnds: Instant)
    case bidCommitted(auction: String, bidder: String, commitment: String)
    case bidRevealed(auction: String, bidder: String, fenPerMetre: Int64, nonce: String)
    /// At the reveal end: the winner, price and total, or none; bids unrevealed and bids outside
    /// the reserve or the SW 27 bounds are void and listed.
    case auctionEvaluated(auction: String, winner: String?, fenPerMetre: Int64?, totalFen: Int64?, publicityEnds: Instant?,
                          unrevealed: [String], invalid: [String])
    case objectionFiled(auction: String, by: String, reason: String)
    case objectionDecided(auction: String, upheld: Bool, reason: String)
    /// Publicity over with no objection pending; the agreement is due by `agreementDue`.
    case publicityEnded(auction: String, agreementDue: Instant? = nil)
    /// Signed; the price is due in full by `paymentDue`.
    case agreementSigned(auction: String, agreementRef: String, paymentDue: Instant? = nil)
    case paymentRecorded(auction: String, fen: Int64, paymentRef: String)
    /// The proceeds shared between the lots by centimetres, then each lot's by SW 28.
    case revenueSplitRecorded(auction: String, parts: [SplitPart])
    case pieceSurveyed(piece: String, kind: LedgerPiece.Kind, district: String, surveyRef: String, centimetres: Int64)
    case occupationRecorded(piece: String, project: String, occupier: String, centimetres: Int64)
    case restorationRecorded(piece: String, lot: String)
    case postTradeCheckRecorded(auction: String, result: String)
    case purchaseApplied(application: String, applicant: String, centimetres: Int64, project: String)
    case allocationRecorded(auction: String, piece: String, project: String, centimetres: Int64)
    case transferPrepared(lot: String, consentRef: String, tradeRef: String, totalFen: Int64)
    /// The lot leaves the library; the proceeds split as an inter-city sale (30 % to the province).
    case transferApproved(lot: String, parts: [SplitPart])
    /// The rule clock: the agreement was not signed by its deadline; the lots return to the plan.
    case agreementDeadlinePassed(auction: String)
    /// The rule clock: not paid in full by the deadline; the lots return to the plan, part payments to be refunded.
    case paymentDefaulted(auction: String, refundFen: Int64)

    public var type: String {
        switch self {
        case .lotPrepared: return "lotPrepared"
        case .lotApproved: return "lotApproved"
        case .lotRevoked: return "lotRevoked"
        case .planDrafted: return "planDrafted"
        case .planApproved: return "planApproved"
        case .planWithdrawn: return "planWithdrawn"
        case .planExpired: return "planExpired"
        case .auctionOpened: return "auctionOpened"
        case .bidCommitted: return "bidCommitted"
        case .bidRevealed: return "bidRevealed"
        case .auctionEvaluated: return "auctionEvaluated"
        case .objectionFiled: return "objectionFiled"
        case .objectionDecided: return "objectionDecided"
        case .publicityEnded: return "publicityEnded"
        case .agreementSigned: return "agreementSigned"
        case .paymentRecorded: return "paymentRecorded"
        case .revenueSplitRecorded: return "revenueSplitRecorded"
        case .pieceSurveyed: return "pieceSurveyed"
        case .occupationRecorded: return "occupationRecorded"
        case .restorationRecorded: return "restorationRecorded"
        case .postTradeCheckRecorded: return "postTradeCheckRecorded"
        case .purchaseApplied: return "purchaseApplied"
        case .allocationRecorded: return "allocationRecorded"
        case .transferPrepared: return "transferPrepared"
        case .transferApproved: return "transferApproved"
        case .agreementDeadlinePassed: return "agreementDeadlinePassed"
        case .paymentDefaulted: return "paymentDefaulted"
        }
    }
}

/// An event with who caused it, under which article and rulebook, and when (see `VoucherRecord`).
public struct IndicatorRecord: LedgerRecord {
    public var event: IndicatorEvent
    public var actor: Actor
    public var article: String
    public var rulebook: String
    public var at: Instant
    public var effectiveAt: Instant
    public var type: String { event.type }
    enum CodingKeys: String, CodingKey { case event, actor, article, rulebook, at, effectiveAt }
}
