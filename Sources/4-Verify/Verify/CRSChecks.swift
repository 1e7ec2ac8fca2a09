import Foundation
import GeoCore
import Rules
import Submission

/// Coordinate reference systems and position (measurement-methods §0): accepted CRSs,
/// rejected datums with the reason, swapped axes, the extent of China and the declared district.
enum CRSChecks {
    /// China's extent in CGCS2000 degrees, generous enough for the South China Sea islands.
    static let china = Envelope(minX: 73.4, minY: 3.8, maxX: 135.1, maxY: 53.6)

    /// The finding for a layer read but in a CRS that cannot be used.
    static func rejected(_ layer: VectorLayer, role: String, error: Error, root: String) -> Finding {
        let file = relativePath(layer.path, root: root)
        guard let crs = layer.crs else { return Finding(.crsUnknown, role: role, layer: file) }
        let message: FindingMessage
        if crs.isBeijing1954 || crs.isXian1980 {
            message = .datumWithoutParameters(beijing1954: crs.isBeijing1954, crs: crs.name, datum: crs.datum)
        } else if crs.isWGS84 {
            message = .wgs84Projected(crs: crs.name)
        } else {
            message = .notCGCS2000(crs: crs.name, datum: crs.datum, detail: "\(error)")
        }
        return Finding(message, role: role, layer: file)
    }

    /// Notes on an accepted layer's CRS: `.prj` missing but the manifest's used, `.prj` over
    /// the manifest, WGS 84 used as CGCS2000.
    static func accepted(_ ins: Inspection, _ li: Int) -> [Finding] {
        let layer = ins.set.layers[li]
        let file = ins.file(layer)
        var out: [Finding] = []
        let manifestCRS = ins.manifest?.crs
        if layer.source.crs == nil, let m = manifestCRS {
            out.append(Finding(.prjMissingManifestUsed(crs: m), severity: .warning, role: layer.role, layer: file))
        }
        if let c = layer.source.crs, let m = manifestCRS {
            out.append(Finding(.prjOverManifest(prj: c.label, manifest: m), role: layer.role, layer: file))
        }
        if let c = layer.source.crs, c.isWGS84 {
            out.append(Finding(.wgs84AsCGCS2000, role: layer.role, layer: file))
        }
        return out
    }

    /// A layer refused for its position; carries the finding to report.
    struct PositionRefusal: Error { let finding: Finding }

    /// Swapped axes and coordinates outside China, from a layer's source coordinates in the
    /// CRS it is taken in. A layer with either is not used further.
    static func position(_ layer: VectorLayer, role: String, crs: CRS, proj: ProjContext, root: String) -> Finding? {
        // Krüger's series for a CGCS2000 Gauss–Krüger CRS (no operation search in proj.db), else PROJ.
        guard let env = Envelope(of: layer.finiteVertices), let toLL = try? LonLatConversion(from: crs, context: proj) else { return nil }
        func lonLat(_ p: XY) -> XY? {
            var q = [p]
            guard (try? toLL.convertHere(&q, context: proj)) != nil, q[0].isFinite else { return nil }
            return q[0]
        }
        func inChina(_ p: XY) -> Bool { lonLat(p).map { china.contains($0) } ?? false }
        let c = env.center
        let file = relativePath(layer.path, root: root)
        let srcLabel = (layer.crs ?? crs).label
        if !inChina(c), inChina(XY(c.y, c.x)) {
            return Finding(.axesSwapped, role: role, layer: file,
                location: .init(source: c, sourceCRS: srcLabel, lonLat: lonLat(XY(c.y, c.x))))
        }
        let corners = [XY(env.minX, env.minY), XY(env.maxX, env.maxY), XY(env.minX, env.maxY), XY(env.maxX, env.minY)]
        if let bad = corners.first(where: { !inChina($0) }) {
            return Finding(.outsideChina, role: role, layer: file,
                location: .init(source: bad, sourceCRS: srcLabel, lonLat: lonLat(bad)))
        }
        return nil
    }

    /// Whether the data lie near the declared district (its centre and radius in the vocabulary).
    static func district(_ ins: Inspection) -> [Finding] {
        guard let name = ins.manifest?.district, !name.isEmpty else { return [] }
        guard let d = ins.vocabulary.district(named: name) else {
            return [Finding(.districtUnknown(name: name))]
        }
        let c = ins.set.lonLatBounds.center
        let km = Geodesic.cgcs2000.inverse(c, XY(d.lon, d.lat)).distance / 1000
        guard km > d.radius_km else { return [] }
        return [Finding(.farFromDistrict(centre: c, km: km, district: d.name, radiusKm: d.radius_km),
            location: .init(source: c, sourceCRS: "EPSG:4490", lonLat: c))]
    }
}

extension Envelope {
    func contains(_ p: XY) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
}
