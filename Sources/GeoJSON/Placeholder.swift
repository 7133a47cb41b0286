public enum GeoJSONPlaceholder {}
