import Foundation
import GeoCore
import Rules
import Submission

/// Attributes: required fields and types per role, dates, species and land-class codes, the
/// permeability vocabulary, and declared lengths and areas against measured ones.
enum AttributeChecks {
    static func run(_ ins: Inspection) -> [Finding] {
        var out: [Finding] = []
        for (li, layer) in ins.set.layers.enumerated() {
            out += dates(ins, li)
            switch layer.role {
            case "vegetation": out += species(ins, li, required: true)
            case "mangrove": out += species(ins, li, required: false)
            case "landuse_before", "landuse_after": out += landClasses(ins, li)
            case "dike_before": out += dike(ins, li)
            case "parcels": out += declaredAreas(ins, li)
            default: break
            }
        }
        out += declaredLength(ins)
        return out
    }

    /// The values a manifest (`values`) or the rulebook accepts for `key` ("role.field.meaning").
    static func vocabulary(_ ins: Inspection, _ key: String) -> [String] {
        if let v = ins.manifest?.raw.objectValue?["values"]?.objectValue?[key]?.arrayValue {
            return v.compactMap(\.stringValue)
        }
        return ins.rulebook.vocabularies[key] ?? []
    }

    static func missingField(_ ins: Inspection, _ li: Int, _ meaning: String, _ named: String?) -> Finding {
        let layer = ins.set.layers[li]
        let tried = named.map { [$0] } ?? ins.vocabulary.fieldDefaults["\(layer.role).\(meaning)"] ?? []
        return Finding(.fieldMissing(role: layer.role, meaning: meaning, tried: tried), role: layer.role, layer: ins.file(layer))
    }

    static func species(_ ins: Inspection, _ li: Int, required: Bool) -> [Finding] {
        let layer = ins.set.layers[li]
        let (name, named) = ins.field(layer, "species")
        guard let name, layer.source.fieldIndex(name) != nil else {
            return required || named ? [missingField(ins, li, "species", ins.manifest?.fields["\(layer.role).species"])] : []
        }
        var out: [Finding] = []
        for f in layer.source.features {
            let v = layer.source.value(f, name)?.stringValue?.trimmingSpaces ?? ""
            if v.isEmpty {
                if required { out.append(ins.finding(.speciesEmpty(field: name), layer: li, feature: f, at: nil)) }
            } else if ins.vocabulary.species(named: v) == nil {
                out.append(ins.finding(.unknownSpecies(value: v), layer: li, feature: f, at: nil))
            }
        }
        return out
    }

    static func landClasses(_ ins: Inspection, _ li: Int) -> [Finding] {
        let layer = ins.set.layers[li]
        let (name, _) = ins.field(layer, "class")
        guard let name, let fi = layer.source.fieldIndex(name) else { return [missingField(ins, li, "class", ins.manifest?.fields["\(layer.role).class"])] }
        var out: [Finding] = []
        let field = layer.source.fields[fi]
        if field.type != .character {
            out.append(Finding(.landClassNumeric(field: name, type: field.type.rawValue), role: layer.role, layer: ins.file(layer)))
        }
        for f in layer.source.features {
            let v = layer.source.value(f, name)?.stringValue?.trimmingSpaces ?? ""
            if v.isEmpty {
                out.append(ins.finding(.landClassEmpty(field: name), layer: li, feature: f, at: nil))
            } else if !ins.vocabulary.isKnownLandClass(v) {
                out.append(ins.finding(.unknownLandClass(value: v), layer: li, feature: f, at: nil))
            }
        }
        return out
    }

    /// `dike_before` needs a permeability field (or a removed flag) with values from the vocabulary.
    static func dike(_ ins: Inspection, _ li: Int) -> [Finding] {
        let layer = ins.set.layers[li]
        let perm = ins.field(layer, "permeability"), removed = ins.field(layer, "removed")
        guard let pname = perm.name, layer.source.fieldIndex(pname) != nil else {
            return [missingField(ins, li, "permeability", ins.manifest?.fields["dike_before.permeability"])]
        }
        var out: [Finding] = []
        let known = Set((vocabulary(ins, "dike_before.permeability.impermeable") + vocabulary(ins, "dike_before.permeability.permeable")).map(Vocabulary.normalise))
        for f in layer.source.features {
            let v = layer.source.value(f, pname)?.stringValue ?? ""
            if !known.contains(Vocabulary.normalise(v)) {
                out.append(ins.finding(.permeabilityUnknown(value: v, known: known.sorted()), layer: li, feature: f, at: nil))
            }
        }
        if let rname = removed.name, layer.source.fieldIndex(rname) != nil {
            let rknown = Set((vocabulary(ins, "dike_before.removed.true") + vocabulary(ins, "dike_before.removed.false")).map(Vocabulary.normalise))
            for f in layer.source.features {
                let v = layer.source.value(f, rname)?.stringValue ?? ""
                if !rknown.contains(Vocabulary.normalise(v)) {
                    out.append(ins.finding(.removedFlagUnknown(value: v), layer: li, feature: f, at: nil))
                }
            }
        } else if removed.named {
            out.append(missingField(ins, li, "removed", ins.manifest?.fields["dike_before.removed"]))
        }
        return out
    }

    /// Date fields must hold real dates.
    static func dates(_ ins: Inspection, _ li: Int) -> [Finding] {
        let layer = ins.set.layers[li]
        var out: [Finding] = []
        for (fi, field) in layer.source.fields.enumerated() where field.type == .date {
            for f in layer.source.features {
                guard let v = f.attributes[fi].stringValue, !v.isEmpty else { continue }
                if CivilDate(v) == nil {
                    out.append(ins.finding(.dateFieldInvalid(field: field.name, value: v), layer: li, feature: f, at: nil))
                }
            }
        }
        return out
    }

    /// Declared parcel areas (m², or mu when the field is named as `parcels.area_mu`) against planar areas.
    static func declaredAreas(_ ins: Inspection, _ li: Int) -> [Finding] {
        let layer = ins.set.layers[li]
        let tol = ins.rulebook.verification.declaredTolerance.value
        let mu = ins.manifest?.fields["parcels.area_mu"]
        let (name, _) = mu.map { ($0, true) } ?? ins.field(layer, "area")
        guard let name, layer.source.fieldIndex(name) != nil else { return [] }
        let factor = mu != nil ? 10000.0 / 15 : 1
        var out: [Finding] = []
        for f in layer.working.features {
            guard let declared = layer.source.value(layer.source.features[f.index], name)?.doubleValue, declared > 0,
                  f.geometry.firstNonFiniteCoordinate == nil else { continue }
            let measured = f.geometry.planarArea
            guard measured > 0 else { continue }
            let rel = (declared * factor - measured) / measured
            if abs(rel) > tol {
                out.append(ins.finding(.declaredAreaMismatch(declared: declared * factor, measured: measured, relative: rel, tolerance: tol), layer: li, feature: f, at: nil))
            }
        }
        return out
    }

    /// `declared.restoredLength_m` against the planar length of the restored shoreline.
    static func declaredLength(_ ins: Inspection) -> [Finding] {
        guard let declared = ins.manifest?.declared["restoredLength_m"]?.doubleValue else { return [] }
        let lines = ins.set.layers("shoreline")
        guard !lines.isEmpty else { return [] }
        let measured = lines.flatMap(\.working.features).reduce(0.0) { $0 + $1.geometry.planarLength }
        let tol = ins.rulebook.verification.declaredTolerance.value
        guard measured > 0, measured.isFinite else { return [] }
        let rel = (declared - measured) / measured
        guard abs(rel) > tol else { return [] }
        return [Finding(.declaredLengthMismatch(declared: declared, measured: measured, relative: rel, tolerance: tol), role: "shoreline", layer: "submission.json")]
    }
}
