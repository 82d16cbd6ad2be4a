import CoreSupport
import Testing

/// The HMAC-SHA-256 test cases of RFC 4231, section 4.
@Suite struct HMACSHA256Tests {
    private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private static func repeated(_ byte: UInt8, _ count: Int) -> [UInt8] { Array(repeating: byte, count: count) }

    @Test func rfc4231Case1ShortKey() {
        #expect(
            HMACSHA256.hex(for: Self.bytes("Hi There"), key: Self.repeated(0x0b, 20))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func rfc4231Case2KeyShorterThanTheMAC() {
        #expect(
            HMACSHA256.hex(for: Self.bytes("what do ya want for nothing?"), key: Self.bytes("Jefe"))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func rfc4231Case3CombinedKeyAndDataOf50Bytes() {
        #expect(
            HMACSHA256.hex(for: Self.repeated(0xdd, 50), key: Self.repeated(0xaa, 20))
                == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    @Test func rfc4231Case4CountingKey() {
        #expect(
            HMACSHA256.hex(for: Self.repeated(0xcd, 50), key: Array(1...25))
                == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    @Test func rfc4231Case5TruncatedTo128Bits() {
        let mac = HMACSHA256.authenticationCode(for: Self.bytes("Test With Truncation"), key: Self.repeated(0x0c, 20))
        #expect(SHA256.hexString(Array(mac.prefix(16))) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test func rfc4231Case6KeyLargerThanABlockIsHashedFirst() {
        #expect(
            HMACSHA256.hex(
                for: Self.bytes("Test Using Larger Than Block-Size Key - Hash Key First"), key: Self.repeated(0xaa, 131)
            )
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func rfc4231Case7LargeKeyAndLargeData() {
        let message =
            "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
        #expect(
            HMACSHA256.hex(for: Self.bytes(message), key: Self.repeated(0xaa, 131))
                == "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    @Test func aKeyOfExactlyOneBlockIsUsedAsItIs() {
        // 64 bytes: padded by nothing and not hashed; a key one byte longer is hashed and gives another MAC.
        let block = Array(UInt8(0)..<64)
        let longer = block + [64]
        #expect(HMACSHA256.hex(for: [], key: block) != HMACSHA256.hex(for: [], key: longer))
        var hashedLonger = SHA256()
        hashedLonger.update(longer)
        #expect(HMACSHA256.hex(for: [1, 2], key: longer) == HMACSHA256.hex(for: [1, 2], key: hashedLonger.finalize()))
    }
}
