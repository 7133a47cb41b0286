/// Turns byte offsets into one-based line and column numbers for error messages.
///
/// Lines end at "\n"; columns count Unicode scalars (UTF-8 lead bytes), so Chinese text counts
/// one column per character. Errors in a stream arrive in increasing offset order, so the
/// locator resumes from the last offset it reached instead of rescanning from the start.
struct SourceLocator {
    private var offset = 0
    private var line = 1
    private var column = 1

    mutating func locate(_ target: Int, in base: UnsafePointer<UInt8>, count: Int) -> (line: Int, column: Int) {
        let target = min(max(target, 0), count)
        if target < offset { self = SourceLocator() }
        while offset < target {
            let byte = base[offset]
            if byte == .newline {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            offset += 1
        }
        return (line, column)
    }
}
