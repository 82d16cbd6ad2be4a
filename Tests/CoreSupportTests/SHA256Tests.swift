import CoreSupport
import Testing

/// SHA-256 against the known answers of FIPS 180-4's examples (and the long-message one of the
/// NIST test vectors), whole and fed in pieces that split the 64-byte blocks anywhere.
@Suite struct SHA256Tests {
    static let cases: [(message: [UInt8], digest: String)] = [
        ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            Array(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
                    .utf8),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
        (
            [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        ),
    ]

    @Test(arguments: 0..<5)
    func knownAnswers(index: Int) {
        let (message, digest) = Self.cases[index]
        #expect(SHA256.hex(message) == digest)
        // The same message in pieces of 1, 3, 63, 64, 65 and 1000 bytes, in turn.
        var hasher = SHA256()
        var offset = 0
        var turn = 0
        let sizes = [1, 3, 63, 64, 65, 1000]
        while offset < message.count {
            let end = min(message.count, offset + sizes[turn % sizes.count])
            hasher.update(Array(message[offset..<end]))
            offset = end
            turn += 1
        }
        #expect(SHA256.hexString(hasher.finalize()) == digest)
    }
}
