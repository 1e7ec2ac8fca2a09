/// Grid cell key → the items in that cell, for the uniform grids of this module (`EdgeGrid`,
/// `EnvelopeIndex`). Open addressing with a multiplicative hash and linear probing: a lookup,
/// hit or miss, is a multiply and a probe or two, where `Dictionary`'s seeded SipHash costs
/// several times more on the millions of cell lookups a layer's clipping makes. Built in two
/// counting passes (no sort); items keep their input order within a cell. A plain value.
struct CellTable: Sendable {
    /// Slot keys; `empty` marks a free slot.
    private var keys: [Int64]
    /// Slot → start of its items in `items` (the next slot's start ends them, in slot order).
    private var starts: [Int32]
    private(set) var items: [Int32]
    private let shift: UInt64
    static let empty = Int64.min

    /// `count` (key, item) pairs given by `pair(k)`.
    init(count: Int, _ pair: (Int) -> (key: Int64, item: Int32)) {
        // Pass 1: distinct keys and their counts, the table doubling whenever it is half full.
        var bits: UInt64 = 4
        var keys = [Int64](repeating: CellTable.empty, count: 1 << bits), counts = [Int32](repeating: 0, count: 1 << bits)
        var used = 0
        func insert(_ key: Int64, _ n: Int32, _ keys: inout [Int64], _ counts: inout [Int32], _ shift: UInt64) -> Bool {
            let mask = keys.count - 1
            var s = CellTable.slot(key, shift)
            while keys[s] != key && keys[s] != CellTable.empty { s = (s + 1) & mask }
            let new = keys[s] == CellTable.empty
            keys[s] = key; counts[s] += n
            return new
        }
        for k in 0..<count {
            if insert(CellTable.stored(pair(k).key), 1, &keys, &counts, 64 - bits) { used += 1 }
            if 2 * used > keys.count {
                bits += 1
                var k2 = [Int64](repeating: CellTable.empty, count: 1 << bits), c2 = [Int32](repeating: 0, count: 1 << bits)
                for s in keys.indices where keys[s] != CellTable.empty { _ = insert(keys[s], counts[s], &k2, &c2, 64 - bits) }
                keys = k2; counts = c2
            }
        }
        shift = 64 - bits
        // Prefix sums: starts[s] is where slot s's items begin (slot order); pass 2 fills them.
        let capacity = keys.count
        var starts = [Int32](repeating: 0, count: capacity + 1)
        var total: Int32 = 0
        for s in 0..<capacity { starts[s] = total; total += counts[s] }
        starts[capacity] = total
        counts = Array(starts[0..<capacity])   // now the next free position of each slot
        var items = [Int32](repeating: 0, count: Int(total))
        for k in 0..<count {
            let (raw, item) = pair(k)
            let key = CellTable.stored(raw)
            var s = CellTable.slot(key, shift)
            while keys[s] != key { s = (s + 1) & (capacity - 1) }
            items[Int(counts[s])] = item
            counts[s] += 1
        }
        self.keys = keys; self.starts = starts; self.items = items
    }

    /// The key as stored: `Int64.min` marks free slots, so that one cell shares `min + 1`'s
    /// items (a merged cell only adds candidates, which every caller tests exactly).
    @inline(__always) static func stored(_ key: Int64) -> Int64 { key == empty ? empty + 1 : key }

    @inline(__always) static func slot(_ key: Int64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The range of `items` in cell `key`, or nil for an empty cell.
    func range(_ key: Int64) -> Range<Int>? { withLookup { $0.range(key) } }

    /// The table as buffers for the duration of `body`, for loops of many lookups.
    @inline(__always) func withLookup<R>(_ body: (Lookup) throws -> R) rethrows -> R {
        try keys.withUnsafeBufferPointer { k in
            try starts.withUnsafeBufferPointer { s in
                try items.withUnsafeBufferPointer { i in try body(Lookup(keys: k, starts: s, items: i, shift: shift)) }
            }
        }
    }

    /// Lookups without reference counting; valid only inside `withLookup`.
    struct Lookup {
        let keys: UnsafeBufferPointer<Int64>, starts: UnsafeBufferPointer<Int32>
        /// The items; `range(key)` indexes into them.
        let items: UnsafeBufferPointer<Int32>
        let shift: UInt64

        @inline(__always) func range(_ raw: Int64) -> Range<Int>? {
            let key = CellTable.stored(raw), mask = keys.count - 1
            var s = CellTable.slot(key, shift)
            while true {
                let k = keys[s]
                if k == key { return Int(starts[s])..<Int(starts[s + 1]) }
                if k == CellTable.empty { return nil }
                s = (s + 1) & mask
            }
        }
    }
}
