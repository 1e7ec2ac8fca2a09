import Crypto
import Foundation
import Hummingbird
import Plumbing

/// Uploaded bundles on disk: `<folder>/<sha256>.zip`, named by the SHA-256 of their bytes —
/// never by anything the client sent. A body is streamed to a private part file chunk by chunk
/// while its bytes are counted and hashed (Content-Length is not trusted), so an upload is never
/// held whole in memory; one over the cap is refused at the chunk that crosses it and its part
/// file removed. Stored bundles are never changed or deleted (a result must stay recomputable).
public struct BlobFolder: Sendable {
    public let path: String

    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Where the bundle with this SHA-256 is (the name is checked to be 64 hexadecimal digits).
    public func file(sha256: String) -> String? {
        guard isLowerHex(sha256, digits: 64) else { return nil }
        return path + "/" + sha256 + ".zip"
    }

    /// Streams `body` into the folder; returns the bundle's SHA-256 and size. Throws
    /// `ServiceError.bundleTooLarge` as soon as more than `limit` bytes have arrived.
    public func store<Body: AsyncSequence>(_ body: Body, limit: Int) async throws -> (sha256: String, bytes: Int64) where Body.Element == ByteBuffer {
        let part = path + "/upload-" + UUID().uuidString + ".part"
        let fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ServiceError.storage(detail: "\(part): \(String(cString: strerror(errno)))") }
        var closed = false
        defer { if !closed { close(fd) }; unlink(part) }
        var hash = SHA256(), total = 0
        for try await buffer in body {
            total += buffer.readableBytes
            guard total <= limit else { throw ServiceError.bundleTooLarge(limit: limit) }
            try buffer.withUnsafeReadableBytes { raw in
                hash.update(bufferPointer: raw)
                var done = 0
                while done < raw.count {
                    let n = write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 { if errno == EINTR { continue }; throw ServiceError.storage(detail: "\(part): \(String(cString: strerror(errno)))") }
                    done += n
                }
            }
        }
        guard total > 0 else { throw ServiceError.emptyBundle }
        guard fsync(fd) == 0 else { throw ServiceError.storage(detail: "\(part): \(String(cString: strerror(errno)))") }
        close(fd); closed = true
        let sha = hexadecimal(hash.finalize())
        let target = file(sha256: sha)!
        // The same bytes uploaded twice are one blob; the first copy stays.
        if access(target, F_OK) != 0, rename(part, target) != 0 {
            throw ServiceError.storage(detail: "\(target): \(String(cString: strerror(errno)))")
        }
        return (sha, Int64(total))
    }
}

/// True when `s` is exactly `digits` lower-case hexadecimal digits (job ids, blob names: the only
/// client text the service turns into a file name).
func isLowerHex(_ s: String, digits: Int) -> Bool {
    s.utf8.count == digits && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
}
