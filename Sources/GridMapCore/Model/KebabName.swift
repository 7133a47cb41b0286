/// The spelling of open-set names such as feature kinds and resident categories: lower-case ASCII
/// letters, digits and hyphens, starting with a letter ("fish-pond", "elderly-living-alone").
/// One spelling keeps them usable as file names, CLI arguments and SQL values without quoting.
enum KebabName {
    static func isValid(_ name: String) -> Bool {
        // Checked on the UTF-8 bytes: every byte of a valid name is one of these ASCII ones, and
        // a store reads a category for each of tens of thousands of residents (Character's
        // Unicode properties cost a tenth of reading the register).
        var bytes = name.utf8.makeIterator()
        guard let first = bytes.next(), Self.isLetter(first) else { return false }
        while let byte = bytes.next() {
            guard Self.isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") else { return false }
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
}
