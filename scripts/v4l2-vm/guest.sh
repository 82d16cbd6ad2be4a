#!/bin/sh
# Runs inside the test VM (busybox sh, as root) with the host's / at /host. $GUEST_DIR is the
# read-write run directory (same path inside `chroot /host`); params.sh there names the binaries.
# Exit status = number of failed checks.
. "/host$GUEST_DIR/params.sh"   # FACESTREAM, FEEDER, MODELS, JPEGS
D=$GUEST_DIR
H=/host$D
fail=0
fs() { chroot /host env FACESTREAM_MODEL_DIR="$MODELS" "$FACESTREAM" "$@"; }
now() { cut -d' ' -f1 /proc/uptime; }
check() {  # name command...: runs a check, prints PASS/FAIL with its time
  name=$1; shift; t0=$(now); echo "--- $name"
  if "$@"; then echo "PASS $name ($(awk -v a="$t0" '{printf "%.1f", $1-a}' /proc/uptime) s)"
  else echo "FAIL $name"; fail=$((fail + 1)); fi
}
wait_for() {  # seconds command...: polls every 0.25 s until the command succeeds
  limit=$(( $1 * 4 )); shift; n=0
  while ! "$@"; do n=$((n + 1)); [ $n -ge $limit ] && return 1; sleep 0.25; done
}
lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
has_lines() { [ "$(lines "$1")" -ge "$2" ]; }
logged() { grep -q "$2" "$1" 2>/dev/null; }
alive() { kill -0 "$1" 2>/dev/null; }
stop_detect() {  # pid: SIGINT, then its exit status must be 0
  kill -INT "$1"; wait "$1"; rc=$?; [ $rc -eq 0 ] || echo "detect exited with $rc"; [ $rc -eq 0 ]
}
feed() { chroot /host "$FEEDER" -d /dev/video10 -w 640 -h 480 -r 10 $JPEGS & FEED=$!; }
detect() {  # output-name device [options...]: starts facestream detect in the background as $DETECT
  out=$1; shift
  chroot /host env FACESTREAM_MODEL_DIR="$MODELS" "$FACESTREAM" detect "$@" --threads 1 -o "$D/$out.jsonl" \
    2> "$H/$out.err" & DETECT=$!   # chroot and env exec: $! is facestream itself
}

# 1. Listing: vivid is a YUYV camera; v4l2loopback without producer is no capture node.
devices_text() { fs devices > "$H/devices.txt" && cat "$H/devices.txt" && grep -q "^/dev/video0: .*driver vivid" "$H/devices.txt"; }
devices_json() {
  fs devices --json > "$H/devices.json" && grep -q '"driver":"vivid"' "$H/devices.json" &&
    grep -q '"pixel_format":"YUYV"' "$H/devices.json" && grep -q '"node":"/dev/video0"' "$H/devices.json"
}
check devices-text devices_text
check devices-json devices_json

# 2. vivid, YUYV: frames arrive as JSON lines with pts and ts, and SIGINT ends the run with 0.
vivid_yuyv() {
  detect vivid /dev/video0 --camera-format YUYV --camera-size 640x480
  wait_for 120 has_lines "$H/vivid.jsonl" 3 || { cat "$H/vivid.err"; return 1; }
  stop_detect $DETECT || return 1
  head -c 300 "$H/vivid.jsonl"; echo
  grep -q '"width":640,"height":480' "$H/vivid.jsonl" && grep -q '"pts":[0-9]' "$H/vivid.jsonl" &&
    grep -q '"ts":"20' "$H/vivid.jsonl" && logged "$H/vivid.err" "640x480 YUYV"
}
check vivid-yuyv vivid_yuyv

# 3. v4l2loopback: the camera is missing at start (no producer) and waited for; then MJPEG frames
#    made from the shared photos arrive and faces are found.
loop_wait_then_faces() {
  detect loop /dev/video10 --camera-timeout 3 --only-faces
  wait_for 60 logged "$H/loop.err" "waiting for camera /dev/video10" || { cat "$H/loop.err"; return 1; }
  alive $DETECT || return 1
  feed
  wait_for 180 has_lines "$H/loop.jsonl" 2 || { cat "$H/loop.err"; return 1; }
  head -c 300 "$H/loop.jsonl"; echo
  grep -q '"score":0\.9' "$H/loop.jsonl" && logged "$H/loop.err" "MJPG" && logged "$H/loop.err" "appeared"
}
check loopback-waits-then-mjpeg-faces loop_wait_then_faces

# 4. The producer stops sending (SIGSTOP: it keeps the device, as a hung camera would): the camera
#    is lost (no frame within the timeout), reopened, and back once frames flow again (SIGCONT);
#    the process never exits.
loop_lost_and_back() {
  kill -STOP $FEED
  wait_for 60 logged "$H/loop.err" "lost camera /dev/video10" || { cat "$H/loop.err"; return 1; }
  before=$(lines "$H/loop.jsonl")
  alive $DETECT || return 1
  kill -CONT $FEED
  wait_for 180 logged "$H/loop.err" "camera /dev/video10 is back" || { cat "$H/loop.err"; return 1; }
  wait_for 120 has_lines "$H/loop.jsonl" $((before + 2)) || return 1
  kill $FEED; wait $FEED
  stop_detect $DETECT
}
check loopback-producer-lost-and-back loop_lost_and_back

# 5. vivid unplugged (driver unbound, module removed) and plugged again (module loaded).
VIVID=$(grep -o '[^ ]*/vivid.ko[^ ]*' /etc/modules | head -1)
vivid_unplug() {
  detect unplug /dev/video0 --camera-format YUYV
  wait_for 120 has_lines "$H/unplug.jsonl" 2 || { cat "$H/unplug.err"; return 1; }
  echo vivid.0 > /sys/bus/platform/drivers/vivid/unbind
  wait_for 30 logged "$H/unplug.err" "lost camera /dev/video0" || { cat "$H/unplug.err"; return 1; }
  wait_for 30 rmmod vivid || { echo "rmmod vivid failed"; return 1; }
  [ ! -e /dev/video0 ] || return 1
  alive $DETECT || return 1
  before=$(lines "$H/unplug.jsonl")
  insmod "/lib/modules/$VIVID" n_devs=1 node_types=0x1 || return 1
  wait_for 120 logged "$H/unplug.err" "camera /dev/video0 is back" || { cat "$H/unplug.err"; return 1; }
  wait_for 120 has_lines "$H/unplug.jsonl" $((before + 2)) || return 1
  stop_detect $DETECT
}
check vivid-unplugged-and-back vivid_unplug

for f in vivid loop unplug; do echo "== $f.err"; cat "$H/$f.err" 2>/dev/null; done
exit $fail
