import Foundation
import GeoCore
import Measure
import Submission

/// The files `ecocredit measure` writes, as contents (this module writes no file):
/// `measurements.json`, `transects.csv`, and GeoJSON of the transects and of the features as
/// measured (RFC 7946: CGCS2000 longitude/latitude, used as WGS 84).
extension MeasurementReport {
    /// `measurements.json`: pretty-printed, keys in sorted order, written directly (a report of
    /// 100 000 parcels is too large for `JSONEncoder`); `MeasuredValue`s decode with `Codable`.
    public func json() -> String {
        var w = JSONTextWriter(capacity: 1024 + values.count * 600 + parcels.count * 400 + segments.count * 500)
        write(&w)
        return w.text + "\n"
    }

    /// `measurements.json` straight into a file, a megabyte at a time (the same text as `json()`).
    public func writeJSON(to path: String) throws {
        let sink = try TextFileSink(path)
        try writeJSON(to: sink)
        try sink.close()
    }

    /// `measurements.json` into an open sink (the caller closes it).
    public func writeJSON(to sink: TextFileSink) throws {
        var w = JSONTextWriter(sink: sink)
        write(&w)
        w.flush()
        if let e = w.sinkError { throw e }
        try sink.write("\n")
    }

    func write(_ w: inout JSONTextWriter) {
        w.object { w in
            w.field("bundle", bundle)
            w.field("checkDate", checkDate)
            w.field("coefficientTable", coefficientTable)
            w.field("coefficientTableIsExample", coefficientTableIsExample)
            let crossings = crossings
            w.field("crossings") { w in
                w.object { w in
                    w.field("baseline", crossings.baseline)
                    w.field("list", "crossings.csv")
                    w.field("pairs", crossings.pairs)
                    w.field("stretches") { w in
                        w.array { w in
                            for s in crossings.stretches {
                                w.line { w in
                                    w.object { w in
                                        w.field("from_m", s.from_m); w.field("fromStation", s.fromStation); w.field("part", s.part)
                                        w.field("to_m", s.to_m); w.field("toStation", s.toStation); w.field("transects", s.transects)
                                    }
                                }
                            }
                        }
                    }
                    w.field("suggestedSmoothingWindow_m", suggestedSmoothingWindow_m)
                    w.field("transects", crossings.transects)
                }
            }
            w.field("declared", declared)
            w.field("format", "ecocredit-measurements/2")
            w.field("geodesicMethod", geodesicMethod)
            w.field("intersectionRule", parameters.intersectionRule.rawValue)
            w.field("kind", kind)
            w.field("notes", notes)
            w.field("parameters", parameters.values)
            w.field("parametersSetBySubmission", parameters.overridden.sorted())
            let parcels = parcels, values = values
            w.field("parcels") { w in w.array(count: parcels.count) { i, w in w.line { parcels[i].write(&$0) } } }
            w.field("projectId", projectId)
            w.field("rule", rule)
            w.field("rulebook", rulebook)
            w.field("segments") { w in w.array { w in for s in segments { w.line { s.write(&$0) } } } }
            if let c = shorelineChange {
                w.field("shorelineChange") { w in
                    w.object { w in
                        w.field("accreting", c.accreting)
                        w.field("ambiguousTransects") { w in w.array { w in for a in c.ambiguousTransects { w.array { w in w.value(a.part); w.value(a.station) } } } }
                        w.field("days", c.days)
                        w.field("endPointRate_m_per_yr", c.endPointRate)
                        w.field("eroding", c.eroding)
                        w.field("erosionShare", c.erosionShare)
                        w.field("intersectionRule", parameters.intersectionRule.rawValue)
                        w.field("netChangeMax_m", c.netChangeMax)
                        w.field("netChangeMean_m", c.netChangeMean)
                        w.field("netChangeMin_m", c.netChangeMin)
                        w.field("seaSide", seaSide)
                        w.field("seaSideSource", seaSideSource)
                        w.field("shorelines", c.shorelines.map(\.date.description))
                        w.field("transectsWithoutBoth", c.missingBoth)
                    }
                }
            }
            w.field("values") { w in w.array(count: values.count) { i, w in w.line { values[i].write(&$0) } } }
            w.field("whatIf", whatIf)
            w.field("workingCRS", workingCRS)
            w.field("workingCRSReason", workingCRSReason)
        }
    }

    /// One row per transect, working-CRS coordinates (metres). Rows are formatted on all cores.
    public func transectsCSV() throws -> String { try transectsCSVPieces().collect().map { String(decoding: $0, as: UTF8.self) }.joined() }

    /// `transects.csv` straight into a file, piece by piece (the same text as `transectsCSV()`).
    public func writeTransectsCSV(to path: String) throws {
        let sink = try TextFileSink(path)
        for piece in try transectsCSVPieces().collect() { try sink.write(bytes: piece) }
        try sink.close()
    }

    /// `transects.csv`: the header, then the rows in runs of `OrderedPieces.rowsPerPiece`, as UTF-8 bytes; each
    /// run can be made on any thread (an output folder streams them to disk as they are made).
    public func transectsCSVPieces() -> OrderedPieces {
        let header = "baseline,feature,part,station,arc_length_m,origin_x,origin_y,start_x,start_y,end_x,end_y,width_m,truncated,segment,nsm_m,epr_m_per_yr,sce_m,lrr_m_per_yr,lrr_ci95_m_per_yr,ambiguous\n"
        let rows = transects
        // "baseline,feature," of each distinct pair, once (a few pairs for 100 000 rows).
        var prefixes: [String: [UInt8]] = [:]
        for r in rows where prefixes[r.baseline + "\u{0}" + r.feature] == nil {
            prefixes[r.baseline + "\u{0}" + r.feature] = Array((r.baseline + "," + r.feature + ",").utf8)
        }
        let prefix = prefixes
        let bounds = OrderedPieces.runs(rows.count, perRun: OrderedPieces.rowsPerPiece)
        let body = OrderedPieces(count: bounds.count - 1) { run in
            let range = bounds[run]..<bounds[run + 1]
            var out = ByteText(capacity: range.count * 200)
            var last: (String, String, [UInt8])? = nil
            for i in range {
                let r = rows[i], t = r.transect
                func n(_ v: Double?) { if let v { out.append(number: v) }; out.append(byte: 0x2C) }
                if last == nil || last!.0 != r.baseline || last!.1 != r.feature { last = (r.baseline, r.feature, prefix[r.baseline + "\u{0}" + r.feature]!) }
                out.append(bytes: last!.2); out.append(t.part); out.append(byte: 0x2C); out.append(t.station); out.append(byte: 0x2C)
                n(t.arcLength); n(t.origin.x); n(t.origin.y); n(t.start.x); n(t.start.y); n(t.end.x); n(t.end.y); n(r.width)
                out.append(byte: r.truncated ? 0x31 : 0x30); out.append(byte: 0x2C)
                if let run = r.run { out.append(run) }; out.append(byte: 0x2C)
                n(r.change?.nsm); n(r.change?.epr); n(r.change?.sce); n(r.change?.lrr); n(r.change?.lrrCI95)
                if let c = r.change { out.append(byte: c.ambiguous ? 0x31 : 0x30) }
                out.append(byte: 0x0A)
            }
            return out.bytes
        }
        return .framed(head: Array(header.utf8), body, tail: [])
    }

    /// `crossings.csv`: every crossing, as runs of the stations a transect crosses (the header
    /// alone when no transects cross).
    public func crossingsCSV() -> [UInt8] {
        var out = ByteText(capacity: 64 + crossings.rows.count * 32)
        out.append("baseline,part,station,crosses_from_station,crosses_to_station,pairs\n")
        let baseline = crossings.baseline ?? ""
        for r in crossings.rows {
            out.append(baseline); out.append(byte: 0x2C); out.append(r.part); out.append(byte: 0x2C); out.append(r.station); out.append(byte: 0x2C)
            out.append(r.firstStation); out.append(byte: 0x2C); out.append(r.lastStation); out.append(byte: 0x2C); out.append(r.pairs); out.append(byte: 0x0A)
        }
        return out.bytes
    }

    /// The transects as GeoJSON lines with their widths (longitude/latitude), as pieces of
    /// bytes in order that can be made on any thread (`GeoJSON.lonLatTwoPointLines`).
    public func transectsGeoJSON(proj: ProjContext) throws -> OrderedPieces {
        let rows = transects
        // Each baseline's name as a JSON string once (a few names for 100 000 rows).
        var names: [String: [UInt8]] = [:]
        for r in rows where names[r.baseline] == nil { names[r.baseline] = Array(("\"baseline\":" + JSONText.string(r.baseline)).utf8) }
        let baselines = names
        return GeoJSON.lonLatTwoPointLines(
            name: "transects", count: rows.count, conversion: try LonLatConversion(from: try CRS.epsg(workingCRS, context: proj), context: proj),
            ends: { (rows[$0].transect.start, rows[$0].transect.end) },
            properties: { i, out in
                let r = rows[i]
                out.append(bytes: baselines[r.baseline]!)
                GeoJSON.appendProperty("\"part\":", .integer(Int64(r.transect.part)), to: &out)
                GeoJSON.appendProperty("\"station\":", .integer(Int64(r.transect.station)), to: &out)
                GeoJSON.appendProperty("\"width_m\":", .double(r.width), to: &out)
                GeoJSON.appendProperty("\"truncated\":", .bool(r.truncated), to: &out)
                GeoJSON.appendProperty("\"segment\":", r.run.map { .integer(Int64($0)) } ?? .null, to: &out)
                GeoJSON.appendProperty("\"nsm_m\":", r.change?.nsm.map { .double($0) } ?? .null, to: &out)
            })
    }

    /// Each layer as measured (working geometry back in longitude/latitude), by file name, as
    /// pieces of bytes in order.
    /// `parallel: false` writes each layer on the calling thread alone (for `Ahead`).
    public static func featuresGeoJSON(_ set: LayerSet, proj: ProjContext, parallel: Bool = true) throws -> [(name: String, pieces: [[UInt8]])] {
        let from = parallel ? 50_000 : Int.max
        return try set.layers.map { l in
            let name = "\(l.role)-\(l.source.name).geojson"
            if var layer = l.lonLat {   // converted once already (`LayerSet.withLonLat`)
                layer.name = l.source.name
                return (name, try GeoJSON.lonLatPieces(layer, conversion: .unchanged(layer.crs ?? set.workingCRS), proj: proj, parallelFrom: from))
            }
            var layer = l.working
            layer.name = l.source.name
            return (name, try GeoJSON.lonLatPieces(layer, from: set.workingCRS, proj: proj, parallelFrom: from))
        }
    }
}

extension CRS {
    /// A CRS from its "EPSG:n" label.
    static func epsg(_ label: String, context: ProjContext) throws -> CRS {
        try CRS.from(definition: label, context: context)
    }
}

extension MeasuredValue {
    /// The value as `Codable` would encode it (same keys, sorted; nil members left out).
    func write(_ w: inout JSONTextWriter) {
        w.object { w in
            w.field("article", article); w.field("crs", crs); w.field("declared", declared); w.field("featureIds", featureIds)
            w.field("geodesic", geodesic); w.field("id", id); w.field("label", label); w.field("layers", layers); w.field("method", method)
            w.field("parameters", parameters); w.field("relativeDifference", relativeDifference); w.field("uncertainty", uncertainty)
            w.field("unit", unit); w.field("value", value)
        }
    }
}

extension MeasurementReport.Segment {
    func write(_ w: inout JSONTextWriter) {
        w.object { w in
            w.field("estimatorsDisagree", estimatorsDisagree); w.field("from_m", from_m); w.field("index", index)
            w.field("inscribedDiameter_m", inscribedDiameter_m); w.field("inscribedIsMaximum", inscribedIsMaximum)
            w.field("lengthShortfall_m", lengthShortfall_m); w.field("length_m", length_m)
            w.field("maxWidth_m", statistics.maximum); w.field("meanWidth_m", statistics.mean); w.field("medianWidth_m", statistics.median)
            w.field("minWidth_m", statistics.minimum); w.field("p10Width_m", statistics.p10); w.field("part", part)
            w.field("qualifies", qualifies); w.field("stations", statistics.count); w.field("to_m", to_m); w.field("widthShortfall_m", widthShortfall_m)
        }
    }
}

extension MeasurementReport.ParcelResult {
    func write(_ w: inout JSONTextWriter) {
        w.object { w in
            w.field("after_m2", after); w.field("area_m2", area_m2); w.field("before_m2", before)
            w.field("constructionShare", constructionShare)
            w.field("exclusions") { w in
                w.object { w in
                    for role in exclusions.keys.sorted() {
                        let o = exclusions[role]!
                        w.field(role) { w in
                            w.object { w in
                                w.field("area_m2", [o.area_m2])
                                w.field("bbox", o.bbox.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] } ?? [])
                                w.field("point", o.point.map { [$0.x, $0.y] } ?? [])
                            }
                        }
                    }
                }
            }
            w.field("exitAgreementDeclared", exitAgreementDeclared); w.field("homestead", homestead); w.field("id", id); w.field("index", index)
            w.field("slivers", slivers); w.field("vouchers", vouchers?.description); w.field("vouchersRequired", vouchersRequired?.description)
        }
    }
}
