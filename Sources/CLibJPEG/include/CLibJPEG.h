// JPEG decoding and encoding through libjpeg(-turbo), wrapped in C because libjpeg reports fatal
// errors with longjmp, which Swift cannot unwind through. Every entry point sets its own setjmp
// target, turns libjpeg errors (and, when decoding, warnings: truncated or corrupt data) into a
// status code plus message, and never leaks libjpeg state. libjpeg's own types stay inside the .c files.
#ifndef FACESTREAM_CLIBJPEG_H
#define FACESTREAM_CLIBJPEG_H

#include <stddef.h>
#include <stdint.h>

/// Outcome of a decoding call.
typedef enum {
    CLIBJPEG_OK = 0,
    /// The input buffer is empty.
    CLIBJPEG_EMPTY_INPUT = 1,
    /// libjpeg stopped with a fatal error (not a JPEG, unsupported feature, broken markers...).
    CLIBJPEG_DECODE_FAILED = 2,
    /// libjpeg emitted a warning (premature end of data, corrupt entropy data...): treated as an error.
    CLIBJPEG_CORRUPT_DATA = 3,
    /// The output buffer does not have the size width * height * 3 of the image.
    CLIBJPEG_BUFFER_MISMATCH = 4,
    /// The JPEG colour space cannot be converted to RGB here.
    CLIBJPEG_UNSUPPORTED_COLOR = 5,
    /// Encoding: the picture size, row stride or quality is outside what the encoder takes.
    CLIBJPEG_BAD_PARAMETER = 6,
    /// libjpeg stopped with a fatal error while encoding (out of memory, in practice).
    CLIBJPEG_ENCODE_FAILED = 7,
} clibjpeg_status;

/// Recommended capacity of the message buffer (libjpeg's JMSG_LENGTH_MAX is 200).
#define CLIBJPEG_MESSAGE_CAPACITY 256

/// Header facts of a JPEG stream.
typedef struct {
    /// Image size in pixels.
    int32_t width;
    int32_t height;
    /// Components in the file: 1 (grey), 3 (YCbCr/RGB) or 4 (CMYK/YCCK).
    int32_t components;
    /// libjpeg's message code of the failure, or 0.
    int32_t libjpeg_message_code;
} clibjpeg_info;

/// Reads the header only. On failure `message` (capacity bytes, NUL-terminated) holds libjpeg's text.
clibjpeg_status clibjpeg_read_info(const uint8_t *data, size_t size, clibjpeg_info *info,
                                   char *message, size_t message_capacity);

/// Decodes the whole image to packed RGB (3 bytes per pixel, rows without padding) into `rgb`, which
/// must hold exactly `info.width * info.height * 3` bytes for the size found in the header (checked).
/// Decoding settings are libjpeg's defaults (islow IDCT, fancy upsampling), as OpenCV's imread uses.
/// Grey images are replicated to R=G=B; CMYK/YCCK images are converted like OpenCV does
/// (channel = k - ((255 - c) * k >> 8)).
clibjpeg_status clibjpeg_decode_rgb(const uint8_t *data, size_t size, uint8_t *rgb, size_t rgb_capacity,
                                    clibjpeg_info *info, char *message, size_t message_capacity);

/// Encodes packed RGB (3 bytes per pixel, rows `bytes_per_row` apart, at least width * 3) of
/// width x height pixels (1...65500 each) as a baseline JFIF JPEG at `quality` (1...100), 4:2:0
/// chroma, islow DCT, optimised Huffman tables. On success `*output` points to `*output_size` bytes
/// allocated with malloc, which the caller frees with clibjpeg_free; on failure `*output` is NULL
/// and `message` holds the reason.
clibjpeg_status clibjpeg_encode_rgb(const uint8_t *rgb, int32_t width, int32_t height, size_t bytes_per_row,
                                    int32_t quality, uint8_t **output, size_t *output_size, char *message,
                                    size_t message_capacity);

/// Frees a buffer returned by clibjpeg_encode_rgb (NULL is allowed).
void clibjpeg_free(uint8_t *buffer);

#endif
