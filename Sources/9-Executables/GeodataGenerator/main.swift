import Foundation
import GeoCore
import SampleData

// Rebuilds the synthetic sample bundles: `swift run ecocredit-geodata [FOLDER]` (default geodata).
let root = CommandLine.arguments.dropFirst().first ?? "geodata"
do {
    let proj = try ProjContext()
    try Samples.writeAll(to: root, proj: proj)
    print("wrote \(Samples.all.count) bundles under \(root)/: " + Samples.all.map(\.name).joined(separator: ", "))
} catch {
    FileHandle.standardError.write(Data("ecocredit-geodata: \(error)\n".utf8))
    exit(1)
}
