import CPROJ
import Foundation

/// Gauss–Krüger (transverse Mercator) grid coordinates back to longitude/latitude on the same
/// ellipsoid, by Krüger's series in the third flattening n to order n⁶ (Karney 2011,
/// "Transverse Mercator with an accuracy of a few nanometers", J. Geod. 85:475–485, eqs. 11,
/// 15 and the series of §4; the algorithm PROJ runs for `+proj=tmerc` by default, Poder and
/// Engsager's, uses the same series). The truncation error is below 5 nm within 4 000 km of the
/// central meridian; a Gauss–Krüger zone is at most 3.5° (≈ 400 km) wide.
///
/// Why not PROJ: PROJ computes the same numbers but through a pipeline of steps per point
/// (≈ 260 ns here) and needs a context (and its proj.db look-ups) per thread; this is a value,
/// `Sendable`, used on every core at once, ≈ 4× faster. It is used only when the CRS's own
/// conversion, read from PROJ, is a transverse Mercator with latitude of origin 0 (every
/// CGCS2000 Gauss–Krüger zone); `LonLatConversion` falls back to PROJ otherwise. Tests compare
/// it with PROJ point by point (`TransverseMercatorTests`).
///
/// Units: grid coordinates in metres, easting first (`XY.x` easting, `XY.y` northing);
/// results in degrees, longitude first, on the CRS's own geodetic datum (for CGCS2000 zones:
/// EPSG:4490).
public struct TransverseMercatorInverse: Sendable, Hashable {
    /// Central meridian, radians east (kept in radians and added before converting, as PROJ does).
    let lon0: Double
    /// Central meridian, degrees east.
    public var centralMeridian: Double { lon0 * 180 / .pi }
    /// Scale factor on the central meridian.
    public let scale: Double
    /// False easting and northing, m.
    public let falseEasting: Double
    public let falseNorthing: Double
    /// k0 × the rectifying radius A, m (Karney eq. 14).
    let scaledRadius: Double
    /// β_j: grid (ξ, η) → conformal sphere (ξ′, η′), j = 1…6 (lanes 0–5; SIMD storage: no
    /// reference counting in the per-point loop).
    let beta: SIMD8<Double>
    /// δ_j: conformal latitude χ → geodetic latitude φ, j = 1…6 (lanes 0–5).
    let delta: SIMD8<Double>

    /// A projection with latitude of origin 0.
    /// - Parameters: `semiMajorAxis` in m; `inverseFlattening` 1/f; `centralMeridian` in radians;
    ///   `falseEasting`, `falseNorthing` in m.
    public init(semiMajorAxis a: Double, inverseFlattening: Double, centralMeridianRadians: Double, scale: Double,
                falseEasting: Double, falseNorthing: Double) {
        self.lon0 = centralMeridianRadians; self.scale = scale
        self.falseEasting = falseEasting; self.falseNorthing = falseNorthing
        let f = 1 / inverseFlattening
        let n = f / (2 - f)
        let n2 = n * n
        scaledRadius = scale * a / (1 + n) * (1 + n2 * (1.0 / 4 + n2 * (1.0 / 64 + n2 / 256)))
        // Polynomials in n, lowest power first, for j = 1…6 (Karney 2011 §4; Krüger 1912).
        func poly(_ c: [Double], from power: Int) -> Double {
            var s = 0.0
            for k in c.indices.reversed() { s = s * n + c[k] }
            return s * pow(n, Double(power))
        }
        func lanes(_ v: [Double]) -> SIMD8<Double> { var x = SIMD8<Double>(); for (k, c) in v.enumerated() { x[k] = c }; return x }
        beta = lanes([
            poly([1.0 / 2, -2.0 / 3, 37.0 / 96, -1.0 / 360, -81.0 / 512, 96199.0 / 604800], from: 1),
            poly([1.0 / 48, 1.0 / 15, -437.0 / 1440, 46.0 / 105, -1118711.0 / 3870720], from: 2),
            poly([17.0 / 480, -37.0 / 840, -209.0 / 4480, 5569.0 / 90720], from: 3),
            poly([4397.0 / 161280, -11.0 / 504, -830251.0 / 7257600], from: 4),
            poly([4583.0 / 161280, -108847.0 / 3991680], from: 5),
            poly([20648693.0 / 638668800], from: 6),
        ])
        delta = lanes([
            poly([2, -2.0 / 3, -2, 116.0 / 45, 26.0 / 45, -2854.0 / 675], from: 1),
            poly([7.0 / 3, -8.0 / 5, -227.0 / 45, 2704.0 / 315, 2323.0 / 945], from: 2),
            poly([56.0 / 15, -136.0 / 35, -1262.0 / 105, 73814.0 / 2835], from: 3),
            poly([4279.0 / 630, -332.0 / 35, -399572.0 / 14175], from: 4),
            poly([4174.0 / 315, -144838.0 / 6237], from: 5),
            poly([601676.0 / 22275], from: 6),
        ])
    }

    /// The inverse of a projected CRS's own conversion (`pj`, a PROJ CRS object on `ctx`),
    /// when it is a transverse Mercator with latitude of origin 0 on an ellipsoid of semi-major
    /// axis `a` and inverse flattening `invf`; nil for any other. Parameters come from PROJ
    /// (EPSG parameter codes 8801, 8802, 8805, 8806, 8807, converted to radians and metres).
    /// Read once, when the `CRS` value is made (`CRS.transverseMercator`).
    static func read(_ pj: OpaquePointer, _ ctx: OpaquePointer, semiMajorAxis a: Double, inverseFlattening invf: Double) -> TransverseMercatorInverse? {
        guard a > 0, invf > 0, let op = proj_crs_get_coordoperation(ctx, pj) else { return nil }
        defer { proj_destroy(op) }
        var name: UnsafePointer<CChar>? = nil, auth: UnsafePointer<CChar>? = nil, code: UnsafePointer<CChar>? = nil
        guard proj_coordoperation_get_method_info(ctx, op, &name, &auth, &code) != 0,
              auth.map({ String(cString: $0) }) == "EPSG", code.map({ String(cString: $0) }) == "9807" else { return nil }
        var values: [Int: Double] = [:]
        for i in 0..<proj_coordoperation_get_param_count(ctx, op) {
            var pcode: UnsafePointer<CChar>? = nil, value = 0.0, factor = 0.0
            guard proj_coordoperation_get_param(ctx, op, i, nil, nil, &pcode, &value, nil, &factor, nil, nil, nil, nil) != 0,
                  let c = pcode.flatMap({ Int(String(cString: $0)) }) else { continue }
            values[c] = value * factor   // radians (angles), metres, unity
        }
        guard let lat0 = values[8801], lat0 == 0, let lon0 = values[8802], let k0 = values[8805],
              let fe = values[8806], let fn = values[8807] else { return nil }
        return TransverseMercatorInverse(semiMajorAxis: a, inverseFlattening: invf,
                                         centralMeridianRadians: lon0, scale: k0, falseEasting: fe, falseNorthing: fn)
    }

    /// Longitude and latitude, degrees, of grid point `p` (m). Non-finite when `p` is outside
    /// the projection's domain (|η| > 2.6, about 150° from the central meridian) or not finite.
    public func lonLat(_ p: XY) -> XY {
        let xi = (p.y - falseNorthing) / scaledRadius, eta = (p.x - falseEasting) / scaledRadius
        guard abs(eta) <= 2.6, xi.isFinite else { return XY(.infinity, .infinity) }
        // ξ′ + iη′ = ζ − Σ β_j sin(2jζ), ζ = ξ + iη: sin(2jζ) by the recurrence
        // sin((j+1)w) = 2 cos(w) sin(jw) − sin((j−1)w), w = 2ζ, in complex numbers.
        // Four transcendental calls per point: sin ξ, cos ξ, and two arc tangents; the rest are
        // double-angle identities and short series of the small quantities (|η| < 0.1 in any
        // Gauss–Krüger zone; exp beyond that).
        let sinXi0 = sin(xi), cosXi0 = cos(xi)
        let s2 = 2 * sinXi0 * cosXi0, c2 = (cosXi0 - sinXi0) * (cosXi0 + sinXi0)
        let (sh, ch) = Self.sinhCosh(2 * eta)
        let (cosR, cosI) = (c2 * ch, -s2 * sh)          // cos w
        var (sR, sI) = (s2 * ch, c2 * sh)               // sin w
        var (pR, pI) = (0.0, 0.0)                       // sin 0w
        var dXi = 0.0, dEta = 0.0
        for k in 0..<6 {
            let b = beta[k]
            dXi += b * sR; dEta += b * sI
            let nR = 2 * (cosR * sR - cosI * sI) - pR, nI = 2 * (cosR * sI + cosI * sR) - pI
            (pR, pI) = (sR, sI); (sR, sI) = (nR, nI)
        }
        // ξ′ = ξ − dξ: with |dξ| < 1e-3 (every Gauss–Krüger zone), sin and cos of ξ′ from those
        // of ξ (series of dξ to the 7th and 6th power: remainder below 1e-27); else directly.
        let d = dXi, d2 = d * d
        let sinXi: Double, cosXi: Double
        if abs(d) < 1e-3 {
            let sinD = d * (1 - d2 / 6 * (1 - d2 / 20 * (1 - d2 / 42))), cosD = 1 - d2 / 2 * (1 - d2 / 12 * (1 - d2 / 30))
            sinXi = sinXi0 * cosD - cosXi0 * sinD; cosXi = cosXi0 * cosD + sinXi0 * sinD
        } else {
            sinXi = sin(xi - d); cosXi = cos(xi - d)
        }
        let sinhEta = Self.sinhCosh(eta - dEta).sinh
        let lambda = atan2(sinhEta, cosXi)
        // χ = atan2(sin ξ′, r): its sine and cosine, and those of 2χ, without more calls.
        let r = (sinhEta * sinhEta + cosXi * cosXi).squareRoot()
        let h = (sinXi * sinXi + r * r).squareRoot()
        let sinChi = sinXi / h, cosChi = r / h
        let chi = atan2(sinXi, r)
        let sin2 = 2 * sinChi * cosChi, x2 = 2 * (cosChi * cosChi - sinChi * sinChi)
        // φ = χ + Σ δ_j sin(2jχ) (Clenshaw).
        var u0 = 0.0, u1 = 0.0
        for k in (0..<6).reversed() { let t = x2 * u0 - u1 + delta[k]; u1 = u0; u0 = t }
        let phi = chi + sin2 * u0
        return XY((lon0 + lambda) * 180 / .pi, phi * 180 / .pi)
    }

    /// sinh x and cosh x: Taylor series to x¹³ for |x| < 0.1 (remainder below 1e-18 of the
    /// value), else from one exp.
    @inline(__always)
    static func sinhCosh(_ x: Double) -> (sinh: Double, cosh: Double) {
        if abs(x) < 0.1 {
            let x2 = x * x
            let sh = x * (1 + x2 / 6 * (1 + x2 / 20 * (1 + x2 / 42 * (1 + x2 / 72 * (1 + x2 / 110 * (1 + x2 / 156))))))
            let ch = 1 + x2 / 2 * (1 + x2 / 12 * (1 + x2 / 30 * (1 + x2 / 56 * (1 + x2 / 90 * (1 + x2 / 132)))))
            return (sh, ch)
        }
        let e = exp(x)
        return ((e - 1 / e) / 2, (e + 1 / e) / 2)
    }

    /// Converts `points` in place on all cores (in order; no context needed). Throws with the
    /// index of the first point outside the domain or not finite.
    public func convertOnAllCores(_ points: inout [XY], minimumPerWorker: Int = 16_384) throws {
        let n = points.count
        try points.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let base = buf.baseAddress
            let bad = Parallel.ranges(n, workers: Parallel.cores, minimumPerWorker: minimumPerWorker) { range -> Int? in
                var first: Int? = nil
                for i in range {
                    let q = lonLat(base![i])
                    if first == nil, !q.isFinite { first = i }
                    base![i] = q
                }
                return first
            }.compactMap { $0 }.min()
            if let bad {
                throw GeoError.proj(operation: "inverse transverse Mercator", messages: ["coordinate \(bad) could not be transformed"])
            }
        }
    }
}

/// Coordinates of a CRS to CGCS2000 longitude/latitude (EPSG:4490), degrees, longitude first:
/// by Krüger's series (`TransverseMercatorInverse`) when the CRS is a CGCS2000 transverse
/// Mercator (every working CRS of EcoCredit, a Gauss–Krüger zone), else by PROJ. A value:
/// it holds no PROJ object; the PROJ path makes a transformer on the context it is given.
public struct LonLatConversion: Sendable {
    public let source: CRS
    /// The series, when it applies; nil: PROJ.
    public let series: TransverseMercatorInverse?

    /// Coordinates already in CGCS2000 longitude/latitude: converting leaves them as they are.
    let unchanged: Bool

    public init(from source: CRS, context: ProjContext) throws {
        self.source = source
        series = source.isCGCS2000 ? source.transverseMercator : nil
        unchanged = false
    }

    private init(unchanged source: CRS) { self.source = source; series = nil; unchanged = true }

    /// For coordinates already converted (`source`: the CGCS2000 geographic CRS they are in).
    public static func unchanged(_ source: CRS) -> LonLatConversion { LonLatConversion(unchanged: source) }

    /// Converts `points` in place, on all cores. `context`: used by the PROJ path on this
    /// thread (other workers make their own).
    public func convert(_ points: inout [XY], context: ProjContext) throws {
        if unchanged { return }
        if let series { try series.convertOnAllCores(&points); return }
        try CoordinateTransformer(from: source, to: try CRS.epsg(4490, context: context), context: context).transformOnAllCores(&points)
    }

    /// Converts `points` in place on this thread by `series`; throws for the first point it
    /// cannot convert.
    static func convert(_ points: inout [XY], by series: TransverseMercatorInverse) throws {
        for i in points.indices {
            let q = series.lonLat(points[i])
            guard q.isFinite else { throw GeoError.proj(operation: "inverse transverse Mercator", messages: ["coordinate \(i) could not be transformed"]) }
            points[i] = q
        }
    }

    /// Converts `points` in place on this thread. `context`: the PROJ path's context (one is
    /// made when nil); unused by the series.
    public func convertHere(_ points: inout [XY], context: ProjContext?) throws {
        if unchanged { return }
        if let series { try Self.convert(&points, by: series); return }
        let ctx = try context ?? ProjContext()
        try CoordinateTransformer(from: source, to: try CRS.epsg(4490, context: ctx), context: ctx).transform(&points)
    }
}
