import Foundation
import Plumbing
import Rules

/// SW Art. 28: how the proceeds of an indicator sale are split, in integer fen. Every split is
/// a largest-remainder division of an integer amount (ties go to the party listed first), so
/// the parts always sum to the whole. Shares come from the rulebook.
public struct RevenueSplit: Sendable, Equatable {
    public enum Sale: String, Sendable, CaseIterable { case interCity = "inter-city", inCity = "in-city" }
    /// A funding share as an exact fraction (from decimal text such as "0.4").
    public struct Share: Sendable, Equatable {
        public var numerator: Int64, denominator: Int64
        public init?(_ text: String) {
            let t = text.trimmingSpaces
            let parts = t.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0])), whole >= 0 else { return nil }
            let frac = parts.count == 2 ? String(parts[1]) : ""
            guard frac.count <= 9, frac.allSatisfy(\.isNumber) else { return nil }
            var den: Int64 = 1
            for _ in 0..<frac.count { den *= 10 }
            let (scaled, overflow) = whole.multipliedReportingOverflow(by: den)
            guard !overflow, whole <= 1 else { return nil }
            numerator = scaled + (Int64(frac) ?? 0); denominator = den
            guard numerator <= denominator else { return nil }
        }
        public init(_ n: Int64, _ d: Int64) { numerator = n; denominator = d }
    }
    public struct Part: Sendable, Equatable {
        public var party: String
        public var fen: Int64
    }

    public var total: Int64
    public var parts: [Part]
    /// How each step was taken, for the record.
    public var steps: [String]

    /// - Parameters:
    ///   - socialShare: the social-capital share of the project's funding (0 government-funded,
    ///     1 social-capital-funded, between: co-funded).
    ///   - districtType: "county" (Lufeng, Haifeng: city/county/town) or "district" (city
    ///     district, Honghaiwan: city/district/town), from the rulebook's district table.
    public init(totalFen: Int64, sale: Sale, socialShare: Share, districtType: String, revenue: Rulebook.Revenue) throws {
        guard totalFen >= 0 else { throw MoneyError.invalidInput("the total must not be negative") }
        guard let gov = revenue.governmentSplits[districtType] else {
            throw MoneyError.invalidInput("district type \(districtType) is not one of \(revenue.governmentSplits.keys.sorted().joined(separator: ", "))")
        }
        total = totalFen
        var parts: [Part] = [], steps: [String] = []
        var local = totalFen
        if sale == .interCity {
            let p = RevenueSplit.divide(totalFen, [("province", Int64(revenue.interCity["province"] ?? 0)), ("local", Int64(revenue.interCity["local"] ?? 0))])
            parts.append(Part(party: "province", fen: p[0])); local = p[1]
            steps.append("inter-city sale: province \(revenue.interCity["province"] ?? 0) %, local \(revenue.interCity["local"] ?? 0) % (\(revenue.article))")
        } else {
            steps.append("in-city sale: wholly to the city treasury, then split (no provincial share) (\(revenue.article))")
        }
        // Investor's share of the local amount: 50 % × social share; the government keeps the rest.
        let inv = Int64(revenue.socialCapital["investor"] ?? 0), govPct = Int64(revenue.socialCapital["government"] ?? 0)
        let s = socialShare
        let investorWeight = inv * s.numerator
        let governmentWeight = govPct * s.denominator + inv * (s.denominator - s.numerator)
        let g = RevenueSplit.divide(local, [("government", governmentWeight), ("investor", investorWeight)])
        steps.append(s.numerator == 0 ? "government-funded: all to government"
                     : s.numerator == s.denominator ? "social-capital-funded: investor \(inv) %, government \(govPct) %"
                     : "co-funded: the investor's \(inv) % split by the social share \(s.numerator)/\(s.denominator)")
        let order = ["city", "county", "district", "town"].filter { gov[$0] != nil }
        let shares = RevenueSplit.divide(g[0], order.map { ($0, Int64(gov[$0]!)) })
        for (party, fen) in zip(order, shares) { parts.append(Part(party: party, fen: fen)) }
        steps.append("government share: " + order.map { "\($0) \(gov[$0]!) %" }.joined(separator: ", "))
        if g[1] > 0 || s.numerator > 0 { parts.append(Part(party: "investor", fen: g[1])) }
        steps.append("rounding: \(revenue.rounding)")
        self.parts = parts; self.steps = steps
    }

    /// Largest-remainder division of `amount` by integer weights (128-bit intermediate
    /// products); ties go to the earlier party. The results sum to `amount`.
    public static func divide(_ amount: Int64, _ weights: [(String, Int64)]) -> [Int64] {
        let w = weights.map(\.1), total = w.reduce(0, +)
        guard total > 0 else { return w.map { _ in 0 } }
        var base: [Int64] = [], rem: [Int64] = []
        for wi in w {
            let p = amount.multipliedFullWidth(by: wi)
            let (q, r) = total.dividingFullWidth((high: p.high, low: p.low))
            base.append(q); rem.append(r)
        }
        var left = amount - base.reduce(0, +)
        for i in rem.indices.sorted(by: { rem[$0] != rem[$1] ? rem[$0] > rem[$1] : $0 < $1 }) where left > 0 {
            base[i] += 1; left -= 1
        }
        return base
    }

    /// The price of `centimetres` of indicator at `fenPerMetre` (SW Art. 27), checked against the
    /// rulebook's bounds; rounded down to the fen (computed on whole centimetres).
    public static func price(centimetres: Int64, fenPerMetre: Int64, bounds: Rulebook.PriceBounds) throws -> Int64 {
        guard fenPerMetre >= bounds.minFenPerMetre, fenPerMetre <= bounds.maxFenPerMetre else {
            throw MoneyError.invalidInput("price \(yuan(fenPerMetre)) yuan/m lies outside \(yuan(bounds.minFenPerMetre))–\(yuan(bounds.maxFenPerMetre)) yuan/m (\(bounds.article))")
        }
        guard centimetres >= 0 else { throw MoneyError.invalidInput("the length must not be negative") }
        // The product in 128 bits, then ÷ 100: an amount past Int64's range (9.2e16 yuan) is an
        // error with a code, never a trap.
        let p = fenPerMetre.multipliedFullWidth(by: centimetres)
        guard p.high < 50 else { throw MoneyError.overflow("\(centimetres) cm × \(fenPerMetre) fen/m") }   // 50·2^64 ≤ 100·(2^63 − 1)
        return Int64(100).dividingFullWidth((high: p.high, low: p.low)).quotient
    }

    /// Fen as yuan text ("1234.56").
    public static func yuan(_ fen: Int64) -> String { FixedPoint.text(fen, decimals: 2) }
}

/// Money that cannot be computed exactly: a bad input, or an amount beyond Int64 fen.
public enum MoneyError: CodedError, Sendable {
    case invalidInput(String)
    /// An amount of money or a quantity beyond the integer range.
    case overflow(String)
    public var code: String {
        switch self {
        case .invalidInput: return "MONEY.INVALID_INPUT"
        case .overflow: return "MONEY.OVERFLOW"
        }
    }
    public var message: Bilingual {
        switch self {
        case .invalidInput(let s): return .init(zh: "输入不符合规则；细节见英文信息", en: s)
        case .overflow(let s): return .init(zh: "金额或数量超出可精确计算的范围（\(s)）", en: "\(s) is beyond the range of amounts EcoCredit computes exactly")
        }
    }
}
