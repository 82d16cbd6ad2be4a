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
if [ -z "${ACCEL:-}" ]; then
  # A PVM-based KVM (nested sandboxes) runs only PVM guest kernels: use TCG there.
  if [ ! -d /sys/module/kvm_pvm ] && [ -w /dev/kvm ] &&
     echo quit | qemu-system-x86_64 -accel kvm -M none -display none -nodefaults -monitor stdio >/dev/null 2>&1
  then ACCEL=kvm; else ACCEL=tcg; fi
fi
if [ "$ACCEL" = kvm ]; then CPU="host,-arch-capabilities"; else CPU=max; fi
log=$GUEST_DIR/console.log
timeout "$TIMEOUT" qemu-system-x86_64 -accel "$ACCEL" -cpu "$CPU" -smp "${SMP:-1}" -m "$MEM" \
  -nodefaults -no-user-config -display none -serial stdio -no-reboot \
  -virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap" \
  -virtfs "local,path=$GUEST_DIR,mount_tag=rw,security_model=none,multidevs=remap" \
  -kernel "$WORK/out/kernel" -initrd "$WORK/out/initramfs.img" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init rootfstype=ramfs v4l2vm.rw=$GUEST_DIR" \
  </dev/null | tee "$log"
rc=$(sed -n 's/^V4L2VM_EXIT=\([0-9]*\).*/\1/p' "$log" | tail -1)
[ -n "$rc" ] || { echo "v4l2-vm: no exit status from the guest (boot failure or timeout)"; exit 125; }
exit "$rc"
