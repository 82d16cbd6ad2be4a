// Decoding entry points of CLibJPEG; see include/CLibJPEG.h.
#include "CLibJPEG.h"

#include <setjmp.h>
#include <stdio.h>  // jpeglib.h needs FILE and size_t declared first
#include <string.h>
#include <jpeglib.h>

_Static_assert(JMSG_LENGTH_MAX <= CLIBJPEG_MESSAGE_CAPACITY, "message buffer smaller than libjpeg's messages");

/// libjpeg's error manager extended with the jump target and the outcome.
typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    clibjpeg_status status;
} shim_error_manager;

static void shim_error_exit(j_common_ptr cinfo) {
    shim_error_manager *manager = (shim_error_manager *)cinfo->err;
    manager->status = CLIBJPEG_DECODE_FAILED;
    longjmp(manager->jump, 1);
}

/// Warnings (msg_level -1) abort decoding: a truncated or damaged file must not yield a grey-filled image.
/// Trace messages (msg_level >= 0) are ignored.
static void shim_emit_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level < 0) {
        shim_error_manager *manager = (shim_error_manager *)cinfo->err;
        manager->status = CLIBJPEG_CORRUPT_DATA;
        longjmp(manager->jump, 1);
    }
}

static void shim_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void shim_copy_message(j_common_ptr cinfo, clibjpeg_info *info, char *message, size_t capacity) {
    char text[JMSG_LENGTH_MAX];
    text[0] = 0;
    cinfo->err->format_message(cinfo, text);
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
    if (info != NULL) {
        info->libjpeg_message_code = cinfo->err->msg_code;
    }
}

static void shim_set_message(char *message, size_t capacity, const char *text) {
    if (message != NULL && capacity > 0) {
        snprintf(message, capacity, "%s", text);
    }
}

static void shim_install(struct jpeg_decompress_struct *cinfo, shim_error_manager *manager) {
    cinfo->err = jpeg_std_error(&manager->base);
    manager->base.error_exit = shim_error_exit;
    manager->base.emit_message = shim_emit_message;
    manager->base.output_message = shim_output_message;
    manager->status = CLIBJPEG_OK;
}

static void shim_fill_info(const struct jpeg_decompress_struct *cinfo, clibjpeg_info *info) {
    info->width = (int32_t)cinfo->image_width;
    info->height = (int32_t)cinfo->image_height;
    info->components = cinfo->num_components;
}

clibjpeg_status clibjpeg_read_info(const uint8_t *data, size_t size, clibjpeg_info *info,
                                   char *message, size_t message_capacity) {
    memset(info, 0, sizeof(*info));
    if (data == NULL || size == 0) {
        shim_set_message(message, message_capacity, "empty input");
        return CLIBJPEG_EMPTY_INPUT;
    }
    struct jpeg_decompress_struct cinfo;
    shim_error_manager manager;
    shim_install(&cinfo, &manager);
    jpeg_create_decompress(&cinfo);
    if (setjmp(manager.jump) != 0) {
        shim_copy_message((j_common_ptr)&cinfo, info, message, message_capacity);
        jpeg_destroy_decompress(&cinfo);
        return manager.status;
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    shim_fill_info(&cinfo, info);
    jpeg_destroy_decompress(&cinfo);
    return CLIBJPEG_OK;
}

/// OpenCV's CMYK -> RGB rule (the inverted Adobe convention is not undone, as OpenCV does not).
static void shim_cmyk_row_to_rgb(const JSAMPLE *cmyk, uint8_t *rgb, JDIMENSION width) {
    for (JDIMENSION x = 0; x < width; x++, cmyk += 4, rgb += 3) {
        int k = cmyk[3];
        rgb[0] = (uint8_t)(k - (((255 - cmyk[0]) * k) >> 8));
        rgb[1] = (uint8_t)(k - (((255 - cmyk[1]) * k) >> 8));
        rgb[2] = (uint8_t)(k - (((255 - cmyk[2]) * k) >> 8));
    }
}

clibjpeg_status clibjpeg_decode_rgb(const uint8_t *data, size_t size, uint8_t *rgb, size_t rgb_capacity,
                                    clibjpeg_info *info, char *message, size_t message_capacity) {
    memset(info, 0, sizeof(*info));
    if (data == NULL || size == 0) {
        shim_set_message(message, message_capacity, "empty input");
        return CLIBJPEG_EMPTY_INPUT;
    }
    struct jpeg_decompress_struct cinfo;
    shim_error_manager manager;
    shim_install(&cinfo, &manager);
    jpeg_create_decompress(&cinfo);
    if (setjmp(manager.jump) != 0) {
        shim_copy_message((j_common_ptr)&cinfo, info, message, message_capacity);
        jpeg_destroy_decompress(&cinfo);
        return manager.status;
    }
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    shim_fill_info(&cinfo, info);

    size_t row_bytes = (size_t)cinfo.image_width * 3;
    if (rgb == NULL || rgb_capacity != row_bytes * cinfo.image_height) {
        shim_set_message(message, message_capacity, "output buffer does not match the image size");
        jpeg_destroy_decompress(&cinfo);
        return CLIBJPEG_BUFFER_MISMATCH;
    }

    int cmyk = cinfo.num_components == 4;
    if (cmyk) {
        cinfo.out_color_space = JCS_CMYK;
    } else if (cinfo.num_components == 1 || cinfo.num_components == 3) {
        cinfo.out_color_space = JCS_RGB;  // libjpeg replicates grey to R = G = B
    } else {
        shim_set_message(message, message_capacity, "unsupported number of colour components");
        jpeg_destroy_decompress(&cinfo);
        return CLIBJPEG_UNSUPPORTED_COLOR;
    }
    jpeg_start_decompress(&cinfo);

    JSAMPARRAY cmyk_row = NULL;
    if (cmyk) {
        // Pool memory: released by jpeg_destroy_decompress, also after a longjmp.
        cmyk_row = cinfo.mem->alloc_sarray((j_common_ptr)&cinfo, JPOOL_IMAGE, cinfo.output_width * 4, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *row = rgb + (size_t)cinfo.output_scanline * row_bytes;
        if (cmyk) {
            jpeg_read_scanlines(&cinfo, cmyk_row, 1);
            shim_cmyk_row_to_rgb(cmyk_row[0], row, cinfo.output_width);
        } else {
            JSAMPROW rows[1] = {row};
            jpeg_read_scanlines(&cinfo, rows, 1);
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return CLIBJPEG_OK;
}
