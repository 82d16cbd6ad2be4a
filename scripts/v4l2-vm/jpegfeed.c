/* jpegfeed: producer for a v4l2loopback output node. Sets the output format to MJPG at the
 * given size, then write()s the given JPEG files in turn, one per frame, at a fixed rate,
 * until killed (or for -n frames). The JPEGs must already have that size.
 * usage: jpegfeed -d /dev/video10 -w 640 -h 480 -r 10 [-n frames] a.jpg [b.jpg ...]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/videodev2.h>

static unsigned char *slurp(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(2); }
    struct stat st; fstat(fileno(f), &st);
    unsigned char *bytes = malloc(st.st_size);
    if (fread(bytes, 1, st.st_size, f) != (size_t)st.st_size) { perror(path); exit(2); }
    fclose(f); *length = st.st_size;
    return bytes;
}

int main(int argc, char **argv) {
    const char *device = "/dev/video10"; int width = 640, height = 480, rate = 10, frames = 0, c;
    while ((c = getopt(argc, argv, "d:w:h:r:n:")) != -1) switch (c) {
        case 'd': device = optarg; break; case 'w': width = atoi(optarg); break;
        case 'h': height = atoi(optarg); break; case 'r': rate = atoi(optarg); break;
        case 'n': frames = atoi(optarg); break;
        default: fprintf(stderr, "usage: jpegfeed [-d dev] [-w W] [-h H] [-r fps] [-n frames] file.jpg...\n"); return 2;
    }
    if (optind >= argc || rate <= 0) { fprintf(stderr, "jpegfeed: give JPEG files and a positive rate\n"); return 2; }
    int count = argc - optind;
    unsigned char **pictures = calloc(count, sizeof *pictures); size_t *lengths = calloc(count, sizeof *lengths);
    size_t largest = 0;
    for (int i = 0; i < count; i++) {
        pictures[i] = slurp(argv[optind + i], &lengths[i]);
        if (lengths[i] > largest) largest = lengths[i];
    }
    int fd = open(device, O_RDWR);
    if (fd < 0) { perror("jpegfeed: open"); return 2; }
    struct v4l2_format format; memset(&format, 0, sizeof format);
    format.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
    format.fmt.pix.width = width; format.fmt.pix.height = height;
    format.fmt.pix.field = V4L2_FIELD_NONE; format.fmt.pix.pixelformat = V4L2_PIX_FMT_MJPEG;
    format.fmt.pix.sizeimage = largest > (size_t)width * height * 2 ? largest : (size_t)width * height * 2;
    format.fmt.pix.colorspace = V4L2_COLORSPACE_SRGB;
    if (ioctl(fd, VIDIOC_S_FMT, &format) < 0) {
        /* v4l2loopback refuses to reallocate while a reader holds the device (EINVAL); a restarted
         * producer then goes on with the format already there, if it is the same. */
        struct v4l2_format current; memset(&current, 0, sizeof current);
        current.type = V4L2_BUF_TYPE_VIDEO_OUTPUT;
        if (ioctl(fd, VIDIOC_G_FMT, &current) < 0 || current.fmt.pix.pixelformat != V4L2_PIX_FMT_MJPEG ||
            current.fmt.pix.width != (unsigned)width || current.fmt.pix.height != (unsigned)height) {
            perror("jpegfeed: VIDIOC_S_FMT(output)"); return 2;
        }
        fprintf(stderr, "jpegfeed: keeping the device's format (MJPG %dx%d)\n", width, height);
    }
    struct timespec period = { 0, 1000000000L / rate };
    for (int i = 0; frames == 0 || i < frames; i++) {
        int k = i % count;
        if (write(fd, pictures[k], lengths[k]) != (ssize_t)lengths[k]) { perror("jpegfeed: write"); return 1; }
        nanosleep(&period, NULL);
    }
    close(fd);
    return 0;
}
