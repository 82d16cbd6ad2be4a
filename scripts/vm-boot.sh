# Sourced by scripts/v4l2-vm/run-vm.sh and scripts/systemd-vm/run-vm.sh (which set GUEST_DIR and
# TIMEOUT): `boot_vm LABEL MARKER QEMU-ARGS...` boots QEMU with KVM when real KVM is usable, else
# TCG (or $ACCEL), the serial console on stdout and in $GUEST_DIR/console.log, and returns the
# guest's status from its last `MARKER=N` console line (125 when there is none: boot failure or
# timeout).

boot_vm() {
  local label=$1 marker=$2; shift 2
  if [ -z "${ACCEL:-}" ]; then
    # A PVM-based KVM (nested sandboxes) runs only PVM guest kernels: use TCG there.
    if [ ! -d /sys/module/kvm_pvm ] && [ -w /dev/kvm ] &&
       echo quit | qemu-system-x86_64 -accel kvm -M none -display none -nodefaults -monitor stdio >/dev/null 2>&1
    then ACCEL=kvm; else ACCEL=tcg; fi
  fi
  local cpu=max
  if [ "$ACCEL" = kvm ]; then cpu="host,-arch-capabilities"; fi
  local log=$GUEST_DIR/console.log
  timeout "$TIMEOUT" qemu-system-x86_64 -accel "$ACCEL" -cpu "$cpu" \
    -nodefaults -no-user-config -display none -serial stdio -no-reboot "$@" </dev/null | tee "$log"
  local rc; rc=$(sed -n "s/^$marker=\([0-9]*\).*/\1/p" "$log" | tail -1)
  [ -n "$rc" ] || { echo "$label: no exit status from the guest (boot failure or timeout)"; return 125; }
  return "$rc"
}
