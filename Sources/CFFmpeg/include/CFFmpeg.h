// Umbrella header for the FFmpeg libraries FaceStream uses (Debian 12: FFmpeg 5.1).
// Shims below exist because Swift's importer cannot see function-like macros.
//
// The binary does not link FFmpeg: FFmpegLoader.c defines every FFmpeg function FaceStream calls as
// a forwarder to the real one, which `cffmpeg_load` finds with dlopen/dlsym the first time FFmpeg is
// needed. Swift sees FFmpeg's own declarations below, unchanged.
#ifndef FACESTREAM_CFFMPEG_H
#define FACESTREAM_CFFMPEG_H

#include <stddef.h>

#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

/// AVERROR(e) is a macro: negates a POSIX errno the way FFmpeg does.
static inline int cffmpeg_averror(int posix_errno) { return AVERROR(posix_errno); }
/// AVERROR_EOF is a macro built from FFERRTAG.
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
/// AV_NOPTS_VALUE is a macro with a cast the importer drops.
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }

/// Environment variable naming a folder to load the FFmpeg libraries from instead of the dynamic
/// loader's search path (for an FFmpeg installed elsewhere, and for tests of a missing FFmpeg).
#define CFFMPEG_DIRECTORY_VARIABLE "FACESTREAM_FFMPEG_DIR"

/// Recommended capacity of `cffmpeg_load`'s error buffer.
#define CFFMPEG_ERROR_CAPACITY 512

/// Opens libavutil, libswscale, libavcodec and libavformat (the major versions of the headers above,
/// e.g. libavformat.so.59) and resolves every FFmpeg function FaceStream calls.
///
/// Thread-safe and idempotent: the work happens once per process (pthread_once); later calls return
/// the first call's outcome. Returns 0 when FFmpeg is ready; -1 otherwise, with one line naming the
/// missing library or symbol (dlerror's text) copied to `error` (`size` bytes, NUL-terminated).
/// Calling an FFmpeg function before a successful `cffmpeg_load` aborts with a message.
int cffmpeg_load(char *error, size_t size);

#endif
