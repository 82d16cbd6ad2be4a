// What the build system knows and Swift cannot be told directly: the git commit the binary was
// built from, which `make build` writes into Sources/CBuildInfo/generated/commit.h.
#ifndef CBUILDINFO_H
#define CBUILDINFO_H

/// The commit as a C string ("development build" when none was recorded); never NULL.
const char *facestream_build_commit(void);

#endif
