import GeoCore
import GeometryAlgorithms

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
    let before: ClassLayer, after: ClassLayer?
    /// Eligibility layers, by role name order.
    let layers: [EligibilityLayer]
    let sliverArea: Double

    /// A land-use layer prepared for many parcels: trimmed class codes, an envelope index and
    /// the convex rings of its polygons, all found once.
    struct ClassLayer: Sendable {
        let polygons: ClassPolygons
        let codes: [String]
        let index: EnvelopeIndex
        let rings: ConvexRings

        init(_ polygons: ClassPolygons) {
            let gs = polygons.map(\.geometry)
            self.polygons = polygons
            codes = polygons.map(\.code.trimmingSpaces)
            index = EnvelopeIndex(gs.map { $0.envelope ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) })
            rings = ConvexRings(gs)
        }

        /// The class areas of one parcel (envelope `e`, convex ring `window` or nil).
        func areas(_ parcel: Geometry, _ e: Envelope, window: UnsafeBufferPointer<XY>?, sliverArea: Double,
                   work: inout ParcelOverlay.Work, geos: GEOSContext) throws -> ParcelClassAreas {
            index.query(e, into: &work.hits, scratch: &work.found)
            let ids = work.hits
            return try ParcelClassAreas.compute(parcel: parcel, window: window, indices: ids, codes: codes, rings: rings,
                                                geometries: { ids.map { polygons[$0].geometry } }, sliverArea: sliverArea,
                                                scratch: &work.clip, geos: geos)
        }
    }

    /// An eligibility layer (JY Art. 9–10) prepared for many parcels.
    struct EligibilityLayer: Sendable {
        let role: String
        let polygons: [Geometry]
        let index: EnvelopeIndex
        let rings: ConvexRings
        /// Whether overlaps are located (point, box, boundary) or give their area only.
        let located: Bool

        init(role: String, polygons: [Geometry], located: Bool) {
            self.role = role; self.polygons = polygons; self.located = located
            index = EnvelopeIndex(polygons.map { $0.envelope ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) })
            rings = ConvexRings(polygons)
        }

        func overlap(_ parcel: Geometry, _ e: Envelope, window: UnsafeBufferPointer<XY>?,
                     work: inout ParcelOverlay.Work, geos: GEOSContext) throws -> ParcelOverlap {
            index.query(e, into: &work.hits, scratch: &work.found)
            let ids = work.hits
            let area = try OverlapArea.area(parcel: parcel, window: window, ids.map { polygons[$0] }, rings: rings, ids: ids,
                                            scratch: &work.clip, geos: geos)
            var o = ParcelOverlap(area: area, point: nil, bbox: nil, boundary: 0)
            guard located, area > 0 else { return o }
            // Located by GEOS: a point inside, the box and the boundary of the overlap.
            let near = ids.map { polygons[$0] }
            let u = near.count == 1 ? try geos.make(near[0]) : try geos.unaryUnion(try near.map { try geos.make($0) })
            let inter = try geos.make(parcel).intersection(u)
            o.area = try inter.area()
            if o.area > 0 {
                o.point = try inter.pointOnSurface().value().sequences.first?.xy.first
                o.bbox = try inter.envelope(); o.boundary = try inter.length()
            }
            return o
        }
    }

    /// Results for one parcel.
    public struct Facts: Sendable, Equatable {
        public var before: ParcelClassAreas
        public var after: ParcelClassAreas?
        public var overlaps: [String: ParcelOverlap]
    }

    /// `after` nil: the land-supply case (current land use only). `layers`: role → polygons.
    public init(before: ClassPolygons, after: ClassPolygons?, layers: [String: [Geometry]], located: Set<String>, sliverArea: Double) {
        // The two land-use layers are prepared side by side (each is a plain value).
        let both = [before] + (after.map { [$0] } ?? [])
        let built = Array(Parallel.ranges(both.count, minimumPerWorker: 1) { r in r.map { ClassLayer(both[$0]) } }.joined())
        self.before = built[0]; self.after = built.count > 1 ? built[1] : nil
        self.layers = layers.sorted { $0.key < $1.key }.filter { !$0.value.isEmpty }
            .map { EligibilityLayer(role: $0.key, polygons: $0.value, located: located.contains($0.key)) }
        self.sliverArea = sliverArea
    }

    /// The facts of every parcel, in input order.
    public func measure(_ parcels: [Geometry]) throws -> [Facts] {
        Array(try Parallel.ranges(parcels.count, minimumPerWorker: 64) { range in
            let geos = try GEOSContext()
            var work = Work(), out: [Facts] = []
            out.reserveCapacity(range.count)
            for i in range {
                let p = parcels[i]
                work.window.removeAll(keepingCapacity: true)
                let convex = ConvexClip.appendConvexRing(p, strict: false, to: &work.window)
                let ring = work.window
                out.append(try ring.withUnsafeBufferPointer { w in try facts(p, window: convex ? w : nil, geos: geos, work: &work) })
            }
            return out
        }.joined())
    }

    /// One task's reusable buffers: the parcel's ring, index hits and clip buffers.
    struct Work {
        var window: [XY] = [], hits: [Int] = [], found: [Int] = [], clip = ConvexClip.Scratch()
    }

    func facts(_ parcel: Geometry, window: UnsafeBufferPointer<XY>?, geos: GEOSContext, work: inout Work) throws -> Facts {
        guard let e = parcel.envelope else {
            return Facts(before: ParcelClassAreas(areas: [:]), after: after.map { _ in ParcelClassAreas(areas: [:]) }, overlaps: [:])
        }
        let b = try before.areas(parcel, e, window: window, sliverArea: sliverArea, work: &work, geos: geos)
        let a = try after?.areas(parcel, e, window: window, sliverArea: sliverArea, work: &work, geos: geos)
        var overlaps: [String: ParcelOverlap] = [:]
        overlaps.reserveCapacity(layers.count)
        for k in layers.indices { overlaps[layers[k].role] = try layers[k].overlap(parcel, e, window: window, work: &work, geos: geos) }
        return Facts(before: b, after: a, overlaps: overlaps)
    }
}
