import Plumbing
import Rules

/// What trading Jiangyin eco-vouchers needs from a rulebook, decoded into types: the first-sale
/// period (JY 22, 27), the loss-notice period before a reissue (JY 36) and the minimum protected
/// prices the bureau publishes each year (JY 25), each with its article; and the rulebook's
/// effective period (JY 44). An unknown key or a value of the wrong kind is refused when the
/// rulebook is read, never at trading time.
public struct VoucherTradingRules: Sendable, Equatable {
    /// A minimum protected price (JY 25), in integer fen per voucher unit, from a date on.
    public struct MinimumPrice: Sendable, Equatable {
        public var from: CivilDate
        public var fenPerUnit: Int64
        public init(from: CivilDate, fenPerUnit: Int64) { self.from = from; self.fenPerUnit = fenPerUnit }
    }

    /// "jiangyin-eco-voucher 2023.1": cited by every event decided under these rules.
    public var rulebook: String
    /// Inclusive civil dates (China time); nil where the text leaves the period open.
    public var effectiveFrom: CivilDate?, effectiveTo: CivilDate?
    public var firstSalePeriodYears: Int
    public var reissueNoticeDays: Int
    /// How long bidders have to reveal after a listing closes, hours (JY 28 is silent: an EcoCredit default, 24).
    public var revealWindowHours: Int = 24
    /// Published minimum prices, oldest first; the one in force on a date is the latest starting on or before it.
    public var minimumPrices: [MinimumPrice]

    public init(rulebook: String, effectiveFrom: CivilDate?, effectiveTo: CivilDate?, firstSalePeriodYears: Int, reissueNoticeDays: Int,
                minimumPrices: [MinimumPrice]) {
        self.rulebook = rulebook; self.effectiveFrom = effectiveFrom; self.effectiveTo = effectiveTo
        self.firstSalePeriodYears = firstSalePeriodYears; self.reissueNoticeDays = reissueNoticeDays
        self.minimumPrices = minimumPrices.sorted { $0.from < $1.from }
    }

    /// The rules of a Jiangyin rulebook (its `trading` table).
    public init(_ book: Rulebook) throws {
        guard book.id == .jiangyinEcoVoucher else {
            throw RulesError.invalid(name: book.citation, detail: "trading rules for vouchers come from a jiangyin-eco-voucher rulebook")
        }
        guard case .object(let t)? = book.trading else { throw RulesError.invalid(name: book.citation, detail: "trading is missing") }
        let known: Set<String> = ["firstSalePeriodYears", "reissueNoticeDays", "minimumPrice"]
        if let k = t.keys.sorted().first(where: { !known.contains($0) }) {
            throw RulesError.invalid(name: book.citation, detail: "trading.\(k) is not a trading rule (known: \(known.sorted().joined(separator: ", ")))")
        }
        func int(_ key: String) throws -> Int {
            guard case .integer(let v)? = t[key]?.objectValue?["value"], v > 0, v < 1000 else {
                throw RulesError.invalid(name: book.citation, detail: "trading.\(key).value must be a positive whole number")
            }
            return Int(v)
        }
        var prices: [MinimumPrice] = []
        for (i, p) in (t["minimumPrice"]?.objectValue?["published"]?.arrayValue ?? []).enumerated() {
            guard let o = p.objectValue, let from = o["from"]?.stringValue.flatMap(CivilDate.init),
                  case .integer(let fen)? = o["fenPerUnit"], fen > 0 else {
                throw RulesError.invalid(name: book.citation, detail: "trading.minimumPrice.published[\(i)] needs \"from\" (YYYY-MM-DD) and a positive whole \"fenPerUnit\"")
            }
            prices.append(MinimumPrice(from: from, fenPerUnit: fen))
        }
        self.init(rulebook: book.citation, effectiveFrom: book.effective.from.flatMap(CivilDate.init), effectiveTo: book.effective.to.flatMap(CivilDate.init),
                  firstSalePeriodYears: try int("firstSalePeriodYears"), reissueNoticeDays: try int("reissueNoticeDays"), minimumPrices: prices)
    }

    /// Whether the rulebook is in force on `date` (JY 44): only inside a period the text sets.
    public func isInForce(on date: CivilDate) -> Bool {
        guard effectiveFrom != nil || effectiveTo != nil else { return false }
        return (effectiveFrom.map { $0 <= date } ?? true) && (effectiveTo.map { date <= $0 } ?? true)
    }

    /// The minimum protected price in force on `date`, fen per voucher unit (JY 25); nil when none is published.
    public func minimumPrice(on date: CivilDate) -> Int64? { minimumPrices.last { $0.from <= date }?.fenPerUnit }
}
