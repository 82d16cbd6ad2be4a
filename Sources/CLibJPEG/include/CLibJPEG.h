// Placeholder; the JPEG decoding shim is written in Sources/CLibJPEG/jpeg_shim.c.
#ifndef FACESTREAM_CLIBJPEG_H
#define FACESTREAM_CLIBJPEG_H
int clibjpeg_placeholder(void);
#endif
