import GeoCore

/// The overlap of one parcel with a layer (JY Art. 9–10): area, and where it is when there is one.
public struct ParcelOverlap: Sendable, Equatable {
    /// area(parcel ∩ ∪ layer), m².
    public var area: Double
    /// A point inside the overlap (GEOS point on surface), working CRS; nil when the area is 0
    /// or the layer was asked for its area only.
    public var point: XY?
    public var bbox: Envelope?
    /// Boundary length of the overlap, m (for its uncertainty); 0 when not located.
    public var boundary: Double
}

/// What §8 and JY Art. 9–10 take from the geometry of each parcel: land-class areas before and
/// after, and the overlap with each eligibility layer. Parcels are measured on all cores (each
/// worker with its own GEOS context for the cases `ConvexClip` leaves to GEOS); the land-use
/// and eligibility layers are indexed once, so the work is linear in the number of parcels.
public struct ParcelOverlay: Sendable {
    public typealias ClassPolygons = [(code: String, geometry: Geometry)]
    let before: ClassPolygons, after: ClassPolygons?
    /// Class codes without surrounding spaces, found once.
    let beforeCodes: [String], afterCodes: [String]?
    let beforeIndex: EnvelopeIndex, afterIndex: EnvelopeIndex?
    /// Convex rings of every polygon (nil: not convex), found once for all parcels.
    let beforeRings: [[XY]?], afterRings: [[XY]?]?
    let layers: [String: (index: EnvelopeIndex, polygons: [Geometry], rings: [[XY]?])]
    /// Roles whose overlaps are located (point, box, boundary); the others give their area only.
    let located: Set<String>
    let sliverArea: Double

    /// Results for one parcel.
    public struct Facts: Sendable, Equatable {
        public var before: ParcelClassAreas
        public var after: ParcelClassAreas?
        public var overlaps: [String: ParcelOverlap]
    }

    /// `after` nil: the land-supply case (current land use only). `layers`: role → polygons.
    public init(before: ClassPolygons, after: ClassPolygons?, layers: [String: [Geometry]], located: Set<String>, sliverArea: Double) {
        @Sendable func index(_ gs: [Geometry]) -> EnvelopeIndex { EnvelopeIndex(gs.map { $0.envelope ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) }) }
        @Sendable func rings(_ gs: [Geometry]) -> [[XY]?] {
            Array(Parallel.ranges(gs.count, minimumPerWorker: 1024) { r in r.map { ConvexClip.convexRing(gs[$0]) } }.joined())
        }
        self.before = before; self.after = after
        beforeCodes = before.map(\.code.trimmingSpaces); afterCodes = after?.map(\.code.trimmingSpaces)
        // The two land-use indexes are built side by side (each is a plain value).
        let b = before.map(\.geometry), a = after?.map(\.geometry)
        let built = Array(Parallel.ranges(a == nil ? 1 : 2, minimumPerWorker: 1) { r in r.map { $0 == 0 ? index(b) : index(a!) } }.joined())
        beforeIndex = built.first!; afterIndex = a == nil ? nil : built.last!
        beforeRings = rings(b); afterRings = a.map(rings)
        self.layers = layers.mapValues { (index($0), $0, rings($0)) }
        self.located = located; self.sliverArea = sliverArea
    }

    /// The facts of every parcel, in input order.
    public func measure(_ parcels: [Geometry]) throws -> [Facts] {
        Array(try Parallel.ranges(parcels.count, minimumPerWorker: 64) { range in
            let geos = try GEOSContext()
            return try range.map { try facts(parcels[$0], geos: geos) }
        }.joined())
    }

    func facts(_ parcel: Geometry, geos: GEOSContext) throws -> Facts {
        guard let e = parcel.envelope else {
            return Facts(before: ParcelClassAreas(areas: [:]), after: after.map { _ in ParcelClassAreas(areas: [:]) }, overlaps: [:])
        }
        let window = ConvexClip.convexRing(parcel)
        let ib = beforeIndex.query(e)
        let b = try ParcelClassAreas.compute(parcel: parcel, window: window, indices: ib, codes: beforeCodes, rings: beforeRings,
                                             geometries: { ib.map { before[$0].geometry } }, sliverArea: sliverArea, geos: geos)
        var a: ParcelClassAreas? = nil
        if let after, let afterIndex, let afterRings, let afterCodes {
            let ia = afterIndex.query(e)
            a = try ParcelClassAreas.compute(parcel: parcel, window: window, indices: ia, codes: afterCodes, rings: afterRings,
                                             geometries: { ia.map { after[$0].geometry } }, sliverArea: sliverArea, geos: geos)
        }
        var overlaps: [String: ParcelOverlap] = [:]
        for (role, layer) in layers where !layer.polygons.isEmpty {
            let ids = layer.index.query(e), near = ids.map { layer.polygons[$0] }
            let area = try OverlapArea.area(parcel: parcel, window: window, near, rings: ids.map { layer.rings[$0] }, geos: geos)
            var o = ParcelOverlap(area: area, point: nil, bbox: nil, boundary: 0)
            if located.contains(role), area > 0 {
                // Located by GEOS: a point inside, the box and the boundary of the overlap.
                let u = near.count == 1 ? try geos.make(near[0]) : try geos.unaryUnion(try near.map { try geos.make($0) })
                let inter = try geos.make(parcel).intersection(u)
                o.area = try inter.area()
                if o.area > 0 {
                    o.point = try inter.pointOnSurface().value().sequences.first?.xy.first
                    o.bbox = try inter.envelope(); o.boundary = try inter.length()
                }
            }
            overlaps[role] = o
        }
        return Facts(before: b, after: a, overlaps: overlaps)
    }
}
