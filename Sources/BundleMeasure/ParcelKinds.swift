import Foundation
import GeoCore
import Measure
import Rules
import Submission

/// §8 parcels: land-class areas before and after, vouchers earned (restoration) or required
/// (land supply), and the eligibility overlaps of JY Art. 9–10.
extension MeasureContext {
    func landuse(_ role: String) -> [(code: String, geometry: Geometry)] {
        set.layers(role).flatMap { l -> [(code: String, geometry: Geometry)] in
            let (name, _) = l.field("class", manifest: manifest, defaults: vocabulary.fieldDefaults["\(role).class"] ?? ["DLBM"])
            guard let name else { return [] }
            return l.working.features.compactMap { f in
                guard f.geometry.firstNonFiniteCoordinate == nil, !f.geometry.isEmpty,
                      let raw = l.source.value(l.source.features[f.index], name)?.stringValue, !raw.isEmpty else { return nil }
                // Second-survey 3-digit codes are translated to third-survey codes (rulebook crosswalk).
                let code = raw.trimmingSpaces
                return (code.count == 3 ? rulebook.landClassCrosswalk?.codes[code] ?? code : code, f.geometry)
            }
        }
    }

    mutating func parcels(supply: Bool) throws {
        let sliver = params["sliverArea_m2"]
        let before = landuse("landuse_before"), after = landuse("landuse_after")
        // Each parcel meets only the land-use polygons near it: linear in the number of parcels.
        let beforeIndex = EnvelopeIndex(before.map { $0.geometry.envelope ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) })
        let afterIndex = EnvelopeIndex(after.map { $0.geometry.envelope ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) })
        func near(_ items: [(code: String, geometry: Geometry)], _ index: EnvelopeIndex, _ g: Geometry) -> [(code: String, geometry: Geometry)] {
            guard let e = g.envelope else { return [] }
            return index.query(e).map { items[$0] }
        }
        var exclusions: [String: (EnvelopeIndex, [Geometry])] = [:]
        for role in ["construction_land", "spatial_plan", "heritage", "restricted_rights", "geohazard"] {
            let gs = geometries(role)
            exclusions[role] = (EnvelopeIndex(gs.map { $0.envelope ?? Envelope(minX: 0, minY: 0, maxX: 0, maxY: 0) }), gs)
        }
        let date = manifest?.checkDate.flatMap(CivilDate.init)
        let tableData = date.flatMap { rulebook.coefficientTable(on: $0) }
        let table = tableData.map { CoefficientTable($0.coefficients) }
        report.coefficientTable = tableData.map { "\($0.id) (\($0.validFrom) – \($0.validTo))\($0.label.map { ": " + $0 } ?? "")" }
        if table == nil {
            report.notes.append("no coefficient table of \(rulebook.citation) is in force on the check date \(manifest?.checkDate ?? "(none)"): no voucher quantity (§8)")
        }
        let exitAgreements = Set(manifest?.declared["homesteadExitAgreement"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var earned = CreditQuantity.zero, required = CreditQuantity.zero
        let layers = files("parcels") + files("landuse_before") + (supply ? [] : files("landuse_after")), parcelFiles = files("parcels")
        let feats = features("parcels")
        let geodesicAreas = try geodesic.areas(feats.map(\.feature.geometry))
        for (k, (l, f)) in feats.enumerated() {
            let id = featureId(l, f)
            let b = try ParcelClassAreas.compute(parcel: f.geometry, landuse: near(before, beforeIndex, f.geometry), sliverArea: sliver, geos: geos)
            let a = supply ? ParcelClassAreas(areas: [:], sliversDropped: 0, sliverArea: 0)
                : try ParcelClassAreas.compute(parcel: f.geometry, landuse: near(after, afterIndex, f.geometry), sliverArea: sliver, geos: geos)
            var r = MeasurementReport.ParcelResult(id: id, index: f.index, area_m2: f.geometry.planarArea, before: b.areas, after: a.areas,
                                                   slivers: b.sliversDropped + a.sliversDropped, exclusions: [:],
                                                   homestead: b.areas.keys.contains { $0.hasPrefix("0702") }, exitAgreementDeclared: exitAgreements.contains(id))
            if let table {
                if supply {
                    r.vouchersRequired = table.vouchersRequired(current: b); required = required + r.vouchersRequired!
                    add(MeasuredValue(id: "parcel[\(id)].vouchersRequired", label: "vouchers required for parcel \(id)",
                                      value: Double(r.vouchersRequired!.tenThousandths) / 10_000, unit: "unit",
                                      method: "§8 Σ mu(current ecological class) · c, rounded up to 0.0001", parameters: ["sliverArea_m2": sliver],
                                      layers: layers, featureIds: [id], crs: crs, article: "JY Art. 3, 31, 34"))
                } else {
                    r.vouchers = table.vouchersEarned(before: b, after: a); earned = earned + r.vouchers!
                    add(MeasuredValue(id: "parcel[\(id)].vouchers", label: "vouchers earned by parcel \(id)",
                                      value: Double(r.vouchers!.tenThousandths) / 10_000, unit: "unit",
                                      method: "§8 Σ mu(after)·c − Σ mu(before)·c, rounded down to 0.0001", parameters: ["sliverArea_m2": sliver],
                                      layers: layers, featureIds: [id], crs: crs, article: "JY Art. 2, 7, 19"))
                }
            }
            add(MeasuredValue(id: "parcel[\(id)].area_m2", label: "parcel \(id) area", value: r.area_m2, unit: "m²", method: "§0 planar area",
                              layers: parcelFiles, featureIds: [id], crs: crs, geodesic: geodesicAreas[k], article: "JY Art. 18"))
            for (code, area) in (supply ? b.areas : a.areas).sorted(by: { $0.key < $1.key }) {
                add(MeasuredValue(id: "parcel[\(id)].\(supply ? "current" : "after").\(code)_mu", label: "parcel \(id), class \(code) \(vocabulary.landClasses[code] ?? "")",
                                  value: area / squareMetresPerMu, unit: "mu", method: "§8 area(parcel ∩ ∪ class polygons), slivers < \(sliver) m² dropped",
                                  layers: layers, featureIds: [id], crs: crs, article: supply ? "JY Art. 31" : "JY Art. 19"))
            }
            if !supply { try eligibility(&r, parcel: f.geometry, layers: exclusions) }
            report.parcels.append(r)
        }
        if table != nil {
            add(MeasuredValue(id: supply ? "parcels.vouchersRequired" : "parcels.vouchers", label: supply ? "vouchers required, all parcels" : "vouchers earned, all parcels",
                              value: Double((supply ? required : earned).tenThousandths) / 10_000, unit: "unit", method: "§8 sum of parcel quantities",
                              layers: files("parcels"), featureIds: ids("parcels"), crs: crs, article: supply ? "JY Art. 31, 34" : "JY Art. 2, 19"))
        }
    }

    /// JY Art. 9–10: share inside third-survey construction land; overlap with each exclusion layer.
    mutating func eligibility(_ r: inout MeasurementReport.ParcelResult, parcel: Geometry, layers: [String: (EnvelopeIndex, [Geometry])]) throws {
        /// The layer's polygons near the parcel.
        func near(_ role: String) -> [Geometry] {
            guard let (index, gs) = layers[role], let e = parcel.envelope else { return [] }
            return index.query(e).map { gs[$0] }
        }
        let area = parcel.planarArea
        let sigma = params["positionalAccuracy_m"], perimeter = parcel.planarLength
        if layers["construction_land"]?.1.isEmpty == false {
            r.constructionShare = area > 0 ? try OverlapArea.area(parcel: parcel, near("construction_land"), geos: geos) / area : 0
            add(MeasuredValue(id: "parcel[\(r.id)].constructionShare", label: "share of parcel \(r.id) inside third-survey construction land",
                              value: r.constructionShare!, unit: "ratio", method: "§8 area(parcel ∩ construction land) / area(parcel)",
                              layers: files("parcels") + files("construction_land"), featureIds: [r.id], crs: crs, article: "JY Art. 9",
                              uncertainty: area > 0 ? sigma * perimeter / area : nil))
        }
        if layers["spatial_plan"]?.1.isEmpty == false {
            let share = area > 0 ? try OverlapArea.area(parcel: parcel, near("spatial_plan"), geos: geos) / area : 0
            add(MeasuredValue(id: "parcel[\(r.id)].spatialPlanShare", label: "share of parcel \(r.id) inside spatial-plan zones fit for restoration",
                              value: share, unit: "ratio", method: "§8 area(parcel ∩ spatial plan) / area(parcel)",
                              layers: files("parcels") + files("spatial_plan"), featureIds: [r.id], crs: crs, article: "JY Art. 9",
                              uncertainty: area > 0 ? sigma * perimeter / area : nil))
        }
        for role in ["heritage", "restricted_rights", "geohazard"] where layers[role]?.1.isEmpty == false {
            let candidates = near(role)
            // No overlap at all (the usual case) needs no overlay; an overlap is located by GEOS.
            var a = 0.0, point: XY? = nil, bbox: Envelope? = nil, boundary = 0.0
            if try OverlapArea.area(parcel: parcel, candidates, geos: geos) > 0 {
                let ex = candidates.count == 1 ? try geos.make(candidates[0]) : try geos.unaryUnion(try candidates.map { try geos.make($0) })
                let inter = try geos.make(parcel).intersection(ex)
                a = try inter.area()
                if a > 0 { point = try inter.pointOnSurface().value().sequences.first?.xy.first; bbox = try inter.envelope(); boundary = try inter.length() }
            }
            r.exclusions[role] = .init(area_m2: a, point: point, bbox: bbox)
            add(MeasuredValue(id: "parcel[\(r.id)].\(role)Overlap_m2", label: "overlap of parcel \(r.id) with \(role)", value: a, unit: "m²",
                              method: "§8 area(parcel ∩ exclusion layer)", layers: files("parcels") + files(role), featureIds: [r.id], crs: crs, article: "JY Art. 10",
                              uncertainty: a > 0 ? sigma * boundary : 0))
        }
        add(MeasuredValue(id: "parcel[\(r.id)].homesteadWithoutAgreement", label: "parcel \(r.id): homestead (0702) before restoration without a declared exit agreement",
                          value: r.homestead && !r.exitAgreementDeclared ? 1 : 0, unit: "count",
                          method: "§8 class 0702 in landuse_before, and declared.homesteadExitAgreement", layers: files("parcels") + files("landuse_before"),
                          featureIds: [r.id], crs: crs, article: "JY Art. 10", declared: r.homestead, uncertainty: 0))
    }
}
