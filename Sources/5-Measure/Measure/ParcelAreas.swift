import Foundation
import GeoCore
import GeometryAlgorithms

/// A credit quantity in fixed point: an integer count of 0.0001 units (vouchers, §8). Never a
/// binary floating-point value once computed.
public struct CreditQuantity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Ten-thousandths of a unit.
    public let tenThousandths: Int64
    public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

    /// The rounding guard, in steps of 0.0001 unit.
    ///
    /// **Departure from measurement-methods §8**, which asks for 1e-9 of a step "against binary
    /// noise". Coordinates stored in degrees (EPSG:4490) carry about 1e-9 m of storage noise
    /// per vertex, which puts areas about 1e-7 m² off: the Jiangyin sample parcel JY-001,
    /// designed as 7.2 mu forest + 4.8 mu paddy = 9.6 units, measures 9.59999999987 units,
    /// 1.3e-6 of a step below 9.6, and the spec's guard floors it to 9.5999. A guard of 1e-4
    /// of a step (1e-8 unit, about 7e-6 m² of forest) is far below any survey's precision and
    /// above storage noise, so a designed 9.6 stays 9.6.
    public static let guardSteps = 1e-4

    /// Rounded down to 0.0001 with the guard (§8, supply side).
    public static func floor(_ units: Double) -> CreditQuantity {
        CreditQuantity(tenThousandths: Int64((units * 10_000 + guardSteps).rounded(.down)))
    }
    /// Rounded up to 0.0001 with the same guard (§8, demand side: a liability).
    public static func ceil(_ units: Double) -> CreditQuantity {
        CreditQuantity(tenThousandths: Int64((units * 10_000 - guardSteps).rounded(.up)))
    }
    public static func + (a: CreditQuantity, b: CreditQuantity) -> CreditQuantity { .init(tenThousandths: a.tenThousandths + b.tenThousandths) }
    public static func < (a: CreditQuantity, b: CreditQuantity) -> Bool { a.tenThousandths < b.tenThousandths }
    public static let zero = CreditQuantity(tenThousandths: 0)
    /// "12.3456" (sign and four decimals, exact).
    public var description: String {
        let sign = tenThousandths < 0 ? "-" : "", v = abs(tenThousandths)
        let frac = String(v % 10_000)
        return "\(sign)\(v / 10_000).\(String(repeating: "0", count: 4 - frac.count))\(frac)"
    }
}



/// Square metres per mu (1 mu = 10000/15 m²).
public let squareMetresPerMu = 10_000.0 / 15.0

/// Land-class areas inside one parcel (§8): area(parcel ∩ union of the class's land-use
/// polygons), with slivers (connected pieces of 0 < area < `sliverArea` m²) dropped and counted.
public struct ParcelClassAreas: Sendable, Equatable {
    /// Class code → area, m².
    public var areas: [String: Double]
    public var sliversDropped: Int
    public var sliverArea: Double

    public init(areas: [String: Double], sliversDropped: Int = 0, sliverArea: Double = 0) {
        self.areas = areas; self.sliversDropped = sliversDropped; self.sliverArea = sliverArea
    }

    /// Convex parcels whose convex land-use pieces neither overlap within a class nor fall
    /// under `sliverArea` are measured by `ConvexClip` (the same areas, without an overlay);
    /// everything else by GEOS.
    public static func compute(parcel: Geometry, landuse: [(code: String, geometry: Geometry)], sliverArea: Double = 1,
                               geos: GEOSContext) throws -> ParcelClassAreas {
        try compute(parcel: parcel, window: ConvexClip.convexRing(parcel), landuse: landuse, sliverArea: sliverArea, geos: geos)
    }

    /// The same, with the parcel's convex ring already found (nil: not convex).
    static func compute(parcel: Geometry, window: [XY]?, landuse: [(code: String, geometry: Geometry)],
                        sliverArea: Double, geos: GEOSContext) throws -> ParcelClassAreas {
        var scratch = ConvexClip.Scratch()
        let rings = ConvexRings(landuse.map(\.geometry))
        return try withOptionalBuffer(window) { w in
            try compute(parcel: parcel, window: w, indices: Array(landuse.indices), codes: landuse.map(\.code.trimmingSpaces), rings: rings,
                        geometries: { landuse.map(\.geometry) }, sliverArea: sliverArea, scratch: &scratch, geos: geos)
        }
    }

    /// The same for the polygons at `indices` of whole-layer arrays of trimmed class codes and
    /// convex rings; `geometries` (the polygons at `indices`, in order) is asked for only when
    /// GEOS has to measure. `scratch` is the calling task's clip buffers.
    static func compute(parcel: Geometry, window: UnsafeBufferPointer<XY>?, indices: [Int], codes: [String], rings: ConvexRings,
                        geometries: () -> [Geometry], sliverArea: Double, scratch: inout ConvexClip.Scratch,
                        geos: GEOSContext) throws -> ParcelClassAreas {
        if let window {
            // Classes in order of first appearance, each with its polygons in index order (a
            // parcel meets a handful of polygons: no hashing).
            var areas: [String: Double] = [:]
            var convex = true
            scratch.seen.removeAll(keepingCapacity: true)
            for (p, i) in indices.enumerated() {
                let code = codes[i]
                if scratch.seen.contains(code) { continue }
                scratch.seen.append(code)
                scratch.members.removeAll(keepingCapacity: true)
                for q in indices[p...] where codes[q] == code { scratch.members.append(q) }
                let members = scratch.members   // shared, not copied: the clip below does not touch it
                guard ConvexClip.pieceAreas(window, count: members.count, ring: { rings.withRing(members[$0], $1) }, tiny: sliverArea, scratch: &scratch)
                else { convex = false; break }
                let total = scratch.areas.reduce(0, +)
                if total > 0 { areas[code] = total }
            }
            if convex { return ParcelClassAreas(areas: areas, sliversDropped: 0, sliverArea: 0) }
        }
        var byClass: [String: [Geometry]] = [:]
        for (k, g) in geometries().enumerated() { byClass[codes[indices[k]], default: []].append(g) }
        let p = try geos.make(parcel)
        var out = ParcelClassAreas(areas: [:], sliversDropped: 0, sliverArea: 0)
        for (code, gs) in byClass.sorted(by: { $0.key < $1.key }) {
            // One polygon needs no dissolving (a valid polygon is its own union).
            let classGeometry = gs.count == 1 ? try geos.make(gs[0]) : try geos.unaryUnion(try gs.map { try geos.make($0) })
            let inter = try p.intersection(classGeometry)
            var total = 0.0
            for i in 0..<max(inter.partCount, 1) {
                let piece = inter.partCount > 0 ? try inter.part(i) : inter
                let a = try piece.area()
                if a > 0 && a < sliverArea { out.sliversDropped += 1; out.sliverArea += a } else { total += a }
            }
            if total > 0 { out.areas[code] = total }
        }
        return out
    }
}

/// A conversion-coefficient table (JY Art. 19): class code (or code prefix) → coefficient.
public struct CoefficientTable: Sendable, Equatable {
    public var coefficients: [String: Double]
    public init(_ coefficients: [String: Double]) { self.coefficients = coefficients }

    /// Exact code, else the longest key that prefixes it, else 0 (§8).
    public func coefficient(_ code: String) -> Double {
        if let c = coefficients[code] { return c }
        return coefficients.filter { code.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value ?? 0
    }

    /// Supply side (§8): Σ mu(after)·c − Σ mu(before)·c, rounded down to 0.0001.
    public func vouchersEarned(before: ParcelClassAreas, after: ParcelClassAreas) -> CreditQuantity {
        .floor(weightedMu(after) - weightedMu(before))
    }

    /// Demand side (§8, JY Art. 31, 34): Σ mu(ecological class)·c over the current land use,
    /// rounded up to 0.0001. Ecological: codes beginning 00–04 or 11, except 1109.
    public func vouchersRequired(current: ParcelClassAreas) -> CreditQuantity {
        let eco = current.areas.filter { CoefficientTable.isEcological($0.key) }
        return .ceil(weightedMu(ParcelClassAreas(areas: eco, sliversDropped: 0, sliverArea: 0)))
    }

    public static func isEcological(_ code: String) -> Bool {
        ["00", "01", "02", "03", "04", "11"].contains { code.hasPrefix($0) } && !code.hasPrefix("1109")
    }

    func weightedMu(_ a: ParcelClassAreas) -> Double {
        a.areas.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value / squareMetresPerMu * coefficient($1.key) }
    }
}
