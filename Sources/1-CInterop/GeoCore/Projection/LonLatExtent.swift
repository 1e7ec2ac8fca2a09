import Foundation

/// The longitude/latitude bounding box (CGCS2000 degrees) of many points: exactly the box of
/// the points as PROJ transforms them, without transforming every point when it can be proved
/// that a point cannot be an extreme.
///
/// For a CGCS2000 Gauss–Krüger CRS (transverse Mercator) the proof is monotonicity: in the
/// northern hemisphere and within 1000 km of the central meridian, longitude increases with
/// easting at any northing and, at any easting, moves monotonically with northing; latitude
/// increases with northing at any easting and, at any northing, falls away from the central
/// meridian on both sides. So over an axis-aligned box of easting/northing the extreme
/// longitudes are at its corners and the extreme latitudes at its corners or on its top edge
/// at the central meridian. Points are taken in blocks of consecutive vertices; each block's
/// box gives bounds, one vertex of each block gives a value actually reached, and only blocks
/// whose bound could beat that value (less a 1e-9° margin against rounding) are transformed in
/// full. The result equals the full transform's box (tested), at a few per cent of its cost.
/// Points are converted by Krüger's series (`TransverseMercatorInverse`, within 1e-12° of PROJ)
/// for a CGCS2000 Gauss–Krüger CRS: no operation is looked up in proj.db.
/// Any other CRS, or points outside that region, are transformed in full.
public enum LonLatExtent {
    /// Vertices per block.
    static let block = 256
    /// Blocks whose bound is within this many degrees of the best value reached are transformed.
    static let margin = 1e-9

    /// The box of `points` (finite, in `crs`) in CGCS2000 longitude/latitude, or nil for none.
    /// `context` is used on this thread only; the full transform, when needed, runs on all
    /// cores with one PROJ context per worker.
    public static func of(_ points: [XY], crs: CRS, cgcs: CRS, context: ProjContext) throws -> Envelope? {
        guard !points.isEmpty else { return nil }
        if let zone = crs.gaussKruger, let env = Envelope(of: points), zone.monotoneRegion.contains(env) {
            // Krüger's series when it applies (no operation search in proj.db), else PROJ.
            if cgcs.epsg == 4490, let series = try LonLatConversion(from: crs, context: context).series {
                return try pruned(points, centralEasting: zone.centralEasting) { try LonLatConversion.convert(&$0, by: series) }
            }
            let t = try CoordinateTransformer(from: crs, to: cgcs, context: context)
            return try pruned(points, centralEasting: zone.centralEasting) { try t.transform(&$0) }
        }
        return try full(points, crs: crs, cgcs: cgcs, context: context)
    }

    /// Every point transformed, on all cores (the reference the pruned path must equal).
    static func full(_ points: [XY], crs: CRS, cgcs: CRS, context: ProjContext) throws -> Envelope? {
        var all = points
        try CoordinateTransformer(from: crs, to: cgcs, context: context).transformOnAllCores(&all)
        return Envelope(of: all)
    }

    static func pruned(_ points: [XY], centralEasting x0: Double, convert: (inout [XY]) throws -> Void) throws -> Envelope? {
        let blocks = stride(from: 0, to: points.count, by: block).map { $0..<min($0 + block, points.count) }
        // Per block: 4 corners, the top edge at the central meridian (clamped to the box), one vertex.
        let n = 6
        var probe: [XY] = []
        probe.reserveCapacity(blocks.count * n)
        for r in blocks {
            let e = Envelope(of: points[r])!
            let xc = min(max(x0, e.minX), e.maxX)
            probe += [XY(e.minX, e.minY), XY(e.minX, e.maxY), XY(e.maxX, e.minY), XY(e.maxX, e.maxY),
                      XY(xc, e.maxY), points[r.lowerBound]]
        }
        try convert(&probe)
        // Bounds of each block: lon from the corners; lat from the corners and the top edge at x0.
        var lonLo: [Double] = [], lonHi: [Double] = [], latLo: [Double] = [], latHi: [Double] = []
        var reached = Envelope(of: stride(from: n - 1, to: probe.count, by: n).map { probe[$0] })!
        for b in blocks.indices {
            let corners = Envelope(of: probe[(b * n)..<(b * n + 4)])!
            lonLo.append(corners.minX); lonHi.append(corners.maxX)
            latLo.append(corners.minY); latHi.append(max(corners.maxY, probe[b * n + 4].y))
        }
        // Blocks that could hold a value beyond the one reached, on any side, are transformed in full.
        var candidates: [Int] = []
        for b in blocks.indices where lonLo[b] < reached.minX + margin || lonHi[b] > reached.maxX - margin
            || latLo[b] < reached.minY + margin || latHi[b] > reached.maxY - margin {
            candidates.append(b)
        }
        var exact = candidates.flatMap { points[blocks[$0]] }
        try convert(&exact)
        if let e = Envelope(of: exact) { reached.include(e) }
        return reached
    }
}

extension GaussKrugerZone {
    /// Zone number: 3° zones are numbered CM/3, 6° zones (CM + 3)/6.
    public var zoneNumber: Int { widthDegrees == 3 ? centralMeridian / 3 : (centralMeridian + 3) / 6 }
    /// Easting of the central meridian, m: 500 km, with the zone number in front when prefixed.
    public var centralEasting: Double { 500_000 + (zonePrefixed ? Double(zoneNumber) * 1_000_000 : 0) }
    /// Where `LonLatExtent`'s monotonicity argument is used: 1000 km either side of the central
    /// meridian, northings 0–6500 km (the equator to about 58°N).
    var monotoneRegion: Envelope {
        Envelope(minX: centralEasting - 1_000_000, minY: 0, maxX: centralEasting + 1_000_000, maxY: 6_500_000)
    }
}

extension Envelope {
    /// Whether `e` lies inside this box (edges included).
    public func contains(_ e: Envelope) -> Bool { e.minX >= minX && e.maxX <= maxX && e.minY >= minY && e.maxY <= maxY }
}
