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
        guard let crs = layer.crs else {
            return Finding(.prjMissing, role: role, layer: file, message: .init(
                zh: "缺少 .prj 文件，且 submission.json 未给出 crs：坐标系未知，图层不能使用",
                en: "no .prj file and no crs in submission.json: the CRS is unknown and the layer cannot be used"))
        }
        let code: FindingCode
        let zh: String, en: String
        if crs.isBeijing1954 || crs.isXian1980 {
            code = crs.isBeijing1954 ? .beijing1954 : .xian1980
            zh = "坐标系为 \(crs.name)（\(crs.datum)）：没有当地转换参数无法转换到 CGCS2000，请以 CGCS2000 坐标系重新提交"
            en = "\(crs.name) (datum \(crs.datum)) cannot be converted to CGCS2000 without local transformation parameters; resubmit in CGCS2000"
        } else if crs.isWGS84 {
            code = .wgs84Projected
            zh = "坐标系为 WGS 84 投影 \(crs.name)：没有当地参数无法转换，请以 CGCS2000 提交"
            en = "\(crs.name): WGS 84 projections cannot be converted without local parameters; submit in CGCS2000"
        } else {
            code = .notCGCS2000
            zh = "坐标系 \(crs.name)（\(crs.datum)）不是 CGCS2000：\(error)"
            en = "\(crs.name) (datum \(crs.datum)) is not CGCS2000: \(error)"
        }
        return Finding(code, role: role, layer: file, message: .init(zh: zh, en: en))
    }

    /// Notes on an accepted layer's CRS: `.prj` missing but the manifest's used, `.prj` over
    /// the manifest, WGS 84 used as CGCS2000.
    static func accepted(_ ins: Inspection, _ li: Int) -> [Finding] {
        let layer = ins.set.layers[li]
        let file = ins.file(layer)
        var out: [Finding] = []
        let manifestCRS = ins.manifest?.crs
        if layer.source.crs == nil, let m = manifestCRS {
            out.append(Finding(.prjMissing, severity: .warning, role: layer.role, layer: file, message: .init(
                zh: "缺少 .prj 文件，按 submission.json 的 crs（\(m)）处理", en: "no .prj file: the manifest's crs \(m) is used")))
        }
        if let c = layer.source.crs, let m = manifestCRS {
            out.append(Finding(.prjOverManifest, role: layer.role, layer: file, message: .init(
                zh: ".prj（\(c.label)）优先于 submission.json 的 crs（\(m)）", en: "the .prj (\(c.label)) wins over the manifest's crs (\(m))")))
        }
        if let c = layer.source.crs, c.isWGS84 {
            out.append(Finding(.wgs84, role: layer.role, layer: file, message: .init(
                zh: "坐标系为 WGS 84，按 CGCS2000 使用（不做基准转换，差异为厘米级）；正式提交应使用 CGCS2000，网络地图数据可能带有 GCJ-02 偏移",
                en: "WGS 84 is used as CGCS2000 without a datum shift (centimetre level); official submissions use CGCS2000, and web-map data may carry GCJ-02 offsets")))
        }
        return out
    }

    /// A layer refused for its position; carries the finding to report.
    struct PositionRefusal: Error { let finding: Finding }

    /// Swapped axes and coordinates outside China, from a layer's source coordinates in the
    /// CRS it is taken in. A layer with either is not used further.
    static func position(_ layer: VectorLayer, role: String, crs: CRS, proj: ProjContext, root: String) -> Finding? {
        guard let env = Envelope(of: layer.finiteVertices), let cgcs = try? CRS.epsg(4490, context: proj),
              let toLL = try? CoordinateTransformer(from: crs, to: cgcs, context: proj) else { return nil }
        func lonLat(_ p: XY) -> XY? {
            guard let q = try? toLL.transform(p), q.isFinite else { return nil }
            return q
        }
        func inChina(_ p: XY) -> Bool { lonLat(p).map { china.contains($0) } ?? false }
        let c = env.center
        let file = relativePath(layer.path, root: root)
        let srcLabel = (layer.crs ?? crs).label
        if !inChina(c), inChina(XY(c.y, c.x)) {
            return Finding(.axesSwapped, role: role, layer: file, message: .init(
                zh: "坐标轴顺序颠倒：X 列是北坐标（纬度），Y 列是东坐标（经度）；交换后位于中国境内。请按东坐标（经度）在前重新导出",
                en: "axes are swapped: the X column holds northings (latitudes) and Y eastings (longitudes); swapped back the data lie in China. Export easting (longitude) first"),
                location: .init(source: c, sourceCRS: srcLabel, lonLat: lonLat(XY(c.y, c.x))))
        }
        let corners = [XY(env.minX, env.minY), XY(env.maxX, env.maxY), XY(env.minX, env.maxY), XY(env.maxX, env.minY)]
        if let bad = corners.first(where: { !inChina($0) }) {
            return Finding(.outsideChina, role: role, layer: file, message: .init(
                zh: "坐标超出中国范围（经度 73.4–135.1°，纬度 3.8–53.6°）：坐标系声明或坐标值有误（例如投影坐标缺少或多了带号）",
                en: "coordinates lie outside China (73.4–135.1°E, 3.8–53.6°N): the declared CRS or the coordinates are wrong (a zone prefix missing or extra, for example)"),
                location: .init(source: bad, sourceCRS: srcLabel, lonLat: lonLat(bad)))
        }
        return nil
    }

    /// Whether the data lie near the declared district (its centre and radius in the vocabulary).
    static func district(_ ins: Inspection) -> [Finding] {
        guard let name = ins.manifest?.district, !name.isEmpty else { return [] }
        guard let d = ins.vocabulary.district(named: name) else {
            return [Finding(.districtUnknown, message: .init(
                zh: "辖区“\(name)”不在辖区表中，未核对位置", en: "district \"\(name)\" is not in the district table; position not compared"))]
        }
        let c = ins.set.lonLatBounds.center
        let km = Geodesic.cgcs2000.inverse(c, XY(d.lon, d.lat)).distance / 1000
        guard km > d.radius_km else { return [] }
        return [Finding(.farFromDistrict, message: .init(
            zh: "数据中心（\(fixed(c.x, 5))°E, \(fixed(c.y, 5))°N）距申报辖区“\(d.name)”中心 \(fixed(km, 1)) km，超过 \(fixed(d.radius_km, 0)) km",
            en: "the data centre (\(fixed(c.x, 5))°E, \(fixed(c.y, 5))°N) is \(fixed(km, 1)) km from the centre of the declared district \(d.name), beyond \(fixed(d.radius_km, 0)) km"),
            location: .init(source: c, sourceCRS: "EPSG:4490", lonLat: c))]
    }
}

extension Envelope {
    func contains(_ p: XY) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
}
