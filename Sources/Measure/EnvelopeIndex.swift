import GeoCore

/// A uniform grid over item envelopes: `query` returns, in input order, the items whose
/// envelope meets a given one. Building and querying are linear in the number of items for
/// items of similar size (parcels, land-use polygons). A plain value: safe to share across tasks.
public struct EnvelopeIndex: Sendable {
    let envelopes: [Envelope]
    let cell: Double
    var cells: [Int64: [Int32]] = [:]

    public init(_ envelopes: [Envelope]) {
        self.envelopes = envelopes
        let mean = envelopes.isEmpty ? 1 : envelopes.reduce(0) { $0 + max($1.width, $1.height) } / Double(envelopes.count)
        cell = max(mean * 2, 1e-6)
        for (i, e) in envelopes.enumerated() { EdgeGrid.cellsOf(e, cell) { cells[$0, default: []].append(Int32(i)) } }
    }

    public func query(_ e: Envelope) -> [Int] {
        var found: [Int] = []
        EdgeGrid.cellsOf(e, cell) { k in for i in cells[k] ?? [] where envelopes[Int(i)].intersects(e) { found.append(Int(i)) } }
        // An item spanning several cells is found once per cell: sort and drop repeats.
        found.sort()
        var out: [Int] = []
        out.reserveCapacity(found.count)
        for i in found where out.last != i { out.append(i) }
        return out
    }
}
