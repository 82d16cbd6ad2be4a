// Encoding entry point of CLibJPEG; see include/CLibJPEG.h.
#include "CLibJPEG.h"

#include <setjmp.h>
#include <stdio.h>  // jpeglib.h needs FILE and size_t declared first
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

/// libjpeg's error manager extended with the jump target. Encoder warnings are not fatal (libjpeg
/// emits none for in-memory RGB input); errors jump back to the entry point.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
} encode_error_manager;

static void encode_error_exit(j_common_ptr cinfo) {
    encode_error_manager *manager = (encode_error_manager *)cinfo->err;
    longjmp(manager->jump, 1);
}

static void encode_silent_message(j_common_ptr cinfo, int msg_level) {
    (void)cinfo;
    (void)msg_level;
}

static void encode_silent_output(j_common_ptr cinfo) { (void)cinfo; }

/// Where libjpeg's memory destination writes: kept by the caller of `encode_with_jump`, outside the
/// function that calls setjmp, so its values after a longjmp are well defined (C11 7.13.2.1).
typedef struct {
    unsigned char *buffer;
    unsigned long size;
} encode_destination;

static clibjpeg_status encode_with_jump(const uint8_t *rgb, int32_t width, int32_t height, size_t bytes_per_row,
                                        int32_t quality, encode_destination *destination, char *message,
                                        size_t message_capacity) {
    struct jpeg_compress_struct cinfo;
    encode_error_manager manager;
    cinfo.err = jpeg_std_error(&manager.base);
    manager.base.error_exit = encode_error_exit;
    manager.base.emit_message = encode_silent_message;
    manager.base.output_message = encode_silent_output;
    jpeg_create_compress(&cinfo);
    if (setjmp(manager.jump) != 0) {
        char text[JMSG_LENGTH_MAX];
        text[0] = 0;
        cinfo.err->format_message((j_common_ptr)&cinfo, text);
        if (message != NULL && message_capacity > 0) snprintf(message, message_capacity, "%s", text);
        // Frees libjpeg's own state; the destination buffer (malloc'd by libjpeg) is the caller's.
        jpeg_destroy_compress(&cinfo);
        return CLIBJPEG_ENCODE_FAILED;
    }
    jpeg_mem_dest(&cinfo, &destination->buffer, &destination->size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);  // YCbCr, 4:2:0, islow DCT
    jpeg_set_quality(&cinfo, quality, TRUE);
    cinfo.optimize_coding = TRUE;
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        // libjpeg only reads the rows it is given; its prototype lacks the const.
        JSAMPROW row = (JSAMPROW)(rgb + (size_t)cinfo.next_scanline * bytes_per_row);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return CLIBJPEG_OK;
}

clibjpeg_status clibjpeg_encode_rgb(const uint8_t *rgb, int32_t width, int32_t height, size_t bytes_per_row,
                                    int32_t quality, uint8_t **output, size_t *output_size, char *message,
                                    size_t message_capacity) {
    *output = NULL;
    *output_size = 0;
    if (rgb == NULL || width < 1 || height < 1 || width > JPEG_MAX_DIMENSION || height > JPEG_MAX_DIMENSION ||
        bytes_per_row < (size_t)width * 3 || quality < 1 || quality > 100) {
        if (message != NULL && message_capacity > 0) {
            snprintf(message, message_capacity, "size %dx%d, row stride %zu or quality %d out of range", width, height,
                     bytes_per_row, quality);
        }
        return CLIBJPEG_BAD_PARAMETER;
    }
    encode_destination destination = {NULL, 0};
    clibjpeg_status status =
        encode_with_jump(rgb, width, height, bytes_per_row, quality, &destination, message, message_capacity);
    if (status != CLIBJPEG_OK) {
        free(destination.buffer);
        return status;
    }
    *output = destination.buffer;
    *output_size = (size_t)destination.size;
    return CLIBJPEG_OK;
}

void clibjpeg_free(uint8_t *buffer) { free(buffer); }
