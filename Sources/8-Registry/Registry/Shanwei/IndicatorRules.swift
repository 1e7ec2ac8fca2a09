import Plumbing
import Rules

/// What trading Shanwei coastline indicators needs from a rulebook, decoded into types: the
/// price bounds per metre (SW 27), the revenue shares (SW 28), the rulebook's effective period
/// (SW 30), and two periods the text leaves open, each an EcoCredit default stated as such: the
/// publicity period after an award (SW 26 names one, without days: 5 calendar days), the
/// reveal window after bidding closes (24 h), and the agreement and payment deadlines (30 days each).
public struct IndicatorTradingRules: Sendable, Equatable {
    /// "shanwei-coastline 2025-draft": cited by every event decided under these rules.
    public var rulebook: String
    public var effectiveFrom: CivilDate?, effectiveTo: CivilDate?
    public var bounds: Rulebook.PriceBounds
    public var revenue: Rulebook.Revenue
    /// SW 26's publicity period, calendar days (the start day not counted, Civil Code Art. 201).
    public var publicityDays: Int = 5
    public var revealWindowHours: Int = 24
    /// Days after publicity ends to sign the agreement, and after signing to pay in full (SW 26
    /// is silent on both: EcoCredit defaults, 30 calendar days each); missed, the lots return to the plan.
    public var agreementDays: Int = 30
    public var paymentDays: Int = 30

    public init(rulebook: String, effectiveFrom: CivilDate?, effectiveTo: CivilDate?, bounds: Rulebook.PriceBounds, revenue: Rulebook.Revenue) {
        (self.rulebook, self.effectiveFrom, self.effectiveTo, self.bounds, self.revenue) = (rulebook, effectiveFrom, effectiveTo, bounds, revenue)
    }

    /// The rules of a Shanwei rulebook (its `priceBounds` and `revenue` tables).
    public init(_ book: Rulebook) throws {
        guard book.id == .shanweiCoastline else {
            throw RulesError.invalid(name: book.citation, detail: "trading rules for indicators come from a shanwei-coastline rulebook")
        }
        guard let bounds = book.priceBounds, bounds.minFenPerMetre > 0, bounds.minFenPerMetre <= bounds.maxFenPerMetre else {
            throw RulesError.invalid(name: book.citation, detail: "priceBounds is missing or empty (SW Art. 27)")
        }
        guard let revenue = book.revenue else { throw RulesError.invalid(name: book.citation, detail: "revenue is missing (SW Art. 28)") }
        self.init(rulebook: book.citation, effectiveFrom: book.effective.from.flatMap(CivilDate.init), effectiveTo: book.effective.to.flatMap(CivilDate.init),
                  bounds: bounds, revenue: revenue)
    }

    /// Whether the rulebook is in force on `date`: only inside a period the text sets (the SW
    /// draft has none, so nothing is official under it).
    public func isInForce(on date: CivilDate) -> Bool {
        guard effectiveFrom != nil || effectiveTo != nil else { return false }
        return (effectiveFrom.map { $0 <= date } ?? true) && (effectiveTo.map { date <= $0 } ?? true)
    }
}
