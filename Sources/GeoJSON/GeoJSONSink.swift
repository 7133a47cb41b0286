// The GeoJSON writer's output goes through ByteOutput's checked sinks (FileSink, MemorySink),
// re-exported so that a file importing GeoJSON can name them.
@_exported import ByteOutput

/// Where a ``GeoJSONWriter`` sends its bytes, in chunks of about 64 KiB.
public typealias GeoJSONSink = ByteSink
