import Crypto
import Plumbing

/// Sealed bids by commit and reveal (registry-design §1.1 (d)): the bidder sends only
/// `c = SHA-256("ecocredit/bid/v1" ‖ lp(auction) ‖ lp(bidder) ‖ u64be(fen per unit) ‖ nonce)`,
/// `lp` = u32be(byte length) ‖ UTF-8 bytes, the nonce 32 random bytes; the price stays with the
/// bidder until the listing closes. Binding the auction and the bidder stops a commitment being
/// replayed elsewhere or by someone else; the nonce stops anyone guessing a low-entropy price.
public enum SealedBid {
    /// The commitment, lower-case hexadecimal; nil when the nonce is not 32 bytes of hexadecimal.
    public static func commitment(auction: String, bidder: String, fenPerUnit: Int64, nonce: String) -> String? {
        guard let n = bytes(hex: nonce), n.count == 32, fenPerUnit >= 0 else { return nil }
        func lp(_ s: String) -> [UInt8] { let b = Array(s.utf8); return be(UInt64(b.count), 4) + b }
        func be(_ v: UInt64, _ k: Int) -> [UInt8] { (0..<k).reversed().map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
        var h = SHA256()
        h.update(data: Array("ecocredit/bid/v1".utf8)); h.update(data: lp(auction)); h.update(data: lp(bidder))
        h.update(data: be(UInt64(fenPerUnit), 8)); h.update(data: n)
        return hexadecimal(h.finalize())
    }

    static func bytes(hex: String) -> [UInt8]? {
        let u = Array(hex.utf8)
        guard u.count % 2 == 0 else { return nil }
        func v(_ c: UInt8) -> UInt8? {
            switch c { case 48...57: return c - 48; case 97...102: return c - 87; case 65...70: return c - 55; default: return nil }
        }
        var out: [UInt8] = []
        for i in stride(from: 0, to: u.count, by: 2) { guard let a = v(u[i]), let b = v(u[i + 1]) else { return nil }; out.append(a << 4 | b) }
        return out
    }

    /// The winner of an auction at its reveal end: the highest revealed price at or above the
    /// asking price; equal prices go to the earliest commitment. Nil when no valid bid.
    public static func winner(_ a: Auction) -> (bidder: String, fenPerUnit: Int64)? {
        var best: (String, Int64)? = nil
        for b in a.bids {
            guard let p = b.revealed, p >= a.askingFenPerUnit else { continue }
            if best == nil || p > best!.1 { best = (b.bidder, p) }
        }
        return best.map { (bidder: $0.0, fenPerUnit: $0.1) }
    }
}
