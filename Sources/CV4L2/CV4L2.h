// libv4l2 and the V4L2 kernel API for Swift. Two importer limits are worked around here:
// - v4l2_ioctl and ioctl are variadic, which Swift cannot call: fixed-argument shims below.
// - VIDIOC_* request codes are built with _IOWR(...) function-like macros, which Swift does not
//   import: each one used is re-exported as a constant of the same value.
#ifndef FACESTREAM_CV4L2_H
#define FACESTREAM_CV4L2_H

#include <fcntl.h>
#include <libv4l2.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>


/// Plain ioctl (variadic in glibc) with one pointer argument: used before libv4l2 takes the
/// descriptor, so a file that is not a V4L2 device is recognised without libv4l2's stderr noise.
static inline int cv4l2_raw_ioctl(int fd, unsigned long request, void *argument) {
    return ioctl(fd, request, argument);
}

/// v4l2_ioctl with one pointer argument, as every VIDIOC_* request takes.
static inline int cv4l2_ioctl(int fd, unsigned long request, void *argument) {
    return v4l2_ioctl(fd, request, argument);
}

/// mmap of a driver buffer through libv4l2 (offset from VIDIOC_QUERYBUF), read-only, shared.
static inline void *cv4l2_mmap_buffer(int fd, size_t length, int64_t offset) {
    return v4l2_mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
}

/// True when a mapping call failed (MAP_FAILED is a cast macro Swift does not import).
static inline int cv4l2_map_failed(void *address) { return address == MAP_FAILED; }

static const unsigned long CV4L2_VIDIOC_QUERYCAP = VIDIOC_QUERYCAP;
static const unsigned long CV4L2_VIDIOC_ENUM_FMT = VIDIOC_ENUM_FMT;
static const unsigned long CV4L2_VIDIOC_ENUM_FRAMESIZES = VIDIOC_ENUM_FRAMESIZES;
static const unsigned long CV4L2_VIDIOC_ENUM_FRAMEINTERVALS = VIDIOC_ENUM_FRAMEINTERVALS;
static const unsigned long CV4L2_VIDIOC_G_FMT = VIDIOC_G_FMT;
static const unsigned long CV4L2_VIDIOC_S_FMT = VIDIOC_S_FMT;
static const unsigned long CV4L2_VIDIOC_S_PARM = VIDIOC_S_PARM;
static const unsigned long CV4L2_VIDIOC_REQBUFS = VIDIOC_REQBUFS;
static const unsigned long CV4L2_VIDIOC_QUERYBUF = VIDIOC_QUERYBUF;
static const unsigned long CV4L2_VIDIOC_QBUF = VIDIOC_QBUF;
static const unsigned long CV4L2_VIDIOC_DQBUF = VIDIOC_DQBUF;
static const unsigned long CV4L2_VIDIOC_STREAMON = VIDIOC_STREAMON;
static const unsigned long CV4L2_VIDIOC_STREAMOFF = VIDIOC_STREAMOFF;

// The Swift code relies on these layouts (x86-64 and arm64 Linux).
_Static_assert(sizeof(struct v4l2_buffer) == 88, "struct v4l2_buffer layout changed");
_Static_assert(sizeof(struct v4l2_format) == 208, "struct v4l2_format layout changed");

#endif
