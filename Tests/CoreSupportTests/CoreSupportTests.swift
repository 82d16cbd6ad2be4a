import CoreSupport
import Foundation
import Testing

@Suite struct DurationUnitsTests {
    @Test func conversionsKeepTheFraction() {
        let duration = Duration.seconds(2) + .microseconds(1500)
        #expect(duration.inSeconds == 2.0015)
        #expect(abs(duration.inMilliseconds - 2001.5) < 1e-9)
        #expect(duration.wholeNanoseconds == 2_001_500_000)
        #expect(duration.wholeMicroseconds == 2_001_500)
        #expect(duration.wholeMilliseconds == 2001)
        #expect(Duration.nanoseconds(999).wholeMicroseconds == 0)
    }

    @Test func hugeDurationsSaturateInsteadOfOverflowing() {
        let forever = Duration.seconds(Int64.max / 2)
        #expect(forever.wholeNanoseconds == .max)
        #expect(forever.wholeMilliseconds == .max)
        #expect(Duration.seconds(-Int64.max / 2).wholeNanoseconds == .min)
    }
}

@Suite struct SystemCallTests {
    @Test func eintrIsRetriedAndOtherErrorsAreReturned() throws {
        var calls = 0
        let result = retryingInterrupts { () -> Int32 in
            calls += 1
            if calls < 3 {
                errno = EINTR
                return -1
            }
            return 7
        }
        #expect(calls == 3)
        #expect(try result.get() == 7)
        let failed = retryingInterrupts { () -> Int in
            errno = ENOSPC
            return -1
        }
        #expect(failed == .failure(SystemError(ENOSPC)))
        #expect("\(SystemError(ENOSPC))" == "No space left on device")
    }

    @Test func aRealCallFailsWithItsErrno() {
        let result = retryingInterrupts { open("/nonexistent-folder/file", O_RDONLY) }
        #expect(result == .failure(SystemError(ENOENT)))
    }
}
