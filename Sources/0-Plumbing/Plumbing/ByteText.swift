/// UTF-8 text built as bytes: for large tables (`transects.csv`) appending bytes costs about
/// half of appending to a `String` piece by piece. Numbers are written exactly as
/// `GeoJSON.number` writes them. A plain value; one per task.
public struct ByteText: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }
    /// Room for `n` more bytes.
    public mutating func reserve(_ n: Int) { bytes.reserveCapacity(bytes.count + n) }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
    public mutating func append(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }
    public mutating func append(bytes other: [UInt8]) { bytes.append(contentsOf: other) }
    public mutating func append(_ s: String) { var s = s; s.withUTF8 { bytes.append(contentsOf: $0) } }
    public mutating func append(byte: UInt8) { bytes.append(byte) }
    /// A decimal integer, digit by digit (no string built).
    public mutating func append(_ i: Int) {
        if i < 0 { bytes.append(0x2D) }
        var m = i.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(truncatingIfNeeded: m % 10) &+ 0x30; m /= 10; n += 1 } while m > 0
            for k in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[k]) }
        }
    }

    /// `v` with at most `decimals` (≤ 9) decimals, trailing zeros dropped ("115.36291", "-0.5", "3"),
    /// computed in integers: no string is built. `null` when not finite or beyond ±9·10⁹.
    public mutating func append(fixed v: Double, decimals: Int) {
        let d = max(0, min(9, decimals))
        var unit: UInt64 = 1
        for _ in 0..<d { unit &*= 10 }
        let scaled = (v * Double(unit)).rounded()
        guard scaled.isFinite, abs(scaled) < 9e18, abs(v) < 9e9 else { append("null" as StaticString); return }
        let q = Int64(scaled)
        var whole = q.magnitude / unit, frac = q.magnitude % unit
        // Digits from the last, into a buffer on the stack; appended in one copy.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buf in
            var i = 32
            if frac != 0 {
                var width = d
                while frac % 10 == 0 { frac /= 10; width -= 1 }
                for _ in 0..<width { i -= 1; buf[i] = UInt8(truncatingIfNeeded: frac % 10) &+ 0x30; frac /= 10 }
                i -= 1; buf[i] = 0x2E
            }
            repeat { i -= 1; buf[i] = UInt8(truncatingIfNeeded: whole % 10) &+ 0x30; whole /= 10 } while whole > 0
            if q < 0 { i -= 1; buf[i] = 0x2D }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<32]))
        }
    }
    /// `GeoJSON.number(d)`'s text (shortest round-trip; integers without a point; null if not finite).
    /// The standard library's shortest round-trip digits (`description`), written straight into
    /// the buffer by `ShortestDecimal` for the values it covers.
    public mutating func append(number d: Double) {
        guard d.isFinite else { append("null" as StaticString); return }
        if d == d.rounded(), abs(d) < 1e15 { append(Int(d)); return }
        if ShortestDecimal.write(d, into: &bytes) { return }
        append(d.description)
    }
}

extension ByteText: TextOutputStream {
    public mutating func write(_ string: String) { append(string) }
}
