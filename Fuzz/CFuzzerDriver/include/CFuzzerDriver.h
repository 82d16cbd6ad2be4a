#ifndef C_FUZZER_DRIVER_H
#define C_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver, linked only when building with `-sanitize=fuzzer` (scripts/fuzz). Swift
// executable targets on Linux get their `main` renamed by SwiftPM, so libFuzzer's own `main`
// cannot be used; the harness's `main` calls this instead with its `LLVMFuzzerTestOneInput`.
// Normal builds declare it without calling it, so nothing needs to resolve it there.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
