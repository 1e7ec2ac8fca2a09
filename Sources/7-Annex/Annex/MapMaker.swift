import BundleMeasure
import Foundation
import GeoCore
import Measure
import Rules
import Submission

/// Chooses and fills the annex maps: an overview of every layer, and detail maps along the
/// baseline where it is long. Transects are coloured by whether they meet the threshold;
/// segments that do not qualify are marked along the baseline.
struct MapMaker {
    let set: LayerSet
    let measurement: MeasurementReport
    let rulebook: Rulebook
    let geos: GEOSContext
    let words: [String: String]

    /// Transects per detail map, and at most this many detail maps.
    let stationsPerDetail = 100, maxDetails = 8, maxOverviewTransects = 400

    static func cssClass(_ role: String) -> String {
        switch role {
        case "intertidal": return "intertidal"
        case "beach", "mangrove", "vegetation", "parcels", "bedrock", "seawall": return "feature"
        case "shoreline", "seawall_line", "dike_before", "dike_after": return "baseline"
        case "dated_shorelines": return "dated"
        default: return "other"
        }
    }
    static func order(_ c: String) -> Int { ["other": 0, "intertidal": 1, "feature": 2, "dated": 3, "baseline": 4][c] ?? 0 }

    /// Pass or fail of one transect: inside a segment, by the segment; else width against the kind's width threshold.
    func transectClass(_ r: MeasurementReport.TransectRow) -> String {
        if r.width <= 0 { return "t-zero" }
        if let run = r.run, let q = measurement.segments.first(where: { $0.index == run })?.qualifies { return q ? "t-pass" : "t-fail" }
        let key = ["mudflat": "mudflat.averageWidth_m", "mangrove": "mangrove.averageCoverageWidth_m"][measurement.kind ?? ""]
        guard let t = key.flatMap({ rulebook.thresholds[$0] }) else { return "t-pass" }
        return t.passes(r.width) ? "t-pass" : "t-fail"
    }

    func layers(in view: Envelope, simplify tolerance: Double) throws -> [SVGMap.Layer] {
        let clipTo = view.expanded(by: max(view.width, view.height) * 0.05)
        return try set.layers.sorted { MapMaker.order(MapMaker.cssClass($0.role)) < MapMaker.order(MapMaker.cssClass($1.role)) }.map { l in
            let gs = try l.working.features.compactMap { f -> Geometry? in
                guard !f.geometry.isEmpty, f.geometry.firstNonFiniteCoordinate == nil, let e = f.geometry.envelope, e.intersects(clipTo) else { return nil }
                var g = try geos.make(f.geometry).clip(to: clipTo)
                if tolerance > 0 { g = try g.simplify(tolerance: tolerance) }
                return try g.value()
            }
            return SVGMap.Layer(cssClass: MapMaker.cssClass(l.role), geometries: gs)
        }
    }

    func map(_ title: String, _ view: Envelope, _ rows: ArraySlice<MeasurementReport.TransectRow>, every: Int) throws -> SVGMap {
        var m = SVGMap(title: title, view: view, gridLabel: measurement.workingCRS)
        let metresPerPixel = max(view.width, view.height) / 640
        m.layers = try layers(in: view, simplify: metresPerPixel / 2)
        for (k, r) in rows.enumerated() where k % every == 0 {
            m.lines.append(.init(cssClass: transectClass(r), from: r.transect.start, to: r.transect.end))
        }
        // Segments that do not qualify, marked along the baseline through their stations.
        for s in measurement.segments where s.qualifies == false {
            let pts = rows.filter { $0.run == s.index }.map(\.transect.origin)
            if pts.count >= 1 {
                let label = "\(words["segment"] ?? "segment") \(s.index)"
                m.marks.append(.init(cssClass: "failseg", points: pts.count == 1 ? [pts[0], pts[0]] : pts, label: label))
            }
        }
        return m
    }

    func maps() throws -> [SVGMap] {
        let all = set.layers.flatMap { $0.working.features.compactMap { $0.geometry.firstNonFiniteCoordinate == nil ? $0.geometry.envelope : nil } }
        guard var overview = all.first else { return [] }
        for e in all.dropFirst() { overview.include(e) }
        let rows = measurement.transects
        var out = [try map(words["overview"] ?? "overview", overview.expanded(by: max(overview.width, overview.height) * 0.04),
                           rows[...], every: max(1, rows.count / maxOverviewTransects))]
        guard rows.count > stationsPerDetail * 3 / 2 else { return out }
        let windows = (rows.count + stationsPerDetail - 1) / stationsPerDetail
        let step = max(1, (windows + maxDetails - 1) / maxDetails)
        for w in stride(from: 0, to: windows, by: step) {
            let slice = rows[(w * stationsPerDetail)..<min(rows.count, (w + 1) * stationsPerDetail)]
            guard let env = Envelope(of: slice.flatMap { [$0.transect.start, $0.transect.end] }) else { continue }
            let first = slice.first!.transect, last = slice.last!.transect
            out.append(try map("\(words["detail"] ?? "detail") \(w + 1)/\(windows): \(Int(first.arcLength - first.stationLength / 2)) – \(Int(last.arcLength + last.stationLength / 2)) m",
                               env.expanded(by: 10), slice, every: 1))
        }
        return out
    }
}
