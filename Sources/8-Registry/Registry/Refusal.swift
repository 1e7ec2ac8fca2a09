import Plumbing

/// Why the registry refuses a command: a stable code, the article it enforces and a message in
/// both languages, kept together here (the registry's catalogue).
public struct Refusal: CodedError, Sendable, Equatable {
    public enum Code: String, Sendable, CaseIterable, Codable {
        case roleNotAllowed = "REG.ROLE_NOT_ALLOWED"
        case sameOfficer = "REG.SAME_OFFICER"
        case notHolder = "REG.NOT_HOLDER"
        case notIssuable = "REG.NOT_ISSUABLE"
        case rulebookNotInForce = "REG.RULEBOOK_NOT_IN_FORCE"
        case duplicateNumber = "REG.DUPLICATE_NUMBER"
        case unknownVoucher = "REG.UNKNOWN_VOUCHER"
        case nothingPrepared = "REG.NOTHING_PREPARED"
        case stateConflict = "REG.STATE_CONFLICT"
        case quantityInvalid = "REG.QUANTITY_INVALID"
        case belowMinimumPrice = "REG.BELOW_MINIMUM_PRICE"
        case noMinimumPrice = "REG.NO_MINIMUM_PRICE"
        case noticePeriodNotOver = "REG.NOTICE_PERIOD_NOT_OVER"
        case moneyOverflow = "REG.MONEY_OVERFLOW"
        case referenceMissing = "REG.REFERENCE_MISSING"
        case scheduleInvalid = "REG.SCHEDULE_INVALID"
        case biddingClosed = "REG.BIDDING_CLOSED"
        case bidAlreadyPlaced = "REG.BID_ALREADY_PLACED"
        case bidInvalid = "REG.BID_INVALID"
        case unknownLot = "REG.UNKNOWN_LOT"
        case unknownPlan = "REG.UNKNOWN_PLAN"
        case unknownAuction = "REG.UNKNOWN_AUCTION"
        case unknownDistrict = "REG.UNKNOWN_DISTRICT"
        case priceOutOfBounds = "REG.PRICE_OUT_OF_BOUNDS"
        case deadlinePassed = "REG.DEADLINE_PASSED"
        case publicityOver = "REG.PUBLICITY_OVER"
        case publicityNotOver = "REG.PUBLICITY_NOT_OVER"
        case objectionPending = "REG.OBJECTION_PENDING"
        case overpayment = "REG.OVERPAYMENT"
        case pledged = "REG.PLEDGED"
        case unknownPurchasePlan = "REG.UNKNOWN_PURCHASE_PLAN"
    }
    public var reason: Code
    /// The article the refusal enforces ("JY Art. 36").
    public var article: String
    public var message: Bilingual
    public init(_ reason: Code, article: String, zh: String, en: String) {
        self.reason = reason; self.article = article; self.message = Bilingual(zh: zh, en: en)
    }
    public var code: String { reason.rawValue }
    public var description: String { "[\(code)] \(message.en) (\(article))" }
}
