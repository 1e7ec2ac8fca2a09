import Foundation
import GeoCore
import Measure
import Submission

/// The files `ecocredit measure` writes, as contents (this module writes no file):
/// `measurements.json`, `transects.csv`, and GeoJSON of the transects and of the features as
/// measured (RFC 7946: CGCS2000 longitude/latitude, used as WGS 84).
extension MeasurementReport {
    public func json() -> String {
        struct Seg: Encodable {
            let index, part: Int; let from_m, to_m, length_m: Double
            let meanWidth_m, minWidth_m, p10Width_m, medianWidth_m, maxWidth_m: Double; let stations: Int
            let qualifies: Bool?; let lengthShortfall_m, widthShortfall_m, inscribedDiameter_m: Double?; let inscribedIsMaximum: Bool
            let estimatorsDisagree: Bool
        }
        struct Parcel: Encodable {
            let id: String; let index: Int; let area_m2: Double; let before_m2, after_m2: [String: Double]; let slivers: Int
            let vouchers, vouchersRequired: String?; let constructionShare: Double?
            let exclusions: [String: [String: [Double]]]; let homestead, exitAgreementDeclared: Bool
        }
        struct Change: Encodable {
            let shorelines: [String]; let seaSide: String?; let seaSideSource: String?; let intersectionRule: String
            let days: Int; let netChangeMean_m, netChangeMin_m, netChangeMax_m, endPointRate_m_per_yr, erosionShare: Double?
            let eroding, accreting, transectsWithoutBoth: Int; let ambiguousTransects: [[Int]]
        }
        struct Doc: Encodable {
            let format = "ecocredit-measurements/1"
            let bundle: String; let projectId, rule, kind, checkDate: String?
            let workingCRS, workingCRSReason, rulebook: String
            let parameters: [String: Double]; let parametersSetBySubmission: [String]; let intersectionRule: String
            let values: [MeasuredValue]; let segments: [Seg]; let crossingTransects: [[Int]]; let suggestedSmoothingWindow_m: Double?
            let shorelineChange: Change?; let parcels: [Parcel]; let coefficientTable: String?
            let declared: [String: String]; let notes: [String]
        }
        let doc = Doc(bundle: bundle, projectId: projectId, rule: rule, kind: kind, checkDate: checkDate, workingCRS: workingCRS,
                      workingCRSReason: workingCRSReason, rulebook: rulebook, parameters: parameters.values,
                      parametersSetBySubmission: parameters.overridden.sorted(), intersectionRule: parameters.intersectionRule.rawValue,
                      values: values,
                      segments: segments.map { s in Seg(index: s.index, part: s.part, from_m: s.from_m, to_m: s.to_m, length_m: s.length_m,
                                                        meanWidth_m: s.statistics.mean, minWidth_m: s.statistics.minimum, p10Width_m: s.statistics.p10,
                                                        medianWidth_m: s.statistics.median, maxWidth_m: s.statistics.maximum, stations: s.statistics.count,
                                                        qualifies: s.qualifies, lengthShortfall_m: s.lengthShortfall_m, widthShortfall_m: s.widthShortfall_m,
                                                        inscribedDiameter_m: s.inscribedDiameter_m, inscribedIsMaximum: s.inscribedIsMaximum,
                                                        estimatorsDisagree: s.estimatorsDisagree) },
                      crossingTransects: crossings.map { [$0.0, $0.1] }, suggestedSmoothingWindow_m: suggestedSmoothingWindow_m,
                      shorelineChange: shorelineChange.map { c in
                          Change(shorelines: c.shorelines.map(\.date.description), seaSide: seaSide, seaSideSource: seaSideSource,
                                 intersectionRule: parameters.intersectionRule.rawValue, days: c.days, netChangeMean_m: c.netChangeMean,
                                 netChangeMin_m: c.netChangeMin, netChangeMax_m: c.netChangeMax, endPointRate_m_per_yr: c.endPointRate,
                                 erosionShare: c.erosionShare, eroding: c.eroding, accreting: c.accreting, transectsWithoutBoth: c.missingBoth,
                                 ambiguousTransects: c.ambiguousTransects.map { [$0.part, $0.station] })
                      },
                      parcels: parcels.map { p in
                          Parcel(id: p.id, index: p.index, area_m2: p.area_m2, before_m2: p.before, after_m2: p.after, slivers: p.slivers,
                                 vouchers: p.vouchers?.description, vouchersRequired: p.vouchersRequired?.description, constructionShare: p.constructionShare,
                                 exclusions: p.exclusions.mapValues { o in
                                     ["area_m2": [o.area_m2], "point": o.point.map { [$0.x, $0.y] } ?? [],
                                      "bbox": o.bbox.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] } ?? []] },
                                 homestead: p.homestead, exitAgreementDeclared: p.exitAgreementDeclared)
                      },
                      coefficientTable: coefficientTable, declared: declared, notes: notes)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? enc.encode(doc)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// One row per transect, working-CRS coordinates (metres).
    public func transectsCSV() -> String {
        var out = "baseline,feature,part,station,arc_length_m,origin_x,origin_y,start_x,start_y,end_x,end_y,width_m,truncated,segment,nsm_m,epr_m_per_yr,sce_m,lrr_m_per_yr,lrr_ci95_m_per_yr,ambiguous\n"
        func n(_ v: Double?) -> String { v.map { GeoJSON.number($0) } ?? "" }
        for r in transects {
            let t = r.transect
            out += [r.baseline, r.feature, String(t.part), String(t.station), n(t.arcLength), n(t.origin.x), n(t.origin.y), n(t.start.x), n(t.start.y),
                    n(t.end.x), n(t.end.y), n(r.width), r.truncated ? "1" : "0", r.run.map(String.init) ?? "", n(r.change?.nsm), n(r.change?.epr),
                    n(r.change?.sce), n(r.change?.lrr), n(r.change?.lrrCI95), r.change.map { $0.ambiguous ? "1" : "0" } ?? ""].joined(separator: ",") + "\n"
        }
        return out
    }

    /// The transects as GeoJSON lines with their widths (longitude/latitude).
    public func transectsGeoJSON(proj: ProjContext) throws -> Data {
        let t = try CoordinateTransformer(from: try CRS.epsg(workingCRS, context: proj), to: try CRS.epsg(4490, context: proj), context: proj)
        let fields = [Field(name: "baseline", type: .character), Field(name: "part", type: .integer), Field(name: "station", type: .integer),
                      Field(name: "width_m", type: .float), Field(name: "truncated", type: .logical), Field(name: "segment", type: .integer),
                      Field(name: "nsm_m", type: .float)]
        let features = try transects.enumerated().map { i, r in
            Feature(index: i, geometry: try t.transform(.lineString([r.transect.start, r.transect.end])),
                    attributes: [.string(r.baseline), .integer(Int64(r.transect.part)), .integer(Int64(r.transect.station)), .double(r.width),
                                 .bool(r.truncated), r.run.map { .integer(Int64($0)) } ?? .null, r.change?.nsm.map { .double($0) } ?? .null])
        }
        return GeoJSON.encode(VectorLayer(name: "transects", path: "transects.geojson", format: .geojson, family: .line, fields: fields,
                                          features: features, crs: nil))
    }

    /// Each layer as measured (working geometry back in longitude/latitude), by file name.
    public static func featuresGeoJSON(_ set: LayerSet, proj: ProjContext) throws -> [(name: String, data: Data)] {
        let t = try CoordinateTransformer(from: set.workingCRS, to: try CRS.epsg(4490, context: proj), context: proj)
        return try set.layers.map { l in
            var layer = l.working
            layer.features = try layer.features.map { f in
                var g = f
                if f.geometry.firstNonFiniteCoordinate == nil { g.geometry = try t.transform(f.geometry) }
                return g
            }
            return ("\(l.role)-\(l.source.name).geojson", GeoJSON.encode(layer))
        }
    }
}

extension CRS {
    /// A CRS from its "EPSG:n" label.
    static func epsg(_ label: String, context: ProjContext) throws -> CRS {
        try CRS.from(definition: label, context: context)
    }
}
