import GeoCore

/// A uniform grid over item envelopes: `query` returns, in input order, the items whose
/// envelope meets a given one. Building and querying are linear in the number of items for
/// items of similar size (parcels, land-use polygons). A plain value: safe to share across tasks.
public struct EnvelopeIndex: Sendable {
    let envelopes: [Envelope]
    let cell: Double
    /// Cell key → item indices.
    let cells: CellTable

    public init(_ envelopes: [Envelope]) {
        self.envelopes = envelopes
        let mean = envelopes.isEmpty ? 1 : envelopes.reduce(0) { $0 + max($1.width, $1.height) } / Double(envelopes.count)
        let size = max(mean * 2, 1e-6)
        cell = size
        var keys: [Int64] = [], owners: [Int32] = []
        keys.reserveCapacity(envelopes.count * 2); owners.reserveCapacity(envelopes.count * 2)
        for (i, e) in envelopes.enumerated() { EdgeGrid.cellsOf(e, size) { keys.append($0); owners.append(Int32(i)) } }
        cells = CellTable(count: keys.count) { (keys[$0], owners[$0]) }
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
        // One borrow of the arrays for the whole query: no reference counting per cell (the
        // arrays are shared by every worker, and counting them would contend between cores).
        cells.withLookup { lookup in
            envelopes.withUnsafeBufferPointer { envelopes in
                EdgeGrid.cellsOf(e, cell) { k in
                    guard let r = lookup.range(k) else { return }
                    for i in lookup.items[r] where envelopes[Int(i)].intersects(e) { found.append(Int(i)) }
                }
            }
        }
        // An item spanning several cells is found once per cell: sort and drop repeats.
        found.sort()
        out.removeAll(keepingCapacity: true)
        for i in found where out.last != i { out.append(i) }
    }
}
