import GEOS
import GeoJSON

extension GeometryTransformer {
    /// The area of a polygonal geometry in the target CRS's units squared (m² for a metric
    /// working CRS): the geometry is transformed, then measured by GEOS (`GEOSArea_r`).
    public func area(of geometry: GeoJSON.Geometry, context: GEOSContext) throws -> Double {
        try transform(geometry).geosGeometry(in: context).area()
    }
}
