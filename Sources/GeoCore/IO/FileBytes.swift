#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a whole file with POSIX `open`/`read` into `Data`, refusing files over `limit` bytes.
/// (Foundation's `Data(contentsOf:options: .mappedIfSafe)` leaked its buffer on some inputs
/// under the fuzzer's LeakSanitizer; this path owns its buffer plainly.)
enum FileBytes {
    static func read(_ path: String, limit: Int) throws -> Data {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw GeoError.io(code: .unreadable, file: path, detail: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw GeoError.io(code: .unreadable, file: path, detail: String(cString: strerror(errno))) }
        let size = Int(st.st_size)
        guard size <= limit else {
            throw GeoError.io(code: .tooLarge, file: path, detail: "\(size) bytes exceeds the limit of \(limit) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buf in Glibc.read(fd, buf.baseAddress! + done, size - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw GeoError.io(code: .unreadable, file: path, detail: String(cString: strerror(errno)))
            }
            if n == 0 { break }   // the file shrank while being read
            done += n
        }
        return Data(bytes[0..<done])
    }
}
