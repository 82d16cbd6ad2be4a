#include "CBuildInfo.h"

// `make build` writes the commit into generated/commit.h (git ignores that folder); a plain
// `swift build` has none and says so.
#if __has_include("generated/commit.h")
#include "generated/commit.h"
#endif
#ifndef FACESTREAM_COMMIT
#define FACESTREAM_COMMIT "development build"
#endif

const char *facestream_build_commit(void) { return FACESTREAM_COMMIT; }
