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
    public static func text(_ bu: Int64) -> String { FixedPoint.text(bu, decimals: 4) }
}

/// Indicator lengths are whole centimetres (SW lots); shown as metres with two decimals.
public enum IndicatorLength {
    /// "500.34" for 50 034 cm.
    public static func metresText(_ cm: Int64) -> String { FixedPoint.text(cm, decimals: 2) }
}

/// Integers read as fixed-point decimals (base units, fen, centimetres): text without floating point.
public enum FixedPoint {
    /// `value` ÷ 10^`decimals` with exactly `decimals` digits after the point ("-12.05").
    public static func text(_ value: Int64, decimals: Int) -> String {
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let sign = value < 0 ? "-" : "", m = value.magnitude
        let frac = String(m % scale)
        return "\(sign)\(m / scale).\(String(repeating: "0", count: decimals - frac.count))\(frac)"
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
