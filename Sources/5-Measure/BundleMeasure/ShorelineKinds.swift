import Foundation
import GeoCore
import GeometryAlgorithms
import Measure
import Rules
import Submission

/// §3 beach, §4 mudflat, §5 mangrove: measured along a baseline.
extension MeasureContext {
    mutating func beach() throws {
        let article = "SW Art. 19(1)"
        // The thresholds decide which segments qualify, as they decide the checker's verdicts.
        let tl = try requiredThreshold("beach.length_m"), tw = try requiredThreshold("beach.averageWidth_m")
        let (minL, minW) = (tl.value, tw.value)
        let (transects, _) = try alongBaseline("shoreline", "beach", feature: geometries("beach"), article: article, prefix: "beach",
                                               qualify: (tl, tw))
        let qualifying = report.segments.filter { $0.qualifies == true }
        add(MeasuredValue(id: "beach.segments", label: "beach segments (runs)", value: Double(report.segments.count), unit: "count",
                          method: "§3 each run of the beach along the shoreline is a segment", parameters: params.transect.asDictionary,
                          layers: files("shoreline") + files("beach"), crs: crs, article: article))
        // A run's ends are known to one station (L/n); a width to √2 × the positional accuracy.
        func station(_ s: MeasurementReport.Segment) -> Double { s.length_m / Double(max(1, s.statistics.count)) }
        add(MeasuredValue(id: "beach.qualifyingLength_m", label: "qualifying length (segments \(tl.comparison.rawValue) \(fixed(minL, 0)) m long, \(tw.comparison.rawValue) \(fixed(minW, 0)) m wide on average)",
                          value: qualifying.reduce(0) { $0 + $1.length_m }, unit: "m",
                          method: "§3 sum of qualifying segments' lengths (strict, unrounded)",
                          parameters: params.transect.asDictionary.merging(["minLength_m": minL, "minAverageWidth_m": minW]) { a, _ in a },
                          layers: files("shoreline") + files("beach"), featureIds: ids("beach"), crs: crs, article: "SW Art. 3, 19(1)",
                          uncertainty: qualifying.reduce(0) { $0 + station($1) }))
        for s in report.segments {
            add(MeasuredValue(id: "beach.segment[\(s.index)].length_m", label: "segment \(s.index) length (\(fixed(s.from_m)) – \(fixed(s.to_m)) m along part \(s.part))",
                              value: s.length_m, unit: "m",
                              method: "§3 run length = stations × L/n", parameters: params.transect.asDictionary,
                              layers: files("shoreline") + files("beach"), crs: crs, article: article, uncertainty: station(s)))
            add(MeasuredValue(id: "beach.segment[\(s.index)].averageWidth_m", label: "segment \(s.index) average width (\(fixed(s.from_m)) – \(fixed(s.to_m)) m along part \(s.part))",
                              value: s.statistics.mean, unit: "m", method: "§3 mean w_i over the run's stations", parameters: params.transect.asDictionary,
                              layers: files("shoreline") + files("beach"), crs: crs, article: article,
                              uncertainty: 2.0.squareRoot() * params["positionalAccuracy_m"]))
        }
        try stability(transects, article: "SW Art. 19(1)")
    }

    mutating func mudflat() throws {
        _ = try alongBaseline("shoreline", "intertidal", feature: geometries("intertidal"), article: "SW Art. 19(2)", prefix: "mudflat")
        if let v = report.value("mudflat.meanWidth_m") {
            var avg = v; avg.id = "mudflat.averageWidth_m"; avg.label = "average intertidal width (§4: mean w_i over all stations)"
            add(avg)
        }
        try stability(report.transects.map(\.transect), article: "SW Art. 19(2)")
    }

    mutating func mangrove() throws {
        let article = "SW Art. 19(3)"
        let wall = baseline("seawall_line")
        // §5: mangrove polygons outside the wall; with a declared sea side, those on the land side are left out.
        var mangroves = features("mangrove")
        if let side = manifest?.declared["seaSide"]?.stringValue.flatMap(LineSide.init(rawValue:)) {
            let before = mangroves.count
            mangroves = try mangroves.filter { m in
                guard let p = try geos.make(m.feature.geometry).pointOnSurface().value().sequences.first?.xy.first else { return false }
                return LineSide.side(of: p, relativeTo: wall) == side
            }
            if mangroves.count < before { report.notes.append("\(before - mangroves.count) mangrove polygon(s) on the land side of the seawall line left out (§5)") }
        } else {
            report.notes.append("no declared seaSide: all mangrove polygons are measured as outside the wall")
        }
        let m = mangroves.map(\.feature.geometry)
        _ = try alongBaseline("seawall_line", "mangrove", feature: m, article: article, prefix: "mangrove")
        if let v = report.value("mangrove.meanWidth_m") {
            var avg = v; avg.id = "mangrove.averageCoverageWidth_m"; avg.label = "average mangrove coverage width (§5, zeros included)"
            add(avg)
        }
        let cover = try CoverFraction.mangroveCover(mangrove: m, intertidal: geometries("intertidal"), geos: geos)
        add(MeasuredValue(id: "mangrove.intertidalCover", label: "mangrove cover of the intertidal zone", value: cover.fraction, unit: "ratio",
                          method: "§5 area(mangrove ∩ intertidal) / area(intertidal)", layers: files("mangrove") + files("intertidal"),
                          featureIds: mangroves.map { featureId($0.layer, $0.feature) }, crs: crs, article: article,
                          uncertainty: cover.uncertainty(positionalAccuracy: params["positionalAccuracy_m"])))
        add(MeasuredValue(id: "mangrove.intertidal_m2", label: "intertidal zone area", value: cover.total, unit: "m²",
                          method: "§5 area(∪intertidal)", layers: files("intertidal"), crs: crs, article: article))
        add(MeasuredValue(id: "mangrove.coveredIntertidal_m2", label: "mangrove area inside the intertidal zone", value: cover.covered, unit: "m²",
                          method: "§5 area(mangrove ∩ intertidal)", layers: files("mangrove") + files("intertidal"), crs: crs, article: article))
    }

    /// §3 stability from dated shorelines: change along the transects, erosion, days since the earliest.
    mutating func stability(_ transects: [Transect], article: String) throws {
        let dated = set.layers("dated_shorelines")
        guard dated.count >= 2 else {
            if !dated.isEmpty { report.notes.append("stability not measured: fewer than two dated shorelines (§3)") }
            return
        }
        let shorelines = dated.compactMap { l -> DatedShoreline? in
            guard let d = l.date.flatMap(CivilDate.init) else { return nil }
            return DatedShoreline(date: d, lines: l.working.features.flatMap(\.geometry.lineParts), uncertainty: params["shorelineUncertainty_m"])
        }
        guard shorelines.count >= 2 else { report.notes.append("stability not measured: dated shorelines without valid dates"); return }
        // Sea side: declared, else the side whose half-transects hold more intertidal length.
        var side = manifest?.declared["seaSide"]?.stringValue.flatMap(LineSide.init(rawValue:))
        report.seaSideSource = side != nil ? "declared" : nil
        if side == nil, !geometries("intertidal").isEmpty {
            let zone = try geos.unaryUnion(try geometries("intertidal").map { try geos.make($0) })
            var left = 0.0, right = 0.0
            for t in transects {
                left += try zone.intersection(try geos.make(.lineString([t.origin, t.end]))).length()
                right += try zone.intersection(try geos.make(.lineString([t.origin, t.start]))).length()
            }
            if left != right { side = left > right ? .left : .right; report.seaSideSource = "intertidal length on each side of the transects" }
        }
        guard let side else { report.notes.append("stability not measured: no declared seaSide and no intertidal layer to tell the sea side (§3)"); return }
        report.seaSide = side.rawValue
        let erosionChange = threshold("stability.erosionChange_m")?.value ?? -5
        let change = ShorelineChange(transects: transects, shorelines: shorelines, seaSign: side.sign, rule: params.intersectionRule,
                                     erosionChange: erosionChange)
        report.shorelineChange = change
        var byKey: [String: TransectChange] = [:]
        for c in change.transects { byKey["\(c.part)/\(c.station)"] = c }
        for i in report.transects.indices { report.transects[i].change = byKey["\(report.transects[i].transect.part)/\(report.transects[i].transect.station)"] }
        let layers = files("dated_shorelines") + files("shoreline")
        let p = params.transect.asDictionary.merging(["erosionChange_m": erosionChange]) { a, _ in a }
        func v(_ id: String, _ label: String, _ x: Double?, _ unit: String, _ method: String) {
            guard let x else { return }
            add(MeasuredValue(id: "stability.\(id)", label: label, value: x, unit: unit, method: method, parameters: p, layers: layers, crs: crs, article: article))
        }
        v("netChange_m", "net change, mean over transects (positive seaward)", change.netChangeMean, "m", "§3 change earliest → latest along T_i, intersection \(params.intersectionRule.rawValue) to P(t_i)")
        v("netChangeMin_m", "net change, minimum", change.netChangeMin, "m", "§3")
        v("netChangeMax_m", "net change, maximum", change.netChangeMax, "m", "§3")
        v("endPointRate_m_per_yr", "end-point rate", change.endPointRate, "m/yr", "§3 net change / (days / 365.25)")
        v("erosionShare", "share of transects with change < \(fixed(erosionChange, 0)) m", change.erosionShare, "ratio", "§3 erosion rule")
        v("transectsWithoutBoth", "transects not meeting both the earliest and the latest shoreline", Double(change.missingBoth), "count", "§3")
        v("eroding", "transects with negative net change", Double(change.eroding), "count", "DSAS-style summary")
        v("accreting", "transects with positive net change", Double(change.accreting), "count", "DSAS-style summary")
        v("ambiguousTransects", "transects meeting a dated shoreline more than once", Double(change.ambiguousTransects.count), "count",
          "intersection rule \(params.intersectionRule.rawValue)")
        if let check = manifest?.checkDate.flatMap(CivilDate.init), let first = shorelines.map(\.date).min() {
            v("daysSinceEarliest", "days from the earliest dated shoreline to the check date", Double(first.days(to: check)), "days", "§3 check date − earliest survey")
        }
    }
}

extension TransectParameters {
    var asDictionary: [String: Double] { ["transectSpacing_m": spacing, "transectHalfLength_m": halfLength, "smoothingWindow_m": smoothingWindow] }
}
