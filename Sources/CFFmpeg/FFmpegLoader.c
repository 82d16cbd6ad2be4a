// FFmpeg, opened on first use. The executable does not link libavformat & co. (they pull about 140
// shared libraries, most of the process start-up time); instead this file defines each FFmpeg
// function FaceStream calls with FFmpeg's own name and signature, forwarding to the real function
// that `cffmpeg_load` finds with dlsym.
//
// Hand-maintained list: CFFMPEG_FUNCTIONS below. A Swift call to an FFmpeg function missing here fails
// at link time (undefined symbol), and a signature that differs from the header fails to compile, so
// the list cannot silently drift from the sources or the headers.
//
// Symbol visibility: the forwarders are hidden, so they never leave the executable's link unit. FFmpeg's
// own libraries (opened RTLD_LOCAL) keep calling each other directly, never these forwarders.
//
// Lifetime: the library handles are never closed (FFmpeg objects may live until exit), so every
// pointer resolved here stays valid for the life of the process. The pointers are written once,
// inside pthread_once; every reader has called `cffmpeg_load` (or runs on a thread started after such
// a call), which orders the writes before the reads.

#include "CFFmpeg.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CFFMPEG_STRING_(x) #x
#define CFFMPEG_STRING(x) CFFMPEG_STRING_(x)

/// The libraries in load order (each one's dependencies first), named by SONAME from the headers'
/// major versions, so a build against another FFmpeg major version opens the matching libraries.
enum library { AVUTIL, SWSCALE, AVCODEC, AVFORMAT, LIBRARY_COUNT };
static const char *const library_names[LIBRARY_COUNT] = {
    [AVUTIL] = "libavutil.so." CFFMPEG_STRING(LIBAVUTIL_VERSION_MAJOR),
    [SWSCALE] = "libswscale.so." CFFMPEG_STRING(LIBSWSCALE_VERSION_MAJOR),
    [AVCODEC] = "libavcodec.so." CFFMPEG_STRING(LIBAVCODEC_VERSION_MAJOR),
    [AVFORMAT] = "libavformat.so." CFFMPEG_STRING(LIBAVFORMAT_VERSION_MAJOR),
};

// avio_alloc_context's write callback takes a const buffer since libavformat 61 (FFmpeg 7).
#if LIBAVFORMAT_VERSION_MAJOR >= 61
#define CFFMPEG_WRITE_BUFFER const uint8_t *
#else
#define CFFMPEG_WRITE_BUFFER uint8_t *
#endif

/// Every FFmpeg function FaceStream calls: F(library, result type, name, (parameters), (arguments)) for
/// functions with a result, V(...) for void ones. Find them with
/// `grep -rhoE '\b(av|avcodec|avformat|avio|sws)_[a-z0-9_]+' Sources/FFmpegMedia | sort -u`
/// (static inline ones such as av_q2d need no entry).
#define CFFMPEG_FUNCTIONS(F, V) \
    F(AVUTIL, unsigned, avutil_version, (void), ()) \
    F(SWSCALE, unsigned, swscale_version, (void), ()) \
    F(AVCODEC, unsigned, avcodec_version, (void), ()) \
    F(AVFORMAT, unsigned, avformat_version, (void), ()) \
    F(AVUTIL, AVRational, av_d2q, (double d, int max), (d, max)) \
    F(AVUTIL, int, av_dict_copy, (AVDictionary * *dst, const AVDictionary *src, int flags), (dst, src, flags)) \
    V(AVUTIL, av_dict_free, (AVDictionary * *m), (m)) \
    F(AVUTIL, int, av_dict_set, (AVDictionary * *pm, const char *key, const char *value, int flags), \
      (pm, key, value, flags)) \
    F(AVUTIL, AVFrame *, av_frame_alloc, (void), ()) \
    V(AVUTIL, av_frame_free, (AVFrame * *frame), (frame)) \
    F(AVUTIL, int, av_frame_get_buffer, (AVFrame * frame, int align), (frame, align)) \
    F(AVUTIL, int, av_frame_make_writable, (AVFrame * frame), (frame)) \
    V(AVUTIL, av_frame_unref, (AVFrame * frame), (frame)) \
    V(AVUTIL, av_free, (void *ptr), (ptr)) \
    V(AVUTIL, av_freep, (void *ptr), (ptr)) \
    F(AVUTIL, const char *, av_get_pix_fmt_name, (enum AVPixelFormat pix_fmt), (pix_fmt)) \
    F(AVUTIL, int, av_log_format_line2, \
      (void *ptr, int level, const char *fmt, va_list vl, char *line, int line_size, int *print_prefix), \
      (ptr, level, fmt, vl, line, line_size, print_prefix)) \
    V(AVUTIL, av_log_set_callback, (void (*callback)(void *, int, const char *, va_list)), (callback)) \
    F(AVUTIL, void *, av_malloc, (size_t size), (size)) \
    F(AVUTIL, int64_t, av_rescale_q, (int64_t a, AVRational bq, AVRational cq), (a, bq, cq)) \
    F(AVUTIL, int64_t, av_rescale_q_rnd, (int64_t a, AVRational bq, AVRational cq, enum AVRounding rnd), \
      (a, bq, cq, rnd)) \
    F(AVUTIL, int, av_strerror, (int errnum, char *errbuf, size_t errbuf_size), (errnum, errbuf, errbuf_size)) \
    F(SWSCALE, const int *, sws_getCoefficients, (int colorspace), (colorspace)) \
    F(SWSCALE, int, sws_getColorspaceDetails, \
      (struct SwsContext * c, int **inv_table, int *srcRange, int **table, int *dstRange, int *brightness, \
       int *contrast, int *saturation), \
      (c, inv_table, srcRange, table, dstRange, brightness, contrast, saturation)) \
    F(SWSCALE, int, sws_setColorspaceDetails, \
      (struct SwsContext * c, const int inv_table[4], int srcRange, const int table[4], int dstRange, \
       int brightness, int contrast, int saturation), \
      (c, inv_table, srcRange, table, dstRange, brightness, contrast, saturation)) \
    F(SWSCALE, struct SwsContext *, sws_getContext, \
      (int srcW, int srcH, enum AVPixelFormat srcFormat, int dstW, int dstH, enum AVPixelFormat dstFormat, \
       int flags, SwsFilter *srcFilter, SwsFilter *dstFilter, const double *param), \
      (srcW, srcH, srcFormat, dstW, dstH, dstFormat, flags, srcFilter, dstFilter, param)) \
    F(SWSCALE, int, sws_scale, \
      (struct SwsContext * c, const uint8_t *const srcSlice[], const int srcStride[], int srcSliceY, \
       int srcSliceH, uint8_t *const dst[], const int dstStride[]), \
      (c, srcSlice, srcStride, srcSliceY, srcSliceH, dst, dstStride)) \
    V(SWSCALE, sws_freeContext, (struct SwsContext * swsContext), (swsContext)) \
    F(AVCODEC, AVPacket *, av_packet_alloc, (void), ()) \
    V(AVCODEC, av_packet_free, (AVPacket * *pkt), (pkt)) \
    V(AVCODEC, av_packet_rescale_ts, (AVPacket * pkt, AVRational tb_src, AVRational tb_dst), (pkt, tb_src, tb_dst)) \
    V(AVCODEC, av_packet_unref, (AVPacket * pkt), (pkt)) \
    F(AVCODEC, AVCodecContext *, avcodec_alloc_context3, (const AVCodec *codec), (codec)) \
    F(AVCODEC, const AVCodec *, avcodec_find_encoder_by_name, (const char *name), (name)) \
    V(AVCODEC, avcodec_free_context, (AVCodecContext * *avctx), (avctx)) \
    F(AVCODEC, const char *, avcodec_get_name, (enum AVCodecID id), (id)) \
    F(AVCODEC, int, avcodec_open2, (AVCodecContext * avctx, const AVCodec *codec, AVDictionary **options), \
      (avctx, codec, options)) \
    F(AVCODEC, int, avcodec_parameters_copy, (AVCodecParameters * dst, const AVCodecParameters *src), (dst, src)) \
    F(AVCODEC, int, avcodec_parameters_from_context, (AVCodecParameters * par, const AVCodecContext *codec), \
      (par, codec)) \
    F(AVCODEC, int, avcodec_parameters_to_context, (AVCodecContext * codec, const AVCodecParameters *par), \
      (codec, par)) \
    F(AVCODEC, int, avcodec_receive_frame, (AVCodecContext * avctx, AVFrame *frame), (avctx, frame)) \
    F(AVCODEC, int, avcodec_receive_packet, (AVCodecContext * avctx, AVPacket *avpkt), (avctx, avpkt)) \
    F(AVCODEC, int, avcodec_send_frame, (AVCodecContext * avctx, const AVFrame *frame), (avctx, frame)) \
    F(AVCODEC, int, avcodec_send_packet, (AVCodecContext * avctx, const AVPacket *avpkt), (avctx, avpkt)) \
    F(AVFORMAT, int, av_find_best_stream, \
      (AVFormatContext * ic, enum AVMediaType type, int wanted_stream_nb, int related_stream, \
       const AVCodec **decoder_ret, int flags), \
      (ic, type, wanted_stream_nb, related_stream, decoder_ret, flags)) \
    F(AVFORMAT, int, av_interleaved_write_frame, (AVFormatContext * s, AVPacket *pkt), (s, pkt)) \
    F(AVFORMAT, int, av_read_frame, (AVFormatContext * s, AVPacket *pkt), (s, pkt)) \
    F(AVFORMAT, int, av_write_trailer, (AVFormatContext * s), (s)) \
    F(AVFORMAT, AVFormatContext *, avformat_alloc_context, (void), ()) \
    F(AVFORMAT, int, avformat_alloc_output_context2, \
      (AVFormatContext * *ctx, const AVOutputFormat *oformat, const char *format_name, const char *filename), \
      (ctx, oformat, format_name, filename)) \
    V(AVFORMAT, avformat_close_input, (AVFormatContext * *s), (s)) \
    F(AVFORMAT, int, avformat_find_stream_info, (AVFormatContext * ic, AVDictionary **options), (ic, options)) \
    V(AVFORMAT, avformat_free_context, (AVFormatContext * s), (s)) \
    F(AVFORMAT, AVStream *, avformat_new_stream, (AVFormatContext * s, const AVCodec *c), (s, c)) \
    F(AVFORMAT, int, avformat_open_input, \
      (AVFormatContext * *ps, const char *url, const AVInputFormat *fmt, AVDictionary **options), \
      (ps, url, fmt, options)) \
    F(AVFORMAT, int, avformat_query_codec, (const AVOutputFormat *ofmt, enum AVCodecID codec_id, int std_compliance), \
      (ofmt, codec_id, std_compliance)) \
    F(AVFORMAT, int, avformat_write_header, (AVFormatContext * s, AVDictionary **options), (s, options)) \
    F(AVFORMAT, AVIOContext *, avio_alloc_context, \
      (unsigned char *buffer, int buffer_size, int write_flag, void *opaque, \
       int (*read_packet)(void *opaque, uint8_t *buf, int buf_size), \
       int (*write_packet)(void *opaque, CFFMPEG_WRITE_BUFFER buf, int buf_size), \
       int64_t (*seek)(void *opaque, int64_t offset, int whence)), \
      (buffer, buffer_size, write_flag, opaque, read_packet, write_packet, seek)) \
    F(AVFORMAT, int, avio_closep, (AVIOContext * *s), (s)) \
    V(AVFORMAT, avio_context_free, (AVIOContext * *s), (s)) \
    F(AVFORMAT, int, avio_open, (AVIOContext * *s, const char *url, int flags), (s, url, flags))

/// Aborts when a forwarder runs before a successful `cffmpeg_load`: a broken invariant of
/// FFmpegMedia (every entry point calls `FFmpegLibrary.ensureLoaded()` first), not bad input.
__attribute__((noreturn, cold)) static void cffmpeg_not_loaded(const char *name) {
    fprintf(stderr, "FaceStream: %s called before FFmpeg was loaded (cffmpeg_load)\n", name);
    abort();
}

// One pointer per function, typed from FFmpeg's own declaration.
#define CFFMPEG_POINTER(library, ...) CFFMPEG_POINTER_(__VA_ARGS__)
#define CFFMPEG_POINTER_(result, name, ...) static __typeof__(name) *name##_pointer;
#define CFFMPEG_VOID_POINTER(library, name, ...) static __typeof__(name) *name##_pointer;
CFFMPEG_FUNCTIONS(CFFMPEG_POINTER, CFFMPEG_VOID_POINTER)

// The forwarders, with FFmpeg's names (hidden: see the top of the file).
#define CFFMPEG_FORWARD(library, result, name, parameters, arguments) \
    __attribute__((visibility("hidden"))) result name parameters { \
        if (name##_pointer == NULL) cffmpeg_not_loaded(#name); \
        return name##_pointer arguments; \
    }
#define CFFMPEG_FORWARD_VOID(library, name, parameters, arguments) \
    __attribute__((visibility("hidden"))) void name parameters { \
        if (name##_pointer == NULL) cffmpeg_not_loaded(#name); \
        name##_pointer arguments; \
    }
CFFMPEG_FUNCTIONS(CFFMPEG_FORWARD, CFFMPEG_FORWARD_VOID)

/// Where dlsym stores each function.
struct symbol {
    enum library library;
    const char *name;
    void **pointer;
};
#define CFFMPEG_SYMBOL(library, result, name, ...) {library, #name, (void **)&name##_pointer},
#define CFFMPEG_VOID_SYMBOL(library, name, ...) {library, #name, (void **)&name##_pointer},
static const struct symbol symbols[] = {CFFMPEG_FUNCTIONS(CFFMPEG_SYMBOL, CFFMPEG_VOID_SYMBOL)};

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
/// Empty after a successful load, else the reason. Written only inside pthread_once.
static char load_error[CFFMPEG_ERROR_CAPACITY];

/// Opens one library, from $FACESTREAM_FFMPEG_DIR when set, else by SONAME through the loader's path.
static void *open_library(const char *soname) {
    const char *directory = getenv(CFFMPEG_DIRECTORY_VARIABLE);
    if (directory == NULL || directory[0] == '\0') return dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    char path[4096];
    int length = snprintf(path, sizeof path, "%s/%s", directory, soname);
    if (length < 0 || (size_t)length >= sizeof path) {
        snprintf(load_error, sizeof load_error, "%s: the path in %s is too long", soname, CFFMPEG_DIRECTORY_VARIABLE);
        return NULL;
    }
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
}

// Closes the libraries opened so far when loading fails part way (nothing of them is used).
static void close_libraries(void **handles, int count) {
    for (int index = 0; index < count; index++) {
        if (handles[index] != NULL) dlclose(handles[index]);
    }
}

static void load_libraries(void) {
    void *handles[LIBRARY_COUNT] = {NULL};
    for (int index = 0; index < LIBRARY_COUNT; index++) {
        handles[index] = open_library(library_names[index]);
        if (handles[index] == NULL) {
            if (load_error[0] == '\0') {
                const char *reason = dlerror();
                snprintf(load_error, sizeof load_error, "%s", reason != NULL ? reason : library_names[index]);
            }
            close_libraries(handles, index);
            return;
        }
    }
    void *resolved[sizeof symbols / sizeof symbols[0]];
    for (size_t index = 0; index < sizeof symbols / sizeof symbols[0]; index++) {
        const struct symbol *symbol = &symbols[index];
        resolved[index] = dlsym(handles[symbol->library], symbol->name);
        if (resolved[index] == NULL) {
            snprintf(load_error, sizeof load_error, "%s has no function %s", library_names[symbol->library],
                     symbol->name);
            close_libraries(handles, LIBRARY_COUNT);
            return;
        }
    }
    // All or nothing: the forwarders see pointers only when every one was found.
    for (size_t index = 0; index < sizeof symbols / sizeof symbols[0]; index++) {
        *symbols[index].pointer = resolved[index];
    }
}

int cffmpeg_load(char *error, size_t size) {
    pthread_once(&load_once, load_libraries);
    if (load_error[0] == '\0') return 0;
    if (error != NULL && size > 0) snprintf(error, size, "%s", load_error);
    return -1;
}
