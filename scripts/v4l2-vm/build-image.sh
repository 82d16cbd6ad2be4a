#!/usr/bin/env bash
# Builds the test VM once: a stock Debian 12 kernel (fetched with `apt-get download`), and a busybox
# initramfs that loads vivid (virtual camera, /dev/video0), v4l2loopback (built here from Debian's
# v4l2loopback-dkms source against the kernel's headers, /dev/video10) and virtio-9p. The guest
# mounts the host's / read-only at /host and a host directory read-write, then runs the script
# `guest.sh` found in that directory (so the image does not change when the tests do).
#
# Usage: WORK=/tmp/facestream-v4l2vm scripts/v4l2-vm/build-image.sh
# Output: $WORK/out/vmlinux (or vmlinuz) and $WORK/out/initramfs.img; reused when present.
# Needs (Debian 12, root): qemu-system-x86 busybox-static kmod cpio zstd python3 gcc make libc6-dev,
# and apt sources for the kernel .debs (network, Debian archive only).
set -euo pipefail
WORK=${WORK:-/tmp/facestream-v4l2vm}
mkdir -p "$WORK/debs" "$WORK/out"
if [ -f "$WORK/out/initramfs.img" ] && [ -f "$WORK/out/kernel" ]; then
  echo "v4l2-vm: image cached in $WORK/out" >&2; exit 0
fi

# 1. Kernel (and the `deb` helper): scripts/vm-kernel.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../vm-kernel.sh"
fetch_kernel "$WORK/out/kernel"

# 2. v4l2loopback, out of tree, against the matching headers (nothing installed under /usr/src).
HROOT=$WORK/headers-$KVER
if [ ! -d "$HROOT/usr/src/linux-headers-$KVER" ]; then
  mkdir -p "$HROOT"
  for p in "linux-headers-$KVER" "linux-headers-${KVER%-*}-common" "linux-kbuild-$(echo "$KVER" | cut -d. -f1,2)" v4l2loopback-dkms; do
    dpkg-deb -x "$(deb "$p")" "$HROOT"
  done
  sed -i "s|include /usr/src/|include $HROOT/usr/src/|" "$HROOT/usr/src/linux-headers-$KVER/Makefile"
fi
LSRC=$(ls -d "$HROOT"/usr/src/v4l2loopback-* | head -1)
[ -f "$LSRC/v4l2loopback.ko" ] || make -s -C "$HROOT/usr/src/linux-headers-$KVER" M="$LSRC" modules >"$WORK/out/loopback-build.log" 2>&1 ||
  { tail -20 "$WORK/out/loopback-build.log"; exit 1; }

# 3. The initramfs: busybox, the modules in dependency order, /init.
R=$WORK/rootfs
rm -rf "$R"; mkdir -p "$R"/usr/{bin,lib} "$R"/{dev,proc,sys,tmp,etc,host}
for d in bin sbin lib; do ln -s usr/$d "$R/$d"; done
cp /bin/busybox "$R/usr/bin/busybox"
: > "$R/etc/modules"
add_module() {  # $1 module name, $2 its parameters
  modprobe -d "$KROOT" -S "$KVER" --show-depends "$1" | awk '$1=="insmod"{print $2}' | while read -r ko; do
    rel=${ko#"$KROOT"/lib/modules/"$KVER"/}
    grep -q "^$rel" "$R/etc/modules" && continue
    mkdir -p "$R/lib/modules/$(dirname "$rel")"; cp "$ko" "$R/lib/modules/$rel"
    if [ "$(basename "$rel" .ko)" = "$1" ]; then echo "$rel $2"; else echo "$rel"; fi >> "$R/etc/modules"
  done
}
add_module vivid "n_devs=1 node_types=0x1"
for m in virtio_pci 9pnet_virtio 9p $(modinfo -F depends "$LSRC/v4l2loopback.ko" | tr , ' '); do add_module "$m" ""; done
cp "$LSRC/v4l2loopback.ko" "$R/lib/modules/v4l2loopback.ko"
echo "v4l2loopback.ko video_nr=10 exclusive_caps=1 card_label=loopback" >> "$R/etc/modules"

cat > "$R/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /tmp
export PATH=/usr/bin:/bin
while read -r module options; do insmod /lib/modules/$module $options || echo "V4L2VM: insmod $module failed"; done < /etc/modules
rc=125
rw=$(sed -n 's/.*v4l2vm\.rw=\([^ ]*\).*/\1/p' /proc/cmdline)
# /tmp of the chroot is the guest's own tmpfs; the read-write share is mounted after it, so it
# may live under the host's /tmp too.
if mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /host &&
   for d in dev proc sys tmp; do mount -o bind /$d /host/$d; done && mkdir -p "/host$rw" &&
   mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 rw "/host$rw"; then
  echo "V4L2VM: ready at $(cut -d' ' -f1 /proc/uptime)s: $(ls /dev/video* | tr '\n' ' ')"
  GUEST_DIR=$rw sh "/host$rw/guest.sh"; rc=$?
else
  echo "V4L2VM: could not mount the host share"
fi
echo "V4L2VM_EXIT=$rc"
sync; poweroff -f
INIT
chmod +x "$R/init"
(cd "$R" && find . -print0 | cpio --null -o -H newc --quiet | zstd -q -9 -T0 -c) > "$WORK/out/initramfs.img"
echo "v4l2-vm: kernel $KVER, initramfs $(stat -c %s "$WORK/out/initramfs.img") bytes" >&2
