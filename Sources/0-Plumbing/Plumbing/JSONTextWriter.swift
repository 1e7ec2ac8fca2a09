/// Writes pretty-printed JSON (two-space indent) straight into a string, for documents too
/// large for `JSONEncoder` to build quickly (a measurement report of 100 000 parcels holds
/// 700 000 values). Numbers are the shortest text that reads back as the same Double
/// (`GeoJSON.number`); non-finite numbers are written as null. The caller writes each object's
/// keys in sorted order; `nil` optionals are left out, as `JSONEncoder` does.
public struct JSONTextWriter {
    /// The JSON written so far (what the sink has not taken yet), as UTF-8 bytes.
    private var out: ByteText
    /// The JSON written so far (what the sink has not taken yet).
    public var text: String { String(decoding: out.bytes, as: UTF8.self) }
    private var depth = 0
    private var needsComma = false
    private var pendingKey = false

    /// Where full text goes when writing to a file (nil: everything stays in `text`).
    private var sink: TextFileSink?
    /// The first error writing to the sink (then nothing more is written).
    public private(set) var sinkError: Error?

    public init(capacity: Int = 1 << 16) { out = ByteText(capacity: capacity) }

    /// A writer that passes its text to `sink` every megabyte or so; call `flush()` at the end.
    public init(sink: TextFileSink) { self.init(capacity: 1 << 21); self.sink = sink }

    /// Hands the text written so far to the sink (no-op without one).
    public mutating func flush() {
        guard let sink, sinkError == nil, out.count > 0 else { return }
        do { try sink.write(bytes: out.bytes) } catch { sinkError = error }
        out.removeAll()
    }
    private mutating func flushIfLarge() { if sink != nil, out.count >= 1 << 20 { flush() } }

    /// Inside `line`: no line breaks.
    private var compact = false

    private mutating func newline() {
        if compact { out.append(byte: 0x20); return }
        out.append(byte: 0x0A)
        for _ in 0..<depth { out.append("  " as StaticString) }
    }
    private mutating func separate() {
        if needsComma { out.append(byte: 0x2C) }
        if depth > 0 { newline() }
    }

    // MARK: Containers

    public mutating func object(_ body: (inout JSONTextWriter) -> Void) { open("{"); body(&self); close("}") }
    /// Writes what `body` writes on one line (an array item per line keeps a file of many
    /// items readable, greppable and about a third smaller).
    public mutating func line(_ body: (inout JSONTextWriter) -> Void) {
        if !compact {
            beginValue(); pendingKey = true   // the line starts where the value would
        }
        let was = compact
        compact = true; body(&self); compact = was
    }
    /// An array of `count` items written on all cores: each core writes a contiguous run of
    /// items into its own text and the runs are joined in order, so the text is the same as
    /// writing the items one by one.
    public mutating func array(count: Int, _ item: @Sendable (Int, inout JSONTextWriter) -> Void) {
        open("[")
        let d = depth
        // Blocks of items, each split over the cores: with a sink, only one block is in memory.
        for start in stride(from: 0, to: count, by: 16_384) {
            let block = start..<min(count, start + 16_384)
            for run in Parallel.ranges(block.count, minimumPerWorker: 512, { range in
                var w = JSONTextWriter(capacity: range.count * 256)
                w.depth = d; w.needsComma = block.lowerBound + range.lowerBound > 0
                for i in range { item(block.lowerBound + i, &w) }
                return w.out.bytes
            }) { out.append(bytes: run); flushIfLarge() }
        }
        needsComma = count > 0
        close("]")
    }
    public mutating func array(_ body: (inout JSONTextWriter) -> Void) { open("["); body(&self); close("]") }
    private mutating func open(_ bracket: String) {
        beginValue(); out.append(bracket); depth += 1; needsComma = false
    }
    private mutating func close(_ bracket: String) {
        depth -= 1
        if needsComma { newline() }
        out.append(bracket); needsComma = true
    }
    /// Starts a member of the enclosing object; the next value written is its value.
    public mutating func key(_ k: String) {
        separate(); quoted(k); out.append(" : " as StaticString); needsComma = false; pendingKey = true
    }

    // MARK: Values

    private mutating func beginValue() { if pendingKey { pendingKey = false } else { separate() } }
    private mutating func scalar(_ s: String) { beginValue(); out.append(s); needsComma = true }
    public mutating func value(_ d: Double) { beginValue(); out.append(number: d); needsComma = true }
    public mutating func value(_ i: Int) { scalar(String(i)) }
    public mutating func value(_ b: Bool) { scalar(b ? "true" : "false") }
    public mutating func value(_ s: String) { beginValue(); quoted(s); needsComma = true }
    /// A JSON string, appended without building it first unless it needs escaping.
    private mutating func quoted(_ s: String) {
        if s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { out.append(JSONText.string(s)); return }
        out.append(byte: 0x22); out.append(s); out.append(byte: 0x22)
    }
    public mutating func null() { scalar("null") }
    public mutating func value(_ a: [String]) { array { w in for s in a { w.value(s) } } }
    public mutating func value(_ a: [Double]) { array { w in for d in a { w.value(d) } } }
    /// An object of the dictionary's members in key order.
    public mutating func value(_ d: [String: Double]) { object { w in for k in d.keys.sorted() { w.field(k, d[k]!) } } }
    public mutating func value(_ d: [String: String]) { object { w in for k in d.keys.sorted() { w.field(k, d[k]!) } } }

    // MARK: Members (key and value; nil leaves the member out)

    public mutating func field(_ k: String, _ v: Double?) { if let v { key(k); value(v) } }
    public mutating func field(_ k: String, _ v: Int?) { if let v { key(k); value(v) } }
    public mutating func field(_ k: String, _ v: Bool?) { if let v { key(k); value(v) } }
    public mutating func field(_ k: String, _ v: String?) { if let v { key(k); value(v) } }
    public mutating func field(_ k: String, _ v: [String]) { key(k); value(v) }
    public mutating func field(_ k: String, _ v: [Double]) { key(k); value(v) }
    public mutating func field(_ k: String, _ v: [String: Double]) { key(k); value(v) }
    public mutating func field(_ k: String, _ v: [String: String]) { key(k); value(v) }
    public mutating func field(_ k: String, _ body: (inout JSONTextWriter) -> Void) { key(k); body(&self) }
}
