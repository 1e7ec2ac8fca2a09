import Plumbing

/// Who acts, in what role (registry-design §0): the bureau officer who prepares, the second
/// officer who approves (never the preparer), a holder acting on its own vouchers, the trading
/// platform, and the rule clock for timed transitions.
public enum Role: String, Sendable, Codable, CaseIterable {
    case officer = "OFF", approver = "CHK", holder = "CON", platform = "OPS", system = "SYS"
    /// A pledgee (JY 14): consents to dealings with a voucher pledged to it, and releases the pledge.
    case pledgee = "BANK"
    /// An auditor and the public read; neither may change anything.
    case auditor = "AUD", `public` = "PUB"
}

public struct Actor: Sendable, Hashable, Codable {
    public var id: String
    public var role: Role
    public init(_ id: String, _ role: Role) { self.id = id; self.role = role }
    /// The rule clock.
    public static let clock = Actor("clock", .system)
}

/// Where a voucher quantity comes from: a stored check of a bundle (JY 15–18). The registry
/// knows nothing of geometry: only that the check was issuable and what it was computed from.
public struct IssueSource: Sendable, Equatable, Codable {
    /// The job (or check run) whose quantity is issued.
    public var job: String
    /// SHA-256 of the bundle's bytes, lower-case hexadecimal (the quantity is recomputable from them).
    public var bundleSHA256: String
    /// The rulebook the check used ("jiangyin-eco-voucher 2023.1").
    public var rulebook: String
    /// The quantity the check computed, base units (0.0001 voucher).
    public var quantity: Int64
    /// Whether the check's quantity is issuable (verified without error, every criterion passed,
    /// rulebook in force, no example coefficients, no what-if override), and its reasons' codes if not.
    public var issuable: Bool
    public var reasons: [String]
    /// SHA-256 of the rulebook file's bytes the check used, when the ledger stores it: with the
    /// bundle's bytes, what `ledger recompute` runs the pipeline on again (I10). Absent in
    /// records made without it (the canonical bytes omit it then).
    public var rulebookSHA256: String?
    public init(job: String, bundleSHA256: String, rulebook: String, quantity: Int64, issuable: Bool, reasons: [String], rulebookSHA256: String? = nil) {
        self.job = job; self.bundleSHA256 = bundleSHA256; self.rulebook = rulebook; self.quantity = quantity
        self.issuable = issuable; self.reasons = reasons; self.rulebookSHA256 = rulebookSHA256
    }
}

extension IssueSource {
    /// The guard both registries apply before anything is issued from a check (JY 15–19, SW 19–22):
    /// the check's quantity is issuable, it was computed under the rulebook the registry decides
    /// under, and it is positive. `articles`: (issuable, same rulebook, positive) as cited.
    func mustBeIssuable(under rulebook: String, articles: (String, String, String), noun: (zh: String, en: String)) throws {
        guard issuable else {
            throw Refusal(.notIssuable, article: articles.0, zh: "核查结果不可\(noun.zh)（\(reasons.joined(separator: "、"))）",
                          en: "the check's quantity is not issuable (\(reasons.joined(separator: ", ")))")
        }
        guard self.rulebook == rulebook else {
            throw Refusal(.notIssuable, article: articles.1, zh: "核查所用规则库“\(self.rulebook)”与\(noun.zh)规则库“\(rulebook)”不同",
                          en: "the check used \(self.rulebook), the registry decides under \(rulebook)")
        }
        guard quantity > 0 else {
            throw Refusal(.quantityInvalid, article: articles.2, zh: "\(noun.zh)数量必须大于 0", en: "the quantity to \(noun.en) must be positive")
        }
    }
}

/// One voucher (a number and its certificate) over a range of serials of its issuance. A split
/// makes a child voucher `{number}-{k}` over the top of the parent's range (registry-design §0.3).
public struct Voucher: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case held
        /// Sold (or bought out), waiting for the officer to register the new holder (JY 29–30).
        case pendingHolderChange(buyer: String, fenPerUnit: Int64, totalFen: Int64, buyout: Bool)
        /// Handed in for a land contract (JY 32), by `by`.
        case surrendered(landRef: String, by: String)
        /// Cancelled after the land certificate (JY 33): terminal.
        case cancelled(certificateRef: String)
        /// A loss notice published on `noticeDate` (JY 36): frozen.
        case lossNoticed(noticeDate: CivilDate)
        /// Listed for resale by one sealed bid each (JY 28).
        case listed(Auction)
    }
    /// A use written on the voucher (JY 35): what part went where.
    public struct Use: Sendable, Equatable {
        public var child: String, quantity: Int64, landRef: String, at: Instant
    }
    public var number: String
    /// The number of the voucher first issued (its serials are 1…q).
    public var issuance: String
    public var range: SerialRange
    public var holder: String
    public var landRightsHolder: String
    /// Certificate edition: 1 at issue, +1 at each holder change or reissue.
    public var edition: Int
    /// True once reissued after a loss: the certificate is marked 补发 (JY 36).
    public var reissued: Bool
    public var splitCount: Int
    /// The first sale must be done before this instant (JY 22, 27), else the platform buys at the minimum price.
    public var firstSaleDeadline: Instant
    public var firstSaleDone: Bool
    public var uses: [Use]
    /// Listings so far (numbers the auctions: "JY-1#2"), and when the last one's reveal window ended.
    public var listings: Int = 0
    public var lastListingEnd: Instant? = nil
    /// The pledgee, while the voucher's proceeds are pledged (JY 14): the voucher is sold, listed
    /// or surrendered only with its consent to that operation, and the proceeds are its.
    public var pledgee: String? = nil
    /// The one operation the pledgee has consented to ("sell", "list", "surrender", "offer"), used up by it.
    public var pledgeConsent: String? = nil
    public var state: State
    public var quantity: Int64 { range.count }
}

/// A listing sold by one sealed bid per bidder (JY 28): bids are commitments
/// `SHA-256("ecocredit/bid/v1" ‖ lp(auction) ‖ lp(bidder) ‖ u64be(fen per unit) ‖ nonce)` made in
/// `[opens, closes)`, revealed in `[closes, revealEnds)`; at `revealEnds` the highest revealed
/// price at or above the asking price wins, a tie going to the earliest commitment; unrevealed bids
/// are void and published as such.
public struct Auction: Sendable, Equatable {
    public struct Bid: Sendable, Equatable {
        public var bidder: String
        /// The commitment, lower-case hexadecimal.
        public var commitment: String
        /// The price once revealed, fen per unit.
        public var revealed: Int64?
    }
    public var id: String
    public var seller: String
    public var askingFenPerUnit: Int64
    public var opens: Instant, closes: Instant, revealEnds: Instant
    /// In the order committed (the tie-break).
    public var bids: [Bid]
}

/// An issue prepared by one officer, waiting for another's approval.
public struct PendingIssue: Sendable, Equatable {
    public var number: String, holder: String, landRightsHolder: String
    public var source: IssueSource
    public var preparedBy: String
}

/// A purchase plan the platform publishes (JY 26): how many units it buys, at what price, until when.
public struct PurchasePlan: Sendable, Equatable {
    public var id: String
    /// Units still to buy, base units.
    public var remaining: Int64
    public var fenPerUnit: Int64
    public var closes: Instant
}

/// The registry of Jiangyin vouchers: what replaying the event log gives (the projection).
public struct VoucherRegistry: Sendable, Equatable {
    public var purchasePlans: [String: PurchasePlan] = [:]
    public var vouchers: [String: Voucher] = [:]
    public var pendingIssues: [String: PendingIssue] = [:]
    /// Reissues prepared (voucher number → preparing officer).
    public var pendingReissues: [String: String] = [:]
    /// Issued supply per issuance, base units.
    public var issued: [String: Int64] = [:]
    public init() {}
}

extension IssueSource {
    /// Why a checked quantity cannot be issued: the codes of the check's reasons; else, when its
    /// status is not `issuable`, `CHECK.<STATUS>`; `CHECK.NO_QUANTITY <id>` when the check has no
    /// such quantity; empty when it can be issued. One rule for the CLI and the service.
    public static func blockers(quantity id: String, status: String?, reasonCodes: [String]) -> [String] {
        guard let status else { return ["CHECK.NO_QUANTITY \(id)"] }
        if !reasonCodes.isEmpty { return reasonCodes }
        return status == "issuable" ? [] : ["CHECK.\(status.uppercased())"]
    }
}
