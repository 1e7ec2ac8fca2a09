import Foundation
import GeoCore

/// A submission bundle on disk: a folder with vector layers and (usually) a `submission.json`.
/// Without a manifest, roles are guessed from layer names and the guess is reported.
public struct SubmissionBundle: Sendable {
    public var root: String
    public var manifest: Manifest?
    /// Role → files, in manifest order (or guessed).
    public var entries: [Manifest.LayerEntry]
    /// Human-readable notes on guessed roles ("beach_2026.shp → beach").
    public var roleGuesses: [String]
    /// The `.zip` this bundle was unpacked from, when it came as one; `root` is then a
    /// scratch folder that `removeUnpacked()` deletes.
    public var archive: String? = nil
    /// Where the user said the bundle is (the folder or the zip), for reports.
    public var displayPath: String { archive ?? root }

    public static let roles = ["shoreline", "beach", "intertidal", "dated_shorelines", "seawall_line", "mangrove", "seawall",
                               "vegetation", "dike_before", "dike_after", "bedrock", "parcels", "landuse_before", "landuse_after",
                               "construction_land", "heritage", "restricted_rights", "geohazard", "spatial_plan"]

    /// Opens a bundle folder, or a `.zip` of one: the zip is unpacked safely
    /// (`BundleArchive`) into `scratch` (default: a new folder `ecocredit-UUID` in the temporary
    /// directory, `TMPDIR`). The scratch folder is made here, mode 0700 (an unpacked submission is
    /// nobody else's to read), and its parent must exist: a missing or read-only temporary folder
    /// is `ZIP.SCRATCH_UNWRITABLE` naming it and the system's reason, not a damaged zip, and no
    /// folder above it is created.
    public static func open(_ path: String, scratch: String? = nil, limits: BundleArchive.Limits = .init()) throws -> SubmissionBundle {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, path.lowercased().hasSuffix(".zip") {
            let dest = scratch ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("ecocredit-\(UUID().uuidString)")
            // Made and registered under one lock, before the first byte is written, so a signal
            // during unpacking removes it too.
            var failure: Int32 = 0
            ScratchFolders.shared.creating {
                guard mkdir(dest, 0o700) == 0 else { failure = errno; return false }
                ScratchFolders.shared.registerLocked(dest)
                return true
            }
            if failure != 0 {
                let parent = (dest as NSString).deletingLastPathComponent
                throw SubmissionError.scratchUnwritable(path: path, folder: parent, detail: String(cString: strerror(failure)))
            }
            let root: String
            do { root = try BundleArchive.extract(path, to: dest, limits: limits) }
            catch { ScratchFolders.shared.remove(dest); throw error }
            var bundle: SubmissionBundle
            do { bundle = try open(root) } catch { ScratchFolders.shared.remove(dest); throw error }
            bundle.archive = path
            bundle.scratchFolder = dest
            return bundle
        }
        return try openFolder(path)
    }

    /// The scratch folder a zip was unpacked into.
    public internal(set) var scratchFolder: String? = nil

    /// Deletes the folder a zipped bundle was unpacked into (nothing for a folder bundle).
    public func removeUnpacked() {
        if let scratchFolder { ScratchFolders.shared.remove(scratchFolder) }
    }

    static func openFolder(_ path: String) throws -> SubmissionBundle {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw SubmissionError.notFound(path: path) }
        guard isDir.boolValue else {
            var st = stat()
            let regular = stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
            throw SubmissionError.notABundle(path: path, what: regular ? .init(zh: "一个文件", en: "a file")
                                                                      : .init(zh: "一个设备或其他特殊文件", en: "a device or other special file"))
        }
        let manifestPath = (path as NSString).appendingPathComponent("submission.json")
        if FileManager.default.fileExists(atPath: manifestPath) {
            let data: Data
            do { data = try RegularFile.read(manifestPath, limit: 16 << 20) }
            catch { throw SubmissionError.manifestInvalid(path: manifestPath, detail: "\(error)") }
            let m = try Manifest.parse(data, path: manifestPath)
            return SubmissionBundle(root: path, manifest: m, entries: m.layers, roleGuesses: [])
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
            .filter { $0.lowercased().hasSuffix(".shp") || $0.lowercased().hasSuffix(".geojson") || $0.lowercased().hasSuffix(".json") && $0 != "submission.json" }
        var entries: [Manifest.LayerEntry] = [], guesses: [String] = []
        for f in files {
            let stem = ((f as NSString).deletingPathExtension).lowercased()
            guard let role = guessRole(stem) else { guesses.append("\(f) → no role"); continue }
            entries.append(.init(role: role, path: f, date: role == "dated_shorelines" ? guessDate(stem) : nil))
            guesses.append("\(f) → \(role)")
        }
        guard !entries.isEmpty else { throw SubmissionError.noLayers(path: path) }
        return SubmissionBundle(root: path, manifest: nil, entries: entries, roleGuesses: guesses)
    }

    /// Role from a layer name: the longest role name it contains, with common synonyms.
    static func guessRole(_ stem: String) -> String? {
        let synonyms: [(String, String)] = [("restored_shoreline", "shoreline"), ("dike_removed", "dike_after"), ("landuse_now", "landuse_before"),
                                            ("construction", "construction_land"), ("mangroves", "mangrove")]
        if stem.range(of: #"shoreline_?\d{4}"#, options: .regularExpression) != nil { return "dated_shorelines" }
        for (s, role) in synonyms where stem.contains(s) { return role }
        return roles.filter { stem.contains($0) }.max { $0.count < $1.count }
    }

    static func guessDate(_ stem: String) -> String? {
        guard let r = stem.range(of: #"\d{4}(-?\d{2}-?\d{2})?"#, options: .regularExpression) else { return nil }
        let t = String(stem[r])
        return t.count == 4 ? t + "-01-01" : t
    }

    /// The file of a layer entry, confined to the bundle: an absolute path, a `..` component, or
    /// a file (or any part of a shapefile beside it) whose symbolic links resolve outside the
    /// bundle's folder is refused with `BUNDLE.PATH_OUTSIDE`. Behind an upload endpoint a
    /// manifest must not be able to name any other file on the server.
    public func confinedPath(_ entry: Manifest.LayerEntry) throws -> String {
        let components = entry.path.split(separator: "/", omittingEmptySubsequences: false)
        guard !entry.path.hasPrefix("/"), !entry.path.contains("\\"), !components.contains(".."), !entry.path.isEmpty else {
            throw SubmissionError.pathOutside(role: entry.role, path: entry.path)
        }
        let path = (root as NSString).appendingPathComponent(entry.path)
        let realRoot = Self.realPath(root) ?? root
        let base = (path as NSString).deletingPathExtension
        let parts = [path] + ["shp", "shx", "dbf", "prj", "cpg", "SHP", "SHX", "DBF", "PRJ", "CPG"].map { base + "." + $0 }
        for part in parts {
            // A part that does not exist is reported by the reader; one that does must resolve inside.
            guard let real = Self.realPath(part) else { continue }
            guard real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
                throw SubmissionError.pathOutside(role: entry.role, path: entry.path)
            }
        }
        return path
    }

    /// The canonical path with every symbolic link resolved, or nil when nothing is there.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}

/// Every scratch folder this process has made and not yet removed, so that a signal handler
/// (`removeAllBeforeExit`) can remove them before the process exits: no unpacked bundle is left behind
/// on SIGINT or SIGTERM. (SIGKILL cannot be caught; scratch folders carry the `ecocredit-`
/// prefix in the temporary directory.)
public final class ScratchFolders: @unchecked Sendable {
    public static let shared = ScratchFolders()
    private let lock = NSLock()
    private var folders: Set<String> = []

    /// Runs `create` (making a file or folder inside a scratch folder) under the lock that
    /// `removeAllBeforeExit` takes and keeps: a signal can never remove a folder while a file is
    /// being made in it and leave that file behind, and once the folders are being removed,
    /// nothing more is made (the call waits until the process has ended). Returns `create`'s result.
    @discardableResult
    public func creating(_ create: () -> Bool) -> Bool {
        lock.withLock(create)
    }

    /// Runs `body` under the same lock, for a step that moves a registered folder (putting a
    /// staging folder in its target's place): a signal's removal happens wholly before it or
    /// wholly after it. Without this, a folder being removed by the handler file by file could
    /// be renamed into place half-removed. Use `forgetLocked` inside for a folder that became
    /// a result.
    public func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }
    /// Forgets a folder from inside `exclusively`.
    public func forgetLocked(_ path: String) { folders.remove(path) }

    /// Registers a folder just made, from inside `creating` (which holds the lock): making and
    /// registering are one step, so no signal can come between them.
    public func registerLocked(_ path: String) { folders.insert(path) }
    /// Removes the folder and forgets it, under the lock: a signal that comes meanwhile waits
    /// until the folder is gone (forgetting it first let a signal end the process half-way
    /// through the removal and leave an empty folder behind).
    public func remove(_ path: String) {
        lock.withLock {
            try? FileManager.default.removeItem(atPath: path)
            _ = folders.remove(path)
        }
    }

    /// Removes every registered folder, for a signal handler that ends the process right after
    /// (`_exit`). The lock is kept: from here on nothing is made, removed or forgotten by any
    /// other thread, and a thread that tries waits until the process has ended.
    public func removeAllBeforeExit() {
        lock.lock()
        // Files this program makes are made under the lock, but a library may add one beside
        // them (SQLite's journal next to a database in a scratch folder): remove again until the
        // folder is gone (once it is, nothing recreates it: folders are made under the lock).
        for p in folders {
            for _ in 0..<100 {
                try? FileManager.default.removeItem(atPath: p)
                if !FileManager.default.fileExists(atPath: p) { break }
                usleep(1000)
            }
        }
        folders = []
    }

    /// Called as the process exits normally (`atexit`): takes the lock and keeps it, so a signal
    /// that comes during the exit cannot start removing folders (or end the process) while the
    /// exit runs; its handler waits and the normal exit completes with its own status.
    public func holdForExit() { lock.lock() }
}
