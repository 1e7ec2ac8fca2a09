/// UTF-8 text built as bytes: for large tables (`transects.csv`) appending bytes costs about
/// half of appending to a `String` piece by piece. Numbers are written exactly as
/// `GeoJSON.number` writes them. A plain value; one per task.
public struct ByteText: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Reused for formatting one number at a time.
    private var scratch = ""

    public init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        scratch.reserveCapacity(32)
    }

    public var count: Int { bytes.count }
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
    public mutating func append(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }
    public mutating func append(bytes other: [UInt8]) { bytes.append(contentsOf: other) }
    public mutating func append(_ s: String) { var s = s; s.withUTF8 { bytes.append(contentsOf: $0) } }
    public mutating func append(byte: UInt8) { bytes.append(byte) }
    public mutating func append(_ i: Int) { append(String(i)) }
    /// `GeoJSON.number(d)`'s text (shortest round-trip; integers without a point; null if not finite).
    public mutating func append(number d: Double) {
        scratch.removeAll(keepingCapacity: true)
        GeoJSON.append(number: d, to: &scratch)
        scratch.withUTF8 { bytes.append(contentsOf: $0) }
    }
}
