// GeoCore's users see the C-free plumbing it stands on (JSON values and writing, dates, text,
// files, the parallel map, errors) without importing it separately.
@_exported import Plumbing
