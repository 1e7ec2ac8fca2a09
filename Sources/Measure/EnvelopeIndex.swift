import GeoCore

/// A uniform grid over item envelopes: `query` returns, in input order, the items whose
/// envelope meets a given one. Building and querying are linear in the number of items for
/// items of similar size (parcels, land-use polygons). A plain value: safe to share across tasks.
public struct EnvelopeIndex: Sendable {
    let envelopes: [Envelope]
    let cell: Double
    /// Cell key → range into `items` (built by sorting (key, item) pairs: no array per cell).
    var cells: [Int64: Range<Int>] = [:]
    var items: [Int32] = []

    public init(_ envelopes: [Envelope]) {
        self.envelopes = envelopes
        let mean = envelopes.isEmpty ? 1 : envelopes.reduce(0) { $0 + max($1.width, $1.height) } / Double(envelopes.count)
        let size = max(mean * 2, 1e-6)
        cell = size
        var pairs: [(key: Int64, item: Int32)] = []
        pairs.reserveCapacity(envelopes.count * 2)
        for (i, e) in envelopes.enumerated() { EdgeGrid.cellsOf(e, size) { pairs.append(($0, Int32(i))) } }
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.item < $1.item }
        items = pairs.map(\.item)
        var keys = 0
        for k in pairs.indices where k == 0 || pairs[k].key != pairs[k - 1].key { keys += 1 }
        var index: [Int64: Range<Int>] = [:]
        index.reserveCapacity(keys)
        var start = 0
        while start < pairs.count {
            var end = start + 1
            while end < pairs.count, pairs[end].key == pairs[start].key { end += 1 }
            index[pairs[start].key] = start..<end
            start = end
        }
        cells = index
    }

    /// The items whose envelope meets `e`, in input order.
    public func query(_ e: Envelope) -> [Int] {
        var out: [Int] = [], found: [Int] = []
        query(e, into: &out, scratch: &found)
        return out
    }

    /// The same into `out` (replaced), with `found` as work space: no allocation once both have grown.
    public func query(_ e: Envelope, into out: inout [Int], scratch found: inout [Int]) {
        found.removeAll(keepingCapacity: true)
        EdgeGrid.cellsOf(e, cell) { k in
            guard let r = cells[k] else { return }
            for i in items[r] where envelopes[Int(i)].intersects(e) { found.append(Int(i)) }
        }
        // An item spanning several cells is found once per cell: sort and drop repeats.
        found.sort()
        out.removeAll(keepingCapacity: true)
        for i in found where out.last != i { out.append(i) }
    }
}
