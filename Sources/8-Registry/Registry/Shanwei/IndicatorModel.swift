import Plumbing

/// How a restoration project was funded (SW 11, 13) and where it lies: what SW 28 splits by.
public struct Funding: Sendable, Equatable, Codable {
    /// The social-capital share of the funding as decimal text ("0", "1", "0.6").
    public var socialShare: String
    /// The district, as the rulebook's revenue table names it ("陆丰市", "城区").
    public var district: String
    public init(socialShare: String, district: String) { self.socialShare = socialShare; self.district = district }
}

/// An indicator lot in the municipal indicator library (SW 19–22): accepted restored shoreline,
/// a whole number of centimetres, from a stored check. Lots are sold whole (a plan takes whole
/// lots: EcoCredit's choice until a bureau asks for partial sales).
public struct IndicatorLot: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case available
        /// In an approved sale plan (SW 24–25).
        case planned(plan: String)
        case inAuction(auction: String)
        /// Won in `auction`: publicity, objections, agreement (SW 26).
        case awarded(auction: String)
        case contracted(auction: String)
        /// Paid in full and the proceeds split (SW 28): terminal.
        case settled(auction: String)
        /// Acceptance withdrawn before any sale: terminal.
        case revoked(reason: String)
        /// Sold to another city through the province (SW 23): terminal.
        case transferredOut(tradeRef: String)
    }
    public var id: String
    public var centimetres: Int64
    public var source: IssueSource
    public var funding: Funding
    /// "county" or "district" (the rulebook's district table).
    public var districtType: String
    public var state: State
}

/// A lot prepared by one officer, waiting for another's approval.
public struct PendingLot: Sendable, Equatable {
    public var id: String, source: IssueSource, funding: Funding, districtType: String, preparedBy: String
}

/// A sale plan (SW 24–25): lots, the reserve price per metre within the SW 27 bounds, and the
/// date until which auctions may be opened under it.
public struct SalePlan: Sendable, Equatable {
    public var id: String
    public var lots: [String]
    public var reserveFenPerMetre: Int64
    public var validUntil: Instant
    public var draftedBy: String
    /// The city's decision approving it (SW 25 审定), once approved.
    public var decisionRef: String?
    public var withdrawn = false
    /// Auctions opened so far (numbers them: "P-1#2").
    public var auctions = 0
    public var centimetres: Int64
}

/// A single-round sealed-bid auction of a plan's lots (SW 24–26), bids in fen per metre.
public struct IndicatorAuction: Sendable, Equatable {
    public enum Phase: String, Sendable, Equatable, Codable {
        case open, failed, awarded, underReview, annulled, final, contracted, settled
        /// The agreement was not signed in time, or the price not paid in time: the lots went back to the plan.
        case lapsed, defaulted
    }
    public var id: String, plan: String
    public var reserveFenPerMetre: Int64
    public var opens: Instant, closes: Instant, revealEnds: Instant
    public var bids: [Auction.Bid] = []
    public var phase: Phase = .open
    public var winner: String? = nil
    public var fenPerMetre: Int64? = nil
    public var totalFen: Int64? = nil
    public var publicityEnds: Instant? = nil
    public var objections: [String] = []
    public var agreementRef: String? = nil
    public var paidFen: Int64 = 0
    /// When the agreement must be signed by (publicity end + agreement days), and the price paid by.
    public var agreementDue: Instant? = nil
    public var paymentDue: Instant? = nil
    /// Centimetres allocated to the buyer's sea-use projects so far (SW 10), of the plan's.
    public var allocatedCm: Int64 = 0
}

/// A piece of shoreline in the municipal coastline ledger (台账, SW 5–7): what it is, how long,
/// what occupies it and what restored it.
public struct LedgerPiece: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Codable, CaseIterable { case natural, artificial, restored }
    public struct Occupation: Sendable, Equatable, Codable {
        public var project: String, occupier: String, centimetres: Int64
    }
    public var id: String, kind: Kind, district: String, surveyRef: String, centimetres: Int64
    public var occupations: [Occupation] = []
    /// Lots whose restoration this piece records.
    public var restoredBy: [String] = []
    /// Post-trade checks (SW 7), in order.
    public var checks: [String] = []
    public var occupiedCm: Int64 { occupations.reduce(0) { $0 + $1.centimetres } }
}

/// A sea-use unit's application to buy indicator metres (SW 24).
public struct PurchaseApplication: Sendable, Equatable {
    public var id: String, applicant: String, centimetres: Int64, project: String
}

/// A transfer of a lot to another city through the province, prepared by one officer (SW 23).
public struct PendingTransfer: Sendable, Equatable {
    public var lot: String, consentRef: String, tradeRef: String, totalFen: Int64, preparedBy: String
}

/// The Shanwei indicator library and its sales: what replaying the log gives.
public struct IndicatorRegistry: Sendable, Equatable {
    public var lots: [String: IndicatorLot] = [:]
    public var pendingLots: [String: PendingLot] = [:]
    public var plans: [String: SalePlan] = [:]
    public var auctions: [String: IndicatorAuction] = [:]
    /// Proceeds split so far (SW 28): auction (or "transfer LOT") → parts.
    public var splits: [String: [SplitPart]] = [:]
    public var pieces: [String: LedgerPiece] = [:]
    public var applications: [String: PurchaseApplication] = [:]
    public var pendingTransfers: [String: PendingTransfer] = [:]
    /// Allocations to sea-use projects (SW 10): auction → (project, centimetres), in order.
    public var allocations: [String: [Allocation]] = [:]
    public init() {}
}

/// One party's share of one lot's proceeds (SW 28), fen.
public struct SplitPart: Sendable, Equatable, Codable {
    public var lot: String, party: String, fen: Int64
    public init(lot: String, party: String, fen: Int64) { self.lot = lot; self.party = party; self.fen = fen }
}

/// Indicator centimetres allocated from a settled purchase to the buyer's sea-use project (SW 10).
public struct Allocation: Sendable, Equatable, Codable {
    public var project: String, centimetres: Int64
}
