// libFuzzer driver over EcoCredit's readers (see FuzzHarness). `make fuzz` builds it with
// `-sanitize=fuzzer,address -D ECOCREDIT_FUZZ`; an ordinary build makes a replayer that runs
// the files (or folders of files) given as arguments, one input each. See the README.
import Foundation
import FuzzHarness
import GeoCore

/// libFuzzer runs inputs one at a time on one thread, so one PROJ context and one scratch
/// folder serve the whole process.
nonisolated(unsafe) let proj = try! ProjContext()
let scratch: String = {
    let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("ecocredit-fuzz-\(getpid())")
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    FuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)), proj: proj, scratch: scratch)
    return 0
}

#if ECOCREDIT_FUZZ
typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: FuzzCallback) -> CInt
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
#else
var files: [String] = []
for a in CommandLine.arguments.dropFirst() {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: a, isDirectory: &isDir) else { continue }
    if isDir.boolValue {
        files += ((try? FileManager.default.contentsOfDirectory(atPath: a)) ?? []).sorted().map { (a as NSString).appendingPathComponent($0) }
    } else { files.append(a) }
}
for f in files {
    guard let d = FileManager.default.contents(atPath: f) else { continue }
    FuzzHarness.run([UInt8](d), proj: proj, scratch: scratch)
}
print("replayed \(files.count) inputs without a crash")
#endif
