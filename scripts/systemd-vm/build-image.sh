#!/usr/bin/env bash
# Builds the systemd test VM once: a Debian 12 root file system made with debootstrap (systemd as
# PID 1, udev, logrotate and the packages named in $PACKAGES, i.e. the .deb's dependencies) in an
# ext4 image, the stock Debian 12 kernel (fetched with `apt-get download`, as scripts/v4l2-vm does)
# and a busybox initramfs that loads virtio and ext4 and switches to the image. Only the modules
# the test needs (virtio, ext4, 9p, vivid, autofs4) and their dependencies are copied.
# At boot the image's vmtest.service mounts the 9p share `job` at /job, runs /job/guest.sh (bash)
# with its output on the serial console, prints VMTEST_EXIT=<status> and powers off; so the image
# does not change when the tests do.
#
# Usage: WORK=.build/systemd-vm PACKAGES="libavformat59 ..." scripts/systemd-vm/build-image.sh
# Output: $WORK/out/{kernel,initramfs.img,rootfs.img}; reused while the package list is the same.
# Needs (Debian 12, root): debootstrap busybox-static kmod cpio zstd python3 e2fsprogs, network to
# the Debian archive (the first time only; the .debs stay in $WORK/debs).
set -euo pipefail
WORK=${WORK:-/tmp/facestream-systemd-vm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
BASE="systemd systemd-sysv udev kmod logrotate procps"
wanted=$(echo $BASE ${PACKAGES:-} | tr ' ' '\n' | sort -u | tr '\n' ' ')
mkdir -p "$WORK/debs" "$WORK/out"
OUT=$WORK/out
if [ -f "$OUT/rootfs.img" ] && [ -f "$OUT/kernel" ] && [ -f "$OUT/initramfs.img" ] &&
   [ "$(cat "$OUT/packages" 2>/dev/null)" = "$wanted" ]; then
  echo "systemd-vm: image cached in $OUT" >&2; exit 0
fi

# 1. Kernel (and the `deb` helper): scripts/vm-kernel.sh.
source "$(dirname "${BASH_SOURCE[0]}")/../vm-kernel.sh"
fetch_kernel "$OUT/kernel"

copy_modules() {  # module names: copies them and their dependencies into $1's lib/modules (and, for the initramfs, lists them in load order in $1/modules)
  local dest=$1; shift
  for m in "$@"; do
    modprobe -d "$KROOT" -S "$KVER" --show-depends "$m" | awk '$1=="insmod"{print $2}' | while read -r ko; do
      rel=${ko#"$KROOT"/}
      mkdir -p "$dest/$(dirname "$rel")"; cp "$ko" "$dest/$rel"
      [ "$dest" = "$WORK/rootfs" ] || { grep -qx "$rel" "$dest/modules" 2>/dev/null || echo "$rel" >> "$dest/modules"; }
    done
  done
}

# 2. The root file system (debootstrap keeps its .debs in $WORK/debs for the next build).
R=$WORK/rootfs
if [ "$(cat "$OUT/packages" 2>/dev/null)" != "$wanted" ] || [ ! -f "$OUT/rootfs.img" ]; then
rm -rf "$R" "$OUT/rootfs.img" "$OUT/packages"
debootstrap --variant=minbase --cache-dir="$WORK/debs" --include="$(echo $wanted | tr ' ' ,)" \
  bookworm "$R" "$MIRROR" > "$OUT/debootstrap.log" 2>&1 || { tail -30 "$OUT/debootstrap.log"; exit 1; }

copy_modules "$R" virtio_pci virtio_blk ext4 9p 9pnet_virtio vivid autofs4 configfs
cp "$KROOT/lib/modules/$KVER"/modules.{order,builtin,builtin.modinfo} "$R/lib/modules/$KVER/"
depmod -b "$R" "$KVER"

echo facestream-vm > "$R/etc/hostname"
echo "/dev/vda / ext4 rw,noatime 0 1" > "$R/etc/fstab"
echo vivid > "$R/etc/modules-load.d/vivid.conf"
# One capture node (/dev/video0) and nothing else: radio, SDR, touch and output nodes only slow the boot.
echo "options vivid n_devs=1 node_types=0x1" > "$R/etc/modprobe.d/vivid.conf"
# No login prompts: the serial console carries the test's output.
ln -sf /dev/null "$R/etc/systemd/system/getty@tty1.service"
ln -sf /dev/null "$R/etc/systemd/system/serial-getty@ttyS0.service"
cat > "$R/usr/local/sbin/vmtest-run" <<'RUN'
#!/bin/sh
# Runs the test the host put in the 9p share `job`, then powers off.
mkdir -p /job
rc=125
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 job /job; then
  bash /job/guest.sh 2>&1 | tee /job/guest.log; rc=$(cat /job/exit 2>/dev/null || echo 125)
else
  echo "vmtest: cannot mount the job share"
fi
echo "VMTEST_EXIT=$rc"
sync
systemctl poweroff --no-block 2>/dev/null  # no D-Bus in the image: logind cannot be asked, systemd is
RUN
chmod 0755 "$R/usr/local/sbin/vmtest-run"
cat > "$R/etc/systemd/system/vmtest.service" <<'UNIT'
[Unit]
Description=FaceStream VM test (runs /job/guest.sh from the host)
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/vmtest-run
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0

[Install]
WantedBy=multi-user.target
UNIT
mkdir -p "$R/etc/systemd/system/multi-user.target.wants"
ln -sf ../vmtest.service "$R/etc/systemd/system/multi-user.target.wants/vmtest.service"
rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/*_Packages
mkfs.ext4 -q -F -L root -d "$R" "$OUT/rootfs.img.tmp" 1536M
mv "$OUT/rootfs.img.tmp" "$OUT/rootfs.img"
rm -rf "$R"
echo "$wanted" > "$OUT/packages"
fi

# 3. The initramfs: busybox, virtio and ext4 with their dependencies in order, /init.
I=$WORK/initramfs
rm -rf "$I"; mkdir -p "$I"/usr/{bin,lib} "$I"/{dev,proc,sys,newroot}
for d in bin sbin lib; do ln -s usr/$d "$I/$d"; done
cp /bin/busybox "$I/usr/bin/busybox"
copy_modules "$I" virtio_pci virtio_blk ext4
cat > "$I/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
while read -r module; do insmod "/$module" 2>/dev/null; done < /modules
mount -t ext4 -o rw,noatime /dev/vda /newroot || { echo "initramfs: cannot mount /dev/vda"; poweroff -f; }
umount /proc /sys; umount /dev
exec switch_root /newroot /sbin/init
INIT
chmod +x "$I/init"
(cd "$I" && find . -print0 | cpio --null -o -H newc --quiet | zstd -q -9 -T0 -c) > "$OUT/initramfs.img"
rm -rf "$I"
echo "systemd-vm: kernel $KVER, root file system $(du -sh --apparent-size "$OUT/rootfs.img" | cut -f1) ($wanted)" >&2
