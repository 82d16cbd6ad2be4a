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
#include <libavutil/version.h>
#include <libswscale/swscale.h>

/// AVERROR(e) is a macro: negates a POSIX errno the way FFmpeg does.
static inline int cffmpeg_averror(int posix_errno) { return AVERROR(posix_errno); }
/// AVERROR_EOF is a macro built from FFERRTAG.
static inline int cffmpeg_averror_eof(void) { return AVERROR_EOF; }
/// AV_NOPTS_VALUE is a macro with a cast the importer drops.
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }

/// The display matrix of a stream (nine int32 values, `AV_PKT_DATA_DISPLAYMATRIX`), or NULL when it
/// has none or a short one. Where it lives depends on the headers, and so on the libraries opened
/// (their SONAME is the headers' major version): `AVStream.side_data` up to FFmpeg 6.0,
/// `AVCodecParameters.coded_side_data` with the FFmpeg 6.1 headers (libavcodec 60.31) and later.
/// Plain field reads, no FFmpeg function: nothing to forward. The pointer lives as long as the stream.
static inline const int32_t *cffmpeg_display_matrix(const AVStream *stream) {
    const AVPacketSideData *entries;
    int count;
#if LIBAVCODEC_VERSION_INT >= AV_VERSION_INT(60, 31, 100)
    entries = stream->codecpar->coded_side_data;
    count = stream->codecpar->nb_coded_side_data;
#else
    entries = stream->side_data;
    count = stream->nb_side_data;
#endif
    for (int index = 0; index < count; index++) {
        if (entries[index].type == AV_PKT_DATA_DISPLAYMATRIX && entries[index].size >= 9 * sizeof(int32_t)) {
            return (const int32_t *)entries[index].data;
        }
    }
    return NULL;
}

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
