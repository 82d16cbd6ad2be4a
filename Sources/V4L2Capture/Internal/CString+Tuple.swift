extension String {
    /// Reads a NUL-terminated C `char[N]` field (imported as a tuple) as UTF-8.
    init<Tuple>(cField tuple: Tuple) {
        self = withUnsafeBytes(of: tuple) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
