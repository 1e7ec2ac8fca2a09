import GeoCore

extension RoleLayer {
    /// The attribute that carries `meaning` for this layer's role: the manifest's
    /// `fields["role.meaning"]` (`named` is true then; the name as the layer spells it when it
    /// has the field), else the first of `defaults` the layer has.
    public func field(_ meaning: String, manifest: Manifest?, defaults: [String]) -> (name: String?, named: Bool) {
        if let n = manifest?.fields["\(role).\(meaning)"] {
            return (source.fieldIndex(n).map { source.fields[$0].name } ?? n, true)
        }
        for candidate in defaults { if let i = source.fieldIndex(candidate) { return (source.fields[i].name, false) } }
        return (nil, false)
    }
}
