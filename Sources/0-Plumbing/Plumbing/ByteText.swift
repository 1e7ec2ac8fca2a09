/// UTF-8 text built as bytes: for large tables (`transects.csv`) appending bytes costs about
/// half of appending to a `String` piece by piece. Numbers are written exactly as
/// `GeoJSON.number` writes them. A plain value; one per task.
public struct ByteText: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
    public mutating func append(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }
    public mutating func append(bytes other: [UInt8]) { bytes.append(contentsOf: other) }
    public mutating func append(_ s: String) { var s = s; s.withUTF8 { bytes.append(contentsOf: $0) } }
    public mutating func append(byte: UInt8) { bytes.append(byte) }
    public mutating func append(_ i: Int) { append(String(i)) }
    /// `GeoJSON.number(d)`'s text (shortest round-trip; integers without a point; null if not finite).
    /// The standard library's shortest round-trip digits (`description`).
    public mutating func append(number d: Double) {
        guard d.isFinite else { append("null" as StaticString); return }
        if d == d.rounded(), abs(d) < 1e15 { append(String(Int64(d))); return }   // up to 15 digits: held without allocating
        append(d.description)
    }
}

extension ByteText: TextOutputStream {
    public mutating func write(_ string: String) { append(string) }
}
