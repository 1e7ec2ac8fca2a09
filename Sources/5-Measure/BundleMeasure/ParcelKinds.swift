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
            guard let name, let field = l.source.fieldIndex(name) else { return [] }
            let working = l.working.features, source = l.source.features, crosswalk = rulebook.landClassCrosswalk?.codes
            // On all cores (a land-use layer has hundreds of thousands of polygons), in feature order.
            return Array(Parallel.ranges(working.count, minimumPerWorker: 4096) { range in
                range.compactMap { k -> (code: String, geometry: Geometry)? in
                    let f = working[k]
                    guard Self.measurable(f), let raw = source[f.index].attributes[field].stringValue, !raw.isEmpty else { return nil }
                    // Second-survey 3-digit codes are translated to third-survey codes (rulebook crosswalk).
                    let code = raw.trimmingSpaces
                    return (code.count == 3 ? crosswalk?[code] ?? code : code, f.geometry)
                }
            }.joined())
        }
    }

    /// Eligibility layers of JY Art. 9 (shares) and Art. 10 (located overlaps).
    static let shareRoles = ["construction_land", "spatial_plan"], exclusionRoles = ["heritage", "restricted_rights", "geohazard"]

    /// The geometry of every parcel (class areas, eligibility overlaps), on all cores.
    func parcelFacts(supply: Bool) throws -> [ParcelOverlay.Facts] {
        let overlay = ParcelOverlay(before: landuse("landuse_before"), after: supply ? nil : landuse("landuse_after"),
                                    layers: supply ? [:] : Dictionary(uniqueKeysWithValues: (Self.shareRoles + Self.exclusionRoles).map { ($0, geometries($0)) }),
                                    located: Set(Self.exclusionRoles), sliverArea: params["sliverArea_m2"])
        return try overlay.measure(geometries("parcels"))
    }

    mutating func parcels(supply: Bool) throws {
        let sliver = params["sliverArea_m2"]
        // Geometry first (Measure.ParcelOverlay, all cores); values are built below, in parcel order.
        let feats = features("parcels")
        let facts = try parcelFacts(supply: supply)
        let geodesicAreas = try geodesic.areas(feats.map(\.feature.geometry))
        let date = manifest?.checkDate.flatMap(CivilDate.init)
        let tableData = date.flatMap { rulebook.coefficientTable(on: $0) }
        let table = tableData.map { CoefficientTable($0.coefficients) }
        report.coefficientTableIsExample = tableData?.example ?? false
        if tableData?.example == true {
            report.notes.append("coefficient table \(tableData!.id) is an example, not official: voucher quantities are for reference only (JY Art. 19)")
        }
        report.coefficientTable = tableData.map { "\($0.id) (\($0.validFrom) – \($0.validTo))\($0.label.map { ": " + $0 } ?? "")" }
        if table == nil {
            report.notes.append("no coefficient table of \(rulebook.citation) is in force on the check date \(manifest?.checkDate ?? "(none)"): no voucher quantity (§8)")
        }
        let exitAgreements = Set(manifest?.declared["homesteadExitAgreement"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        var earned = CreditQuantity.zero, required = CreditQuantity.zero
        let layers = files("parcels") + files("landuse_before") + (supply ? [] : files("landuse_after")), parcelFiles = files("parcels")
        for (k, (l, f)) in feats.enumerated() {
            let id = featureId(l, f)
            let b = facts[k].before, a = facts[k].after ?? ParcelClassAreas(areas: [:])
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
            if !supply { eligibility(&r, parcel: f.geometry, overlaps: facts[k].overlaps) }
            report.parcels.append(r)
        }
        if table != nil {
            add(MeasuredValue(id: supply ? "parcels.vouchersRequired" : "parcels.vouchers", label: supply ? "vouchers required, all parcels" : "vouchers earned, all parcels",
                              value: Double((supply ? required : earned).tenThousandths) / 10_000, unit: "unit", method: "§8 sum of parcel quantities",
                              layers: files("parcels"), featureIds: ids("parcels"), crs: crs, article: supply ? "JY Art. 31, 34" : "JY Art. 2, 19"))
        }
    }

    /// JY Art. 9–10: share inside third-survey construction land and spatial-plan zones; overlap
    /// with each exclusion layer (a layer that is absent or empty gives no value).
    mutating func eligibility(_ r: inout MeasurementReport.ParcelResult, parcel: Geometry, overlaps: [String: ParcelOverlap]) {
        let area = parcel.planarArea
        let sigma = params["positionalAccuracy_m"], perimeter = parcel.planarLength
        if let o = overlaps["construction_land"] {
            r.constructionShare = area > 0 ? o.area / area : 0
            add(MeasuredValue(id: "parcel[\(r.id)].constructionShare", label: "share of parcel \(r.id) inside third-survey construction land",
                              value: r.constructionShare!, unit: "ratio", method: "§8 area(parcel ∩ construction land) / area(parcel)",
                              layers: files("parcels") + files("construction_land"), featureIds: [r.id], crs: crs, article: "JY Art. 9",
                              uncertainty: area > 0 ? sigma * perimeter / area : nil))
        }
        if let o = overlaps["spatial_plan"] {
            add(MeasuredValue(id: "parcel[\(r.id)].spatialPlanShare", label: "share of parcel \(r.id) inside spatial-plan zones fit for restoration",
                              value: area > 0 ? o.area / area : 0, unit: "ratio", method: "§8 area(parcel ∩ spatial plan) / area(parcel)",
                              layers: files("parcels") + files("spatial_plan"), featureIds: [r.id], crs: crs, article: "JY Art. 9",
                              uncertainty: area > 0 ? sigma * perimeter / area : nil))
        }
        for role in Self.exclusionRoles {
            guard let o = overlaps[role] else { continue }
            r.exclusions[role] = .init(area_m2: o.area, point: o.point, bbox: o.bbox)
            add(MeasuredValue(id: "parcel[\(r.id)].\(role)Overlap_m2", label: "overlap of parcel \(r.id) with \(role)", value: o.area, unit: "m²",
                              method: "§8 area(parcel ∩ exclusion layer)", layers: files("parcels") + files(role), featureIds: [r.id], crs: crs, article: "JY Art. 10",
                              uncertainty: o.area > 0 ? sigma * o.boundary : 0))
        }
        add(MeasuredValue(id: "parcel[\(r.id)].homesteadWithoutAgreement", label: "parcel \(r.id): homestead (0702) before restoration without a declared exit agreement",
                          value: r.homestead && !r.exitAgreementDeclared ? 1 : 0, unit: "count",
                          method: "§8 class 0702 in landuse_before, and declared.homesteadExitAgreement", layers: files("parcels") + files("landuse_before"),
                          featureIds: [r.id], crs: crs, article: "JY Art. 10", declared: r.homestead, uncertainty: 0))
    }
}
