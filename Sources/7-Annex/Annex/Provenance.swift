import Crypto
import Foundation
import GeoCore
import Submission

/// What an annex was made from: every input file with its SHA-256, and the software.
struct Provenance {
    struct File { var path: String; var bytes: Int; var sha256: String }

    /// Every regular file of the bundle folder (sorted by path), hashed.
    static func files(_ bundle: SubmissionBundle) throws -> [File] {
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: bundle.root) else { return [] }
        var out: [File] = []
        for case let rel as String in e {
            let full = (bundle.root as NSString).appendingPathComponent(rel)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue, let data = fm.contents(atPath: full) else { continue }
            out.append(File(path: rel, bytes: data.count, sha256: hexadecimal(SHA256.hash(data: data))))
        }
        return out.sorted { $0.path < $1.path }
    }
}
