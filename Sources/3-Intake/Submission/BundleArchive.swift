import Foundation
import GeoCore
import ZIPFoundation

/// Safe unpacking of a zipped submission bundle (ZIPFoundation).
///
/// Every entry is checked before a byte is written: no absolute paths, no `..`, no symbolic
/// links, no more than `maxEntries` entries; while inflating, no entry may exceed its
/// declared size, the whole archive `maxTotalBytes`, or a large entry the compression ratio
/// `maxRatio` (a zip bomb). Entry names without the UTF-8 flag are read as GB18030 when
/// they are valid GB18030 (zips made on a Chinese Windows), else as CP437.
///
/// Only file-backed archives are opened: ZIPFoundation 0.9.20's in-memory `Archive(data:)`
/// traps on some malformed zips (found by `make fuzz`; reproducer in
/// `fuzz/regressions/crash-zipfoundation-memoryfile-range`), while the file-backed reader
/// reports them as errors.
public enum BundleArchive {
    public struct Limits: Sendable, Equatable {
        public var maxEntries: Int
        /// Total inflated bytes, all entries.
        public var maxTotalBytes: UInt64
        /// Largest inflated/compressed ratio accepted for entries above `ratioFloorBytes`.
        public var maxRatio: Double
        public var ratioFloorBytes: UInt64
        public init(maxEntries: Int = 10_000, maxTotalBytes: UInt64 = 4 << 30, maxRatio: Double = 100, ratioFloorBytes: UInt64 = 8 << 20) {
            self.maxEntries = maxEntries; self.maxTotalBytes = maxTotalBytes
            self.maxRatio = maxRatio; self.ratioFloorBytes = ratioFloorBytes
        }
    }

    /// Unpacks `zipPath` into the new folder `destination` and returns the bundle root inside
    /// it (the single top-level folder when the zip holds only one and no manifest beside it).
    public static func extract(_ zipPath: String, to destination: String, limits: Limits = Limits()) throws -> String {
        var st = stat()
        guard stat(zipPath, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw SubmissionError.archive(code: .unreadable, path: zipPath, entry: nil, detail: "not a regular file (a folder, FIFO or device)")
        }
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read) }
        catch { throw SubmissionError.archive(code: .unreadable, path: zipPath, entry: nil, detail: "not a readable zip: \(error)") }
        return try extract(archive, zipPath: zipPath, to: destination, limits: limits)
    }

    static func extract(_ archive: Archive, zipPath: String, to destination: String, limits: Limits) throws -> String {
        let planned = try plan(archive, zipPath: zipPath, limits: limits)
        // The bundle root inside the zip: the single top-level folder when every entry is in it.
        let top = Set(planned.map { $0.1.split(separator: "/").first.map(String.init) ?? "" })
        let prefix = top.count == 1 && planned.allSatisfy({ $0.1.contains("/") }) ? top.first! + "/" : ""
        let root = prefix.isEmpty ? destination : (destination as NSString).appendingPathComponent(String(prefix.dropLast()))
        ScratchFolders.shared.creating { (try? FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)) != nil }
        var inflater = Inflater(archive: archive, zipPath: zipPath, destination: destination, limits: limits)
        // Only what the manifest refers to is inflated: the manifest first, then each layer's
        // files (every file of the same name stem: a shapefile's .shp .shx .dbf .prj .cpg). A zip
        // without a manifest is inflated whole (roles are guessed from all the names); a zip whose
        // manifest cannot be read needs nothing more to report it.
        var wanted: (String) -> Bool = { _ in true }
        if let m = planned.first(where: { $0.1 == prefix + "submission.json" }) {
            try inflater.inflate(m.0, m.1)
            let path = (root as NSString).appendingPathComponent("submission.json")
            if let data = try? RegularFile.read(path, limit: 16 << 20), let manifest = try? Manifest.parse(data, path: path) {
                let stems = Set(manifest.layers.map { stem($0.path) })
                wanted = { rel in rel.hasPrefix(prefix) && stems.contains(stem(String(rel.dropFirst(prefix.count)))) }
            } else {
                wanted = { _ in false }
            }
        }
        for (entry, relative) in planned where relative != prefix + "submission.json" && wanted(relative) {
            try inflater.inflate(entry, relative)
        }
        return root
    }

    /// Pass 1: every entry's name, type and declared size checked before anything is written.
    static func plan(_ archive: Archive, zipPath: String, limits: Limits) throws -> [(Entry, String)] {
        func fail(_ code: SubmissionError.ArchiveCode, _ entry: String?, _ detail: String) -> SubmissionError {
            .archive(code: code, path: zipPath, entry: entry, detail: detail)
        }
        var planned: [(Entry, String)] = []
        var declaredTotal: UInt64 = 0
        for entry in archive {
            guard planned.count < limits.maxEntries else {
                throw fail(.tooManyEntries, nil, "more than \(limits.maxEntries) entries")
            }
            let name = entryName(entry)
            guard let relative = safeRelativePath(name) else {
                throw fail(.unsafePath, name, "the entry's path leaves the bundle folder (absolute, '..' or empty)")
            }
            switch entry.type {
            case .symlink: throw fail(.symlink, name, "symbolic links are not accepted in a bundle")
            case .directory: continue
            case .file: break
            }
            let declared = entry.uncompressedSize
            if declared > limits.ratioFloorBytes, Double(declared) > limits.maxRatio * Double(max(entry.compressedSize, 1)) {
                throw fail(.compressionRatio, name, "inflates \(entry.compressedSize) bytes to \(declared) (ratio over \(Int(limits.maxRatio)))")
            }
            declaredTotal &+= declared
            guard declaredTotal <= limits.maxTotalBytes else {
                throw fail(.tooLarge, name, "the archive inflates to more than \(limits.maxTotalBytes) bytes")
            }
            planned.append((entry, relative))
        }
        guard !planned.isEmpty else { throw fail(.unreadable, nil, "the zip holds no files") }
        return planned
    }

    /// Pass 2: entries inflated with the limits enforced on the bytes actually inflated (headers
    /// can lie), and each entry's CRC-32 checked.
    struct Inflater {
        let archive: Archive
        let zipPath: String
        let destination: String
        let limits: Limits
        var total: UInt64 = 0

        func fail(_ code: SubmissionError.ArchiveCode, _ entry: String?, _ detail: String) -> SubmissionError {
            .archive(code: code, path: zipPath, entry: entry, detail: detail)
        }

        mutating func inflate(_ entry: Entry, _ relative: String) throws {
            let fm = FileManager.default
            let target = (destination as NSString).appendingPathComponent(relative)
            let made = ScratchFolders.shared.creating {
                try? fm.createDirectory(atPath: parentFolder(of: target), withIntermediateDirectories: true)
                return fm.createFile(atPath: target, contents: nil)
            }
            guard made, let handle = FileHandle(forWritingAtPath: target) else {
                throw fail(.unreadable, relative, "cannot create \(target)")
            }
            defer { try? handle.close() }
            var written: UInt64 = 0
            var total = self.total
            let (limits, fail) = (self.limits, self.fail)
            let crc: CRC32
            do {
                crc = try archive.extract(entry, consumer: { chunk in
                    written += UInt64(chunk.count); total += UInt64(chunk.count)
                    if written > entry.uncompressedSize { throw fail(.sizeMismatch, relative, "inflates beyond its declared \(entry.uncompressedSize) bytes") }
                    if total > limits.maxTotalBytes { throw fail(.tooLarge, relative, "the archive inflates to more than \(limits.maxTotalBytes) bytes") }
                    try handle.write(contentsOf: chunk)
                })
            } catch let e as SubmissionError { throw e }
            catch { throw fail(.unreadable, relative, "cannot inflate: \(error)") }
            self.total = total
            guard written == entry.uncompressedSize else {
                throw fail(.sizeMismatch, relative, "inflated to \(written) bytes, the header says \(entry.uncompressedSize)")
            }
            guard crc == entry.checksum else {
                throw fail(.crcMismatch, relative, String(format: "CRC-32 of the inflated bytes is %08x, the entry says %08x: the zip is damaged", crc, entry.checksum))
            }
        }
    }

    /// A path without its extension, lower-cased, without "./": the key that groups a layer's files.
    static func stem(_ path: String) -> String {
        let parts = path.replacingOccurrences(of: "\\", with: "/").split(separator: "/").filter { $0 != "." }.joined(separator: "/")
        return (parts as NSString).deletingPathExtension.lowercased()
    }

    static func entryName(_ entry: Entry) -> String {
        let utf8 = entry.path(using: .utf8)
        if !utf8.contains("\u{FFFD}") { return utf8 }
        let gb = entry.path(using: String.Encoding(rawValue: 0x8000_0632))
        return gb.contains("\u{FFFD}") ? entry.path : gb
    }

    /// A path relative to the bundle folder, or nil when the entry would leave it.
    static func safeRelativePath(_ name: String) -> String? {
        let n = name.replacingOccurrences(of: "\\", with: "/")
        guard !n.isEmpty, !n.hasPrefix("/"), !n.contains("\0"),
              n.range(of: #"^[A-Za-z]:"#, options: .regularExpression) == nil else { return nil }
        let parts = n.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        guard !parts.isEmpty, !parts.contains("..") else { return nil }
        return parts.joined(separator: "/")
    }
}
