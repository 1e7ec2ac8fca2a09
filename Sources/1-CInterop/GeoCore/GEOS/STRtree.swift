import CGEOS

/// A GEOS STR-tree over a fixed list of geometries, queried by envelope. Owns the
/// `GEOSSTRtree*` (destroyed in `deinit`) and keeps every indexed geometry alive (the tree only
/// borrows them). Items are identified by their index in `geometries`. Not `Sendable`.
public final class STRtree {
    public let geometries: [GEOSGeometry]
    let context: GEOSContext
    let pointer: OpaquePointer

    /// Builds the tree; `nodeCapacity` is the STR node size (GEOS default 10).
    public init(_ geometries: [GEOSGeometry], context: GEOSContext, nodeCapacity: Int = 10) throws {
        for g in geometries { _ = try context.pointer(of: g) }
        guard let tree = GEOSSTRtree_create_r(context.handle, nodeCapacity) else { throw context.failure("GEOSSTRtree_create_r") }
        self.geometries = geometries
        self.context = context
        self.pointer = tree
        for (i, g) in geometries.enumerated() {
            // Item = index + 1 smuggled as a pointer value (never dereferenced; 0 would be NULL).
            GEOSSTRtree_insert_r(context.handle, tree, g.pointer, UnsafeMutableRawPointer(bitPattern: i + 1))
        }
    }
    deinit { GEOSSTRtree_destroy_r(context.handle, pointer) }

    /// Indices of the geometries whose envelopes intersect `envelope`, ascending.
    public func query(_ envelope: Envelope) throws -> [Int] {
        let rect = try context.make(.rectangle(envelope))
        return try query(rect)
    }

    /// Indices of the geometries whose envelopes intersect the envelope of `g`, ascending.
    public func query(_ g: GEOSGeometry) throws -> [Int] {
        final class Hits { var items: [Int] = [] }
        let hits = Hits()
        let gp = try context.pointer(of: g)
        withExtendedLifetime(hits) {
            GEOSSTRtree_query_r(context.handle, pointer, gp, { item, userdata in
                guard let item, let userdata else { return }
                Unmanaged<Hits>.fromOpaque(userdata).takeUnretainedValue().items.append(Int(bitPattern: item) - 1)
            }, Unmanaged.passUnretained(hits).toOpaque())
        }
        return hits.items.sorted()
    }
}
