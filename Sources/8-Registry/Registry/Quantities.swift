/// Voucher quantities in base units: 1 bu = 0.0001 voucher unit (the rulebook's rounding of
/// supply, `rounding.supply`). Integers only; no floating point anywhere in the registry.
public enum VoucherUnits {
    /// Base units in one voucher unit (1 unit = 1 mu of 5-year-old forest, JY 7).
    public static let perUnit: Int64 = 10_000

    /// ⌊price × quantity ÷ unit⌋ fen, exact (128-bit intermediate): what `quantity` bu cost at
    /// `fenPerUnit`. Nil when the total does not fit in Int64 fen.
    public static func total(fenPerUnit: Int64, quantity: Int64) -> Int64? {
        guard fenPerUnit >= 0, quantity >= 0 else { return nil }
        let p = fenPerUnit.multipliedFullWidth(by: quantity)
        guard p.high < perUnit / 2 else { return nil }   // (high·2⁶⁴ + low) ÷ 10 000 < 2⁶³
        return Int64(perUnit.dividingFullWidth((high: p.high, low: p.low)).quotient)
    }

    /// "1.2345" for 12 345 bu.
    public static func text(_ bu: Int64) -> String {
        let sign = bu < 0 ? "-" : "", m = bu.magnitude
        let frac = String(m % UInt64(perUnit))
        return "\(sign)\(m / UInt64(perUnit)).\(String(repeating: "0", count: 4 - frac.count))\(frac)"
    }
}

/// A closed range of serial numbers `first…last` within one issuance (base units 1…q).
public struct SerialRange: Sendable, Hashable, Codable, CustomStringConvertible {
    public var first: Int64
    public var last: Int64
    public init(_ first: Int64, _ last: Int64) { self.first = first; self.last = last }
    public var count: Int64 { last - first + 1 }
    public func overlaps(_ o: SerialRange) -> Bool { first <= o.last && o.first <= last }
    public var description: String { "\(first)–\(last)" }
}
