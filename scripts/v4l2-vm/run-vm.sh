#!/usr/bin/env bash
# Boots the image from build-image.sh under QEMU (TCG unless real KVM is usable), sharing the host's
# / read-only and $GUEST_DIR read-write; the guest runs $GUEST_DIR/guest.sh and powers off.
# Prints the serial console; exits with guest.sh's status (125: no status, i.e. boot failure or timeout).
# Env: WORK, GUEST_DIR (required), MEM (default 512M), TIMEOUT seconds (default 600), ACCEL.
set -uo pipefail
WORK=${WORK:-/tmp/facestream-v4l2vm}
: "${GUEST_DIR:?GUEST_DIR must name the directory holding guest.sh}"
MEM=${MEM:-512M}
TIMEOUT=${TIMEOUT:-600}
. "$(dirname "${BASH_SOURCE[0]}")/../vm-boot.sh"
boot_vm v4l2-vm V4L2VM_EXIT -smp "${SMP:-1}" -m "$MEM" \
  -virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$GUEST_DIR,mount_tag=rw,security_model=none,multidevs=remap" \
  -kernel "$WORK/out/kernel" -initrd "$WORK/out/initramfs.img" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init rootfstype=ramfs v4l2vm.rw=$GUEST_DIR"
