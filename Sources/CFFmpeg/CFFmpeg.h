// Umbrella header for the FFmpeg libraries FaceStream uses (Debian 12: FFmpeg 5.1).
// Shims below exist because Swift's importer cannot see function-like macros.
#ifndef FACESTREAM_CFFMPEG_H
#define FACESTREAM_CFFMPEG_H

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

#endif
