/// The shortest decimal that reads back as the same `Double`, written as digits straight into a
/// byte buffer (no `String` per number): the text of `Double.description` for every
/// non-integer finite value with 10⁻³ ≤ |v| < 10¹⁵ — the range of EcoCredit's coordinates,
/// lengths, widths and rates. Other values return false and the caller uses `description`.
///
/// Method, in exact integer arithmetic: v = m/2^k (m < 2⁵³, 0 < k ≤ 62 in this range). With p
/// decimals the candidates nearest v are N = ⌊m·10^p / 2^k⌋ and N + 1, at distances r/2^k and
/// (2^k − r)/2^k in units of 10^-p, where r = m·10^p mod 2^k — one 64×64-bit product gives N
/// and r. A candidate reads back as v exactly when it lies inside v's rounding interval: half
/// the gap to each neighbouring double (the lower gap halved again at a power of two), ends
/// included when m is even (round half to even). Being inside is monotone in p
/// (N/10^p = 10N/10^(p+1)) and 17 significant digits always suffice, so the search starts at 15
/// significant digits and steps down while a candidate exists, or up until one does. Of the
/// candidates with the fewest decimals the nearest is written, the even one when two are equally
/// near — the shortest and, of the shortest, the closest: the standard library's (SwiftDtoa's)
/// rule. `ShortestDecimalTests` compares it with `description` on millions of seeded values, on
/// the neighbours of every power of two in the range, and on short decimals.
public enum ShortestDecimal {
    /// Writes `v`'s shortest round-trip decimal into `out` and returns true, or returns false
    /// (nothing written) when `v` is outside the fast range or an integer.
    @inline(__always)
    public static func write(_ v: Double, into out: inout [UInt8]) -> Bool {
        let a = v.magnitude
        guard a >= 1e-3, a < 1e15 else { return false }
        let bits = a.bitPattern
        let fraction = bits & ((1 << 52) - 1)
        let m = fraction | (1 << 52)
        let k = 1075 - Int((bits >> 52) & 0x7FF)             // v = m / 2^k
        guard k > 0 else { return false }                      // an integer
        let lowShift: UInt64 = fraction == 0 ? 2 : 1           // the lower half-gap: 2^-(k+1), or 2^-(k+2) at a power of two
        let inclusive = m & 1 == 0
        let mask: UInt64 = (1 << UInt64(k)) - 1

        /// The nearest candidate with `p` decimals that reads back as v, if any.
        @inline(__always) func candidate(_ p: Int) -> UInt64? {
            let scale = power10[p]
            let (high, low) = m.multipliedFullWidth(by: scale)
            let n = k == 64 ? high : (high << UInt64(64 - k)) | (low >> UInt64(k))
            let r = low & mask
            let rAbove = mask - r + 1
            // Inside the interval: distance·2^(k+1) (·2^(k+2) below a power of two) against 10^p.
            let belowOK = inclusive ? (r << lowShift) <= scale : (r << lowShift) < scale
            let aboveOK = inclusive ? (rAbove << 1) <= scale : (rAbove << 1) < scale
            let belowNearer = r < rAbove || (r == rAbove && n & 1 == 0)
            if belowNearer { return belowOK ? n : (aboveOK ? n + 1 : nil) }
            return aboveOK ? n + 1 : (belowOK ? n : nil)
        }

        // Decimals for 17 significant digits (always enough); start at 15 and search.
        var digits = 1                                          // decimal digits of ⌊a⌋, or −(zeros after the point) + 1
        if a >= 1 { while digits < 16 && a >= power10Double[digits] { digits += 1 } }
        else { digits = a >= 0.1 ? 0 : (a >= 0.01 ? -1 : -2) }
        let most = 17 - digits                                  // ≤ 19
        var p = max(1, most - 2)
        var best: UInt64
        if let n = candidate(p) {
            best = n
            while p > 1, let fewer = candidate(p - 1) { best = fewer; p -= 1 }
        } else {
            p += 1
            while true {
                if let n = candidate(p) { best = n; break }
                if p >= most { return false }
                p += 1
            }
        }
        var n = best

        // Digits from the last: p decimals (leading zeros included), the point, the whole part.
        // Two digits at a time from a table of "00"…"99", from the last: p decimals (leading
        // zeros included), the point, the whole part.
        pairs.withUnsafeBufferPointer { pair in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
                var i = 48, left = p
                @inline(__always) func two(_ d: Int) { i -= 2; buf[i] = pair[2 * d]; buf[i + 1] = pair[2 * d + 1] }
                while left >= 2 { two(Int(n % 100)); n /= 100; left -= 2 }
                if left == 1 { i -= 1; buf[i] = UInt8(truncatingIfNeeded: n % 10) &+ 0x30; n /= 10 }
                i -= 1; buf[i] = 0x2E
                while n >= 100 { two(Int(n % 100)); n /= 100 }
                if n >= 10 { two(Int(n)) } else { i -= 1; buf[i] = UInt8(truncatingIfNeeded: n) &+ 0x30 }
                if v < 0 { i -= 1; buf[i] = 0x2D }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<48]))
            }
        }
        return true
    }

    /// "00", "01", … "99" as ASCII.
    private static let pairs: [UInt8] = (0..<100).flatMap { (d: Int) -> [UInt8] in [UInt8(48 + d / 10), UInt8(48 + d % 10)] }
    /// 10^0 … 10^19.
    private static let power10: [UInt64] = (0...19).map { p in (0..<p).reduce(UInt64(1)) { r, _ in r * 10 } }
    /// 10^0 … 10^16 as doubles (exact).
    private static let power10Double: [Double] = (0...16).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }
}
