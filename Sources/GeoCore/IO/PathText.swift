/// POSIX path text as Foundation's path methods write it, for the few paths every run joins and
/// names: `URL(fileURLWithPath:)` and `NSString` bridging cost a process tenths of a millisecond
/// at first use, a large share of a small bundle's reading. Tested against Foundation.
public enum PathText {
    /// `component` appended to `directory`, as `NSString.appendingPathComponent`: one "/" added
    /// between them unless `directory` ends with one; either alone when the other is empty.
    public static func join(_ directory: String, _ component: String) -> String {
        if directory.isEmpty { return component }
        if component.isEmpty { return directory }
        return directory.hasSuffix("/") ? directory + component : directory + "/" + component
    }

    /// The last component ("/a/b/c.shp" → "c.shp", "/a/b/" → "b", "/" → "/"), as
    /// `URL(fileURLWithPath:).lastPathComponent`.
    public static func lastComponent(_ path: String) -> String {
        let t = tidy(path)
        if t == "/" { return "/" }
        guard let slash = t.lastIndex(of: "/") else { return t }
        return String(t[t.index(after: slash)...])
    }

    /// The last component without its extension ("/a/b.c.geojson" → "b.c"; ".hidden" stays), as
    /// `URL(fileURLWithPath:).deletingPathExtension().lastPathComponent`.
    public static func stem(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, name.index(after: dot) != name.endIndex else { return name }
        return String(name[..<dot])
    }

    /// Runs of "/" made one and a trailing "/" dropped (the root stays "/").
    static func tidy(_ path: String) -> String {
        var out = ""
        out.reserveCapacity(path.utf8.count)
        var previousSlash = false
        for c in path {
            if c == "/" { if previousSlash { continue }; previousSlash = true } else { previousSlash = false }
            out.append(c)
        }
        if out.count > 1, out.hasSuffix("/") { out.removeLast() }
        return out
    }
}
