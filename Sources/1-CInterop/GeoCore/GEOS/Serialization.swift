import CGEOS
import Foundation

// WKT and WKB through GEOS's reentrant readers and writers (created and destroyed per call).

extension GEOSContext {
    /// Parses Well-Known Text.
    public func geometry(wkt: String) throws -> GEOSGeometry {
        guard let reader = GEOSWKTReader_create_r(handle) else { throw failure("GEOSWKTReader_create_r") }
        defer { GEOSWKTReader_destroy_r(handle, reader) }
        return try owned(GEOSWKTReader_read_r(handle, reader, wkt), "GEOSWKTReader_read_r")
    }
    /// Parses Well-Known Binary (either byte order).
    public func geometry(wkb: [UInt8]) throws -> GEOSGeometry {
        guard let reader = GEOSWKBReader_create_r(handle) else { throw failure("GEOSWKBReader_create_r") }
        defer { GEOSWKBReader_destroy_r(handle, reader) }
        return try owned(GEOSWKBReader_read_r(handle, reader, wkb, wkb.count), "GEOSWKBReader_read_r")
    }
}

extension GEOSGeometry {
    /// Well-Known Text with up to `precision` decimals (trailing zeros trimmed); Z written when present.
    public func wkt(precision: Int32 = 17) throws -> String {
        guard let writer = GEOSWKTWriter_create_r(handle) else { throw context.failure("GEOSWKTWriter_create_r") }
        defer { GEOSWKTWriter_destroy_r(handle, writer) }
        GEOSWKTWriter_setRoundingPrecision_r(handle, writer, precision)
        GEOSWKTWriter_setTrim_r(handle, writer, 1)
        GEOSWKTWriter_setOutputDimension_r(handle, writer, 3)
        guard let text = GEOSWKTWriter_write_r(handle, writer, pointer) else { throw context.failure("GEOSWKTWriter_write_r") }
        defer { GEOSFree_r(handle, text) }
        return String(cString: text)
    }
    /// Well-Known Binary, little-endian (ISO flavour for Z).
    public func wkb() throws -> [UInt8] {
        guard let writer = GEOSWKBWriter_create_r(handle) else { throw context.failure("GEOSWKBWriter_create_r") }
        defer { GEOSWKBWriter_destroy_r(handle, writer) }
        GEOSWKBWriter_setByteOrder_r(handle, writer, 1)
        GEOSWKBWriter_setOutputDimension_r(handle, writer, 3)
        var size = 0
        guard let bytes = GEOSWKBWriter_write_r(handle, writer, pointer, &size) else { throw context.failure("GEOSWKBWriter_write_r") }
        defer { GEOSFree_r(handle, bytes) }
        return Array(UnsafeBufferPointer(start: bytes, count: size))
    }
}
