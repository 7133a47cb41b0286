/// The spelling of open-set names such as feature kinds and resident categories: lower-case ASCII
/// letters, digits and hyphens, starting with a letter ("fish-pond", "elderly-living-alone").
/// One spelling keeps them usable as file names, CLI arguments and SQL values without quoting.
enum KebabName {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLowercase else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
