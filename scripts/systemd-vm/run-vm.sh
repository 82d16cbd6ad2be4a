#!/usr/bin/env bash
# Boots the image from build-image.sh under QEMU (TCG unless real KVM is usable) with systemd as
# PID 1; the root file system is used with -snapshot (the image is never written), $GUEST_DIR is
# shared read-write as 9p tag `job`. The image's vmtest.service runs $GUEST_DIR/guest.sh and powers off.
# Prints the serial console; exits with guest.sh's status (125: none, i.e. boot failure or timeout).
# Env: WORK, GUEST_DIR (required), MEM (default 1G), SMP (default 2), TIMEOUT seconds (default 900), ACCEL.
set -uo pipefail
WORK=${WORK:-/tmp/facestream-systemd-vm}
: "${GUEST_DIR:?GUEST_DIR must name the directory holding guest.sh}"
TIMEOUT=${TIMEOUT:-900}
. "$(dirname "${BASH_SOURCE[0]}")/../vm-boot.sh"
boot_vm systemd-vm VMTEST_EXIT -smp "${SMP:-2}" -m "${MEM:-1G}" \
  -drive "file=$WORK/out/rootfs.img,format=raw,if=virtio,snapshot=on" \
  -virtfs "local,path=$GUEST_DIR,mount_tag=job,security_model=none,multidevs=remap" \
  -kernel "$WORK/out/kernel" -initrd "$WORK/out/initramfs.img" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 systemd.show_status=0 rdinit=/init"
