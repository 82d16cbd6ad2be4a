/// HMAC-SHA256 (RFC 2104 with SHA-256, as tested by RFC 4231): signs webhook bodies so a receiver
/// can check that they come from whoever holds the shared secret.
///
/// `HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m))`, where `K'` is the key padded with zeros
/// to the 64-byte block (a longer key is hashed first), `ipad` is 0x36 and `opad` 0x5c repeated.
/// Not constant-time in the key's length; the key is never compared, only used.
public enum HMACSHA256 {
    /// SHA-256's block size in bytes.
    static let blockSize = 64

    /// The 32-byte MAC of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key
        if block.count > blockSize {
            var hasher = SHA256()
            hasher.update(block)
            block = hasher.finalize()
        }
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// The MAC as 64 lowercase hex characters (the form of `X-FaceStream-Signature: sha256=...`).
    public static func hex(for message: [UInt8], key: [UInt8]) -> String {
        SHA256.hexString(authenticationCode(for: message, key: key))
    }
}
