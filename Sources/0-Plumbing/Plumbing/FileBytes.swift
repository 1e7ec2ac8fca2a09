#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Reads a whole regular file with POSIX `open`/`read` into `Data`, refusing files over `limit`
/// bytes. Anything but a regular file — a FIFO, a device, a folder — is refused with
/// `IO.NOT_REGULAR_FILE` before a byte is read (the file is opened non-blocking, so a FIFO
/// named like a layer cannot hang the reader). (Foundation's `Data(contentsOf:)` leaked its
/// buffer on some inputs under the fuzzer's LeakSanitizer; this path owns its buffer plainly.)
public enum RegularFile {
    /// The default limit: 2 GiB.
    public static let defaultLimit = 1 << 31

    public static func read(_ path: String, limit: Int = defaultLimit) throws -> Data {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw GeoError.io(code: .unreadable, file: path, detail: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw GeoError.io(code: .unreadable, file: path, detail: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw GeoError.io(code: .notRegularFile, file: path, detail: "not a regular file (a folder, FIFO or device)")
        }
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

extension RegularFile {
    /// The UTF-8 text of a small side file (`.prj`, `.cpg`): nil when no such file exists or its
    /// bytes are not UTF-8; `IO.NOT_REGULAR_FILE` when something else stands at that name.
    public static func optionalText(_ path: String, limit: Int = 1 << 20) throws -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return String(validating: try read(path, limit: limit), as: UTF8.self)
    }
    /// The first of `paths` that exists, as text (see `optionalText`).
    public static func firstText(_ paths: [String]) throws -> String? {
        for p in paths { if let t = try optionalText(p) { return t } }
        return nil
    }
}

/// A file written piece by piece (POSIX `open`/`write`), so that a large text — a
/// measurements.json of 100 000 parcels — never has to sit in memory whole. Owns its file
/// descriptor and closes it exactly once (`close()`, or `deinit` if never closed).
public final class TextFileSink {
    public let path: String
    private var fd: Int32
    /// Sees every buffer written, in order (a digest computed on the way).
    public var observe: ((UnsafeRawBufferPointer) -> Void)?

    /// Creates or truncates the file.
    public init(_ path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw GeoError.io(code: .writeFailed, file: path, detail: String(cString: strerror(errno))) }
    }

    /// Appends the text's UTF-8 bytes.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(buffer: $0) }
    }

    /// Appends bytes (UTF-8 text built as bytes, `ByteText`).
    public func write(bytes: [UInt8]) throws { try bytes.withUnsafeBufferPointer { try write(buffer: $0) } }

    private func write(buffer buf: UnsafeBufferPointer<UInt8>) throws {
        observe?(UnsafeRawBufferPointer(buf))
        var done = 0
        while done < buf.count {
            let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw GeoError.io(code: .writeFailed, file: path, detail: "write: " + String(cString: strerror(errno)))
            }
            done += n
        }
    }

    /// Closes the file; a failure to close (the data may not be on disk) is an error.
    public func close() throws {
        guard fd >= 0 else { return }
        let rc = Glibc.close(fd)
        fd = -1
        if rc != 0 { throw GeoError.io(code: .writeFailed, file: path, detail: "close: " + String(cString: strerror(errno))) }
    }

    deinit { if fd >= 0 { _ = Glibc.close(fd) } }
}
