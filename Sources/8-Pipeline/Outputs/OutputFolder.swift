#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation
import GeoCore
import Submission

/// An output folder written as a whole or not at all.
///
/// Files are written into a new folder beside the target (same file system), with an
/// `index.json` naming each file with its size and SHA-256; then that folder takes the target's
/// place in one atomic step (`renameat2(RENAME_EXCHANGE)` when a previous output is there, a
/// plain `rename` when none is). A process killed at any moment leaves either the complete
/// previous folder or the complete new one under the target's name, never a mix of two runs.
///
/// The target must be absent, empty, or a folder an earlier run wrote (it holds `index.json`);
/// a symbolic link at the target is refused, never followed; nothing is written through one.
///
/// Files given as bytes are written and hashed on one background thread, in order, while the
/// caller makes the next file's bytes (`BackgroundWrites`); a file given as `OrderedPieces` is
/// handed over piece by piece as its pieces are made (`PieceChannel`). Each large piece's
/// write-back to disk starts as soon as it is written, and every few megabytes the data is
/// flushed on another thread beside the work (`EarlyFlush`), so `commit`'s `fsync`s find little
/// left to do.
public struct OutputFolder {
    public let target: String
    let staging: String
    private(set) var files: [(name: String, bytes: Int, sha256: String)] = []
    private let background = BackgroundWrites()
    private let flusher = EarlyFlush()

    /// Prepares the staging folder. Throws `OutputError` when the target cannot be used.
    public init(_ target: String) throws {
        let clean = target.hasSuffix("/") && target.count > 1 ? String(target.dropLast()) : target
        self.target = clean
        var st = stat()
        if lstat(clean, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFLNK { throw OutputError.symlink(path: clean) }
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw OutputError.notAFolder(path: clean) }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: clean)) ?? []
            if !contents.isEmpty && !contents.contains("index.json") { throw OutputError.notOurs(path: clean) }
        }
        let parent = parentFolder(of: clean)
        let name = (clean as NSString).lastPathComponent
        staging = (parent as NSString).appendingPathComponent(".\(name).ecocredit-\(UUID().uuidString.prefix(8))")
        do { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        catch { throw OutputError.cannotWrite(path: parent, detail: (error as NSError).localizedFailureReason ?? "cannot create the folder") }
        let staging = self.staging
        var failure: Int32 = 0
        let made = ScratchFolders.shared.creating {
            guard mkdir(staging, 0o755) == 0 else { failure = errno; return false }
            ScratchFolders.shared.registerLocked(staging)   // removed on SIGINT/SIGTERM too
            return true
        }
        guard made else { throw OutputError.cannotWrite(path: clean, detail: failure == 0 ? "the process is exiting" : String(cString: strerror(failure))) }
    }

    /// The path a file named `name` is written to while staging (a fresh folder of ours, so no
    /// symbolic link can be in the way).
    public func path(_ name: String) -> String { (staging as NSString).appendingPathComponent(name) }

    /// Writes `data` as `name`, hashing it on the way (index.json), on the background thread;
    /// a failure is thrown by `commit`.
    public mutating func write(_ name: String, _ data: Data) throws {
        let target = path(name), flusher = flusher
        background.enqueue { try Self.writeFile(name, at: target, flusher: flusher) { emit in try data.withUnsafeBytes { try emit($0) } } }
    }

    /// Writes `pieces` as `name`: they are made on every core (this call returns when all are
    /// made), and the writing thread hashes and writes each one, and starts its write-back to
    /// disk, as soon as it and the ones before it are made, while the rest are still being made
    /// (pieces already made: `.made(pieces)`). The failure of the first piece that fails is
    /// thrown here, and again by `commit`.
    public mutating func write(_ name: String, _ pieces: OrderedPieces) throws {
        let target = path(name), flusher = flusher
        let channel = PieceChannel(count: pieces.count)
        background.enqueue { try Self.writeFile(name, at: target, flusher: flusher) { emit in for i in 0..<pieces.count { try channel.take(i).withUnsafeBytes { try emit($0) } } } }
        pieces.makeEach { i, piece in channel.put(i, piece) }
        if let failure = channel.firstFailure { throw failure }
    }

    /// Makes `name`'s bytes with `produce` and writes them, both on the background thread (for
    /// a file made serially, such as JSON: it is made while the caller makes the next file on
    /// the other cores); a failure is thrown by `commit`.
    public mutating func write(_ name: String, producing produce: @escaping @Sendable () throws -> [[UInt8]]) {
        let target = path(name), flusher = flusher
        background.enqueue {
            let pieces = try produce()
            return try Self.writeFile(name, at: target, flusher: flusher) { emit in for p in pieces { try p.withUnsafeBytes { try emit($0) } } }
        }
    }

    /// Writes `name` through a sink that `body` fills piece by piece (a file too large to hold
    /// whole), hashing it on the way; on the background thread (a failure is thrown by `commit`).
    public mutating func stream(_ name: String, _ body: @escaping @Sendable (TextFileSink) throws -> Void) {
        let target = path(name)
        background.enqueue {
            var sink: TextFileSink? = nil
            var failure: Error? = nil
            ScratchFolders.shared.creating { do { sink = try TextFileSink(target) } catch { failure = error }; return sink != nil }
            guard let sink else { throw OutputError.cannotWrite(path: target, detail: "\(failure.map { "\($0)" } ?? "cannot create")") }
            var hash = SHA256(), total = 0
            sink.observe = { hash.update(bufferPointer: $0); total += $0.count }
            try body(sink)
            try sink.close()
            return (name, total, hexadecimal(hash.finalize()))
        }
    }

    /// Creates `name` at `target` and lets `produce` hand it its bytes, buffer by buffer;
    /// returns its entry of index.json. Starts the file's write-back (`sync_file_range`).
    private static func writeFile(_ name: String, at target: String, flusher: EarlyFlush?,
                                  _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws -> (name: String, bytes: Int, sha256: String) {
        var fd: Int32 = -1
        ScratchFolders.shared.creating { fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644); return fd >= 0 }
        guard fd >= 0 else { throw OutputError.cannotWrite(path: target, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var hash = SHA256(), total = 0
        try produce { buf in
            guard buf.count > 0 else { return }
            hash.update(bufferPointer: buf)
            var done = 0
            while done < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + done, buf.count - done)
                if n < 0 { if errno == EINTR { continue }; throw OutputError.cannotWrite(path: target, detail: String(cString: strerror(errno))) }
                done += n
            }
            // Large pieces start their own write-back, and every few megabytes the disk is
            // asked to make them durable beside the work (`EarlyFlush`).
            if buf.count >= 1 << 17 { startWriteBack(fd, offset: total, count: buf.count) }
            total += buf.count
            flusher?.wrote(buf.count, fd: fd, path: target)
        }
        startWriteBack(fd, offset: 0, count: 0)
        flusher?.fileEnds(fd: fd, path: target)
        return (name, total, hexadecimal(hash.finalize()))
    }

    /// Asks the kernel to start writing `fd`'s dirty pages in `offset..<offset+count` (to the
    /// end of the file when `count` is 0) to disk now, without waiting
    /// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`, found at run time: Swift's Glibc module does
    /// not export it). Only an early start: `commit` still `fsync`s every file.
    private static func startWriteBack(_ fd: Int32, offset: Int, count: Int) {
        typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
        guard let sym = syncFileRange else { return }
        _ = unsafeBitCast(sym, to: SyncFileRange.self)(fd, Int64(offset), Int64(count), 2 /* SYNC_FILE_RANGE_WRITE */)
    }
    nonisolated(unsafe) private static let syncFileRange = dlsym(nil, "sync_file_range")

    /// Records a file some writer has put at `path(name)` (streamed writers write it themselves).
    mutating func record(_ name: String) throws {
        var hash = SHA256()
        let fd = open(path(name), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError.cannotWrite(path: path(name), detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw OutputError.cannotWrite(path: path(name), detail: String(cString: strerror(errno))) }
            if n == 0 { break }
            hash.update(data: buffer[0..<n]); total += n
        }
        files.append((name, total, hexadecimal(hash.finalize())))
    }

    /// Writes `index.json`, flushes everything to disk, and puts the folder in the target's place.
    /// `progress` is told when the writing thread has finished ("writes finished") and when
    /// everything is on disk and in place ("flushed to disk and renamed"), for `--timings`.
    public mutating func commit(names: [String], progress: ((String) -> Void)? = nil) throws {
        files += try background.finish()
        progress?("writes finished")
        // Files written through `write` were hashed on the way; streamed ones are read back.
        for n in names where !files.contains(where: { $0.name == n }) { try record(n) }
        var index = "{\n  \"format\": \"ecocredit-output/1\",\n  \"files\": [\n"
        index += files.sorted { $0.name < $1.name }.map { f in
            "    {\"name\": \(JSONText.string(f.name)), \"bytes\": \(f.bytes), \"sha256\": \"\(f.sha256)\"}"
        }.joined(separator: ",\n")
        index += "\n  ]\n}\n"
        try flusher.finish()
        files.append(try Self.writeFile("index.json", at: path("index.json"), flusher: nil) { emit in try Data(index.utf8).withUnsafeBytes { try emit($0) } })
        for n in names + ["index.json"] { try syncFile(path(n)) }
        syncFolder(staging)
        // Moved under the scratch folders' lock: a SIGINT/SIGTERM handler removing the staging
        // folder file by file must not have it renamed into place half-way through (a run of
        // VerifyCLITests' signal test found a target without check.json).
        let replaced: Bool = try ScratchFolders.shared.exclusively {
            var st = stat()
            if lstat(target, &st) == 0 {
                try Self.exchange(staging, target)
                return true
            }
            guard rename(staging, target) == 0 else { throw OutputError.cannotWrite(path: target, detail: String(cString: strerror(errno))) }
            ScratchFolders.shared.forgetLocked(staging)
            return false
        }
        // The staging name now holds the previous output (still registered: a signal from here
        // on removes it, and the new output is whole in the target's place).
        if replaced { ScratchFolders.shared.remove(staging) }
        syncFolder(parentFolder(of: target))
        progress?("flushed to disk and renamed")
    }

    /// Swaps two paths in one step: Linux's `renameat2(RENAME_EXCHANGE)` (glibc 2.28+, found at
    /// run time because Swift's Glibc module does not export it). Where it is missing, two
    /// renames, which leave a moment in which the target is absent (the previous output then
    /// stays whole under the staging name).
    static func exchange(_ a: String, _ b: String) throws {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        let renameExchange: UInt32 = 1 << 1   // RENAME_EXCHANGE, <linux/fs.h>
        if let sym = dlsym(nil, "renameat2") {
            let fn = unsafeBitCast(sym, to: RenameAt2.self)
            if fn(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return }
            if errno != EINVAL && errno != ENOSYS { throw OutputError.cannotWrite(path: b, detail: String(cString: strerror(errno))) }
        }
        let aside = a + ".previous"
        guard rename(b, aside) == 0, rename(a, b) == 0, rename(aside, a) == 0 else {
            throw OutputError.cannotWrite(path: b, detail: String(cString: strerror(errno)))
        }
    }

    /// Removes the staging folder (after a failure), once the background writes have stopped.
    public func discard() {
        _ = try? background.finish()
        _ = try? flusher.finish()
        ScratchFolders.shared.remove(staging)
    }

    /// Flushes a folder's entries to disk, as far as the file system allows (some refuse `fsync`
    /// on a folder with EINVAL): best effort.
    private func syncFolder(_ p: String) {
        let fd = open(p, O_RDONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Flushes the file `p` to disk; a failure (an I/O error, a full disk found late) is the output's
    /// failure, with its path: nothing replaces the target.
    private func syncFile(_ p: String) throws {
        let fd = open(p, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError.cannotWrite(path: p, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        if let failure = flushed(fd, path: p, by: fsync) { throw failure }
    }
}

/// Flushes `fd` (the file at `path`) with `flush` (`fsync` or `fdatasync`), again when a signal
/// interrupts it; an I/O error (a full disk found late) is returned as the output's failure.
private func flushed(_ fd: Int32, path: String, by flush: (Int32) -> Int32) -> OutputError? {
    while flush(fd) != 0 {
        if errno == EINTR { continue }
        return .cannotWrite(path: path, detail: String(cString: strerror(errno)))
    }
    return nil
}

/// Why an output folder cannot be written. Each has a stable code.
public enum OutputError: CodedError, Sendable {
    case symlink(path: String)
    case notAFolder(path: String)
    case notOurs(path: String)
    case cannotWrite(path: String, detail: String)

    public var code: String {
        switch self {
        case .symlink: return "OUTPUT.SYMLINK"
        case .notAFolder: return "OUTPUT.NOT_A_FOLDER"
        case .notOurs: return "OUTPUT.NOT_EMPTY"
        case .cannotWrite: return "OUTPUT.CANNOT_WRITE"
        }
    }
    public var message: Bilingual {
        switch self {
        case .symlink(let p):
            return .init(zh: "“\(p)”是符号链接；EcoCredit 不经链接写入", en: "\(p) is a symbolic link; EcoCredit does not write through links")
        case .notAFolder(let p):
            return .init(zh: "“\(p)”已存在且不是目录", en: "\(p) exists and is not a folder")
        case .notOurs(let p):
            return .init(zh: "“\(p)”中有不是 EcoCredit 写入的文件（没有 index.json）；请选择空目录或新目录",
                         en: "\(p) holds files EcoCredit did not write (no index.json); choose an empty or new folder")
        case let .cannotWrite(p, d):
            return .init(zh: "“\(p)”无法写入；系统的原因见英文信息", en: "\(p): \(d)")
        }
    }
}

/// One background thread writing an output folder's files in the order given. The first
/// failure stops the rest and is thrown by `finish`.
final class BackgroundWrites: @unchecked Sendable {
    typealias Entry = (name: String, bytes: Int, sha256: String)
    private let queue = DispatchQueue(label: "ecocredit.output-writes")
    private let lock = NSLock()
    private var written: [Entry] = []
    private var failure: Error? = nil

    func enqueue(_ job: @escaping @Sendable () throws -> Entry) {
        queue.async { [self] in
            guard lock.withLock({ failure == nil }) else { return }
            do { let e = try job(); lock.withLock { written.append(e) } }
            catch { lock.withLock { failure = error } }
        }
    }

    /// Waits for every write given so far; returns their entries or throws the first failure.
    func finish() throws -> [Entry] {
        queue.sync {}
        return try lock.withLock {
            if let failure { throw failure }
            defer { written = [] }
            return written
        }
    }
}

/// Pieces of one file passed from the threads that make them (in any order) to the writing
/// thread (in order): `take(i)` waits until piece `i` is there and hands it over, so each
/// piece's bytes are freed once written.
final class PieceChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var slots: [Result<[UInt8], Error>?]
    private var failure: (piece: Int, error: Error)? = nil
    /// The failure of the first piece (in the file's order) that failed, if any: the one the
    /// writing thread stops at.
    var firstFailure: Error? { condition.withLock { failure?.error } }

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func put(_ i: Int, _ piece: Result<[UInt8], Error>) {
        condition.withLock {
            slots[i] = piece
            if case .failure(let e) = piece, i < failure?.piece ?? Int.max { failure = (i, e) }
            condition.broadcast()
        }
    }

    func take(_ i: Int) throws -> [UInt8] {
        let piece: Result<[UInt8], Error> = condition.withLock {
            while slots[i] == nil { condition.wait() }
            defer { slots[i] = .success([]) }
            return slots[i]!
        }
        return try piece.get()
    }
}

/// Makes written data durable while the rest of an output is still being made.
///
/// A virtual disk's cache flush costs time in proportion to the data not yet flushed (about
/// 25 ms for 60 MB on the machine `make bench` runs on), and `commit`'s `fsync` waits for all of
/// it. So every `threshold` bytes the writing thread hands the file to this one, which
/// `fdatasync`s a duplicate of its descriptor while the writing goes on; at `commit` little is
/// left to flush. At most one flush is in flight; a file's later pieces wait for the next one.
/// A failure is the output's failure (`finish` throws it, with the file's path): a flush that
/// saw a write-back error has consumed it, and `commit`'s `fsync` might not see it again.
final class EarlyFlush: @unchecked Sendable {
    /// Bytes written since the last flush that make the next one worth asking for.
    static let threshold = 8 << 20
    private let queue = DispatchQueue(label: "ecocredit.output-flush")
    private let state = Locked((inFlight: false, failure: OutputError?.none))
    private var sinceLast = 0   // the writing thread's own count

    /// The writing thread wrote `count` bytes of `fd` (the file at `path`).
    func wrote(_ count: Int, fd: Int32, path: String) {
        sinceLast += count
        if sinceLast >= Self.threshold { request(fd: fd, path: path) }
    }

    /// The file is complete: its last bytes are flushed too, unless there are only a few.
    func fileEnds(fd: Int32, path: String) {
        if sinceLast >= 1 << 18 { request(fd: fd, path: path) }
    }

    private func request(fd: Int32, path: String) {
        let started: Bool = state.withLock { s in
            guard !s.inFlight, s.failure == nil else { return false }
            s.inFlight = true
            return true
        }
        guard started else { return }
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { state.withLock { $0.inFlight = false }; return }   // commit's fsync still covers it
        sinceLast = 0
        queue.async { [state] in
            let failure = flushed(copy, path: path, by: fdatasync)
            close(copy)
            state.withLock { $0.inFlight = false; if $0.failure == nil { $0.failure = failure } }
        }
    }

    /// Waits for the flush in flight; throws the first failure.
    func finish() throws {
        queue.sync {}
        if let failure = state.value.failure { throw failure }
    }
}
