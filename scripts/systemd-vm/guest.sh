#!/bin/bash
# Runs inside the systemd test VM (Debian 12, systemd as PID 1, vivid as /dev/video0), as root,
# from the image's vmtest.service. /job is the host's run directory: facestream.deb (revision 1),
# facestream-upgrade.deb (the same with a higher revision). Prints PASS/FAIL per check; writes
# the number of failed checks to /job/exit.
J=/job
fail=0
echo 0 > $J/exit
now() { cut -d' ' -f1 /proc/uptime; }
check() {  # name command...: runs a check, prints PASS/FAIL with its time (only those in /job/only, if present)
  local name=$1 t0; shift; t0=$(now)
  if [ -f $J/only ] && ! grep -qw -- "$name" $J/only; then echo "SKIP $name"; return 0; fi
  echo "--- $name"
  if "$@"; then echo "PASS $name ($(awk -v a="$t0" '{printf "%.1f", $1-a}' /proc/uptime) s)"
  else echo "FAIL $name"; fail=$((fail + 1)); fi
  echo $fail > $J/exit
}
wait_for() {  # seconds command...: polls every 0.25 s until the command succeeds
  local limit=$(( $1 * 4 )) n=0; shift
  while ! "$@"; do n=$((n + 1)); [ $n -ge $limit ] && return 1; sleep 0.25; done
}
U=facestream@cam.service
LOG=/var/log/facestream
prop() { systemctl show -P "$2" "$1"; }
lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
has_lines() { [ "$(lines "$1")" -ge "$2" ]; }
active() { [ "$(prop $U ActiveState)" = active ]; }
main_pid() { prop $U MainPID; }
new_pid() { local p; p=$(main_pid); [ "$p" != 0 ] && [ "$p" != "$1" ] && active; }
journal() { journalctl -q --no-pager -u $U "$@"; }
status_has() { prop $U StatusText | grep -q "$1"; }
diagnose() { systemctl status --no-pager -n 30 $U; ls -la $LOG/ 2>&1; }
apt_get() {  # log-name apt-get arguments...: apt-get with a time limit; shows what hangs
  local log=$J/$1.log; shift
  if timeout 300 apt-get -y -q "$@" > "$log" 2>&1; then return 0; fi
  tail -20 "$log"; systemctl list-jobs --no-pager; ps -eo pid,ppid,stat,etime,args | grep -v ' \[' | tail -25
  journalctl -q --no-pager -n 40; return 1
}
echo "guest: up at $(now) s; $(ls /dev/video* 2>/dev/null | tr '\n' ' ')"

# 1. apt installs the package offline (its dependencies are in the image); a fresh install
#    neither enables nor starts the daemon, and ships the units, conffile, models, man pages.
install_fresh() {
  apt_get apt-install install "$J/facestream.deb" || return 1
  facestream --version && [ "$(systemctl is-enabled facestream.service)" = disabled ] &&
    ! systemctl is-active -q facestream.service && [ -f /etc/facestream/facestream.toml ] &&
    [ -f /usr/share/facestream/models/version-RFB-320.onnx ] && [ -f /usr/share/man/man1/facestream.1.gz ] &&
    grep -q '^ExecStart=/usr/bin/facestream ' /lib/systemd/system/facestream@.service &&
    facestream check-config /etc/facestream/facestream.toml
}
check install-disabled-not-started install_fresh
command -v facestream >/dev/null || { echo "guest: not installed, no further checks"; exit 1; }

cat > /etc/facestream/cam.toml <<'TOML'
threads = 1
workers = 1
status_interval = 5

[[stream]]
name = "cam"
source = "/dev/video0"
output = "/var/log/facestream/cam.jsonl"
camera_size = "320x240"
TOML
cp /etc/facestream/cam.toml $J/cam.toml

# 2. The unit as shipped (DynamicUser, PrivateUsers, DevicePolicy=closed) opens vivid, and JSON
#    lines with "faces":[] arrive in /var/log/facestream.
camera_under_sandbox() {
  [ "$(prop $U DynamicUser)" = yes ] && [ "$(prop $U PrivateUsers)" = yes ] && [ "$(prop $U DevicePolicy)" = closed ] ||
    { echo "unit is not sandboxed as shipped"; return 1; }
  systemctl start $U || { diagnose; return 1; }
  wait_for 240 has_lines $LOG/cam.jsonl 5 || { diagnose; return 1; }
  head -c 300 $LOG/cam.jsonl; echo
  user=$(ps -o user= -p "$(main_pid)")
  echo "main process runs as $user"
  [ "$user" != root ] && grep -q '"faces":\[\]' $LOG/cam.jsonl && grep -q '"source":"/dev/video0"' $LOG/cam.jsonl
}
check camera-under-shipped-sandbox camera_under_sandbox

# 3. journald has the daemon's lines with their priorities: info lines at 6, no "<N>" left in the text.
journal_priorities() {
  journal -p info | tail -5
  [ "$(journal -p info | wc -l)" -gt 0 ] &&
    journal -o verbose -p info | grep -q '^ *PRIORITY=6' &&
    ! journal -o cat | grep -q '^<[0-7]>' &&
    [ "$(journal -p info | wc -l)" -gt "$(journal -p warning | wc -l)" ]
}
check journal-priorities journal_priorities

# 4. systemctl reload re-reads the file: a second stream (a camera that is not there) appears in STATUS.
reload_config() {
  pid=$(main_pid)
  printf '\n[[stream]]\nname = "yard"\nsource = "/dev/video7"\noutput = "/var/log/facestream/yard.jsonl"\n' >> /etc/facestream/cam.toml
  systemctl reload $U || return 1
  wait_for 60 status_has "yard" || { prop $U StatusText; return 1; }
  prop $U StatusText
  systemctl status --no-pager $U | grep -q yard && [ "$(main_pid)" = "$pid" ]
}
check reload-adds-stream reload_config
cp $J/cam.toml /etc/facestream/cam.toml && systemctl reload $U

# 5. The watchdog (a 10 s drop-in) restarts a process that hangs (SIGSTOP).
watchdog_restart() {
  mkdir -p /run/systemd/system/$U.d
  printf '[Service]\nWatchdogSec=10s\n' > /run/systemd/system/$U.d/watchdog.conf
  systemctl daemon-reload && systemctl restart $U || return 1
  wait_for 120 status_has running || { diagnose; return 1; }
  sleep 12   # healthy for longer than WatchdogSec: no restart
  [ "$(prop $U NRestarts)" = 0 ] || { echo "restarted while healthy"; diagnose; return 1; }
  pid=$(main_pid); kill -STOP "$pid"
  wait_for 120 new_pid "$pid" || { diagnose; return 1; }
  journal | grep -i watchdog | tail -3
  journal | grep -q -i "watchdog timeout"
}
check watchdog-restarts-hung watchdog_restart
rm -rf /run/systemd/system/$U.d; systemctl daemon-reload; systemctl restart $U

# 6. SIGKILL: restarted (Restart=on-failure).
sigkill_restart() {
  wait_for 120 active || return 1
  pid=$(main_pid); kill -KILL "$pid"
  wait_for 60 new_pid "$pid" || { diagnose; return 1; }
  echo "main PID $pid -> $(main_pid)"
}
check sigkill-restarted sigkill_restart

# 7. A broken configuration: check-config fails with 78, run exits 78, and systemd does not restart it.
exit78_not_restarted() {
  echo 'threads = "many"' > /etc/facestream/cam.toml
  facestream check-config /etc/facestream/cam.toml; rc=$?
  [ $rc = 78 ] || { echo "check-config exited $rc"; return 1; }
  systemctl restart $U   # a manual restart sets NRestarts to 0
  wait_for 60 test "$(prop $U ActiveState)" = failed || { diagnose; return 1; }
  sleep 8   # longer than RestartSec=5s
  echo "state $(prop $U ActiveState), status $(prop $U ExecMainStatus), restarts $(prop $U NRestarts)"
  [ "$(prop $U ActiveState)" = failed ] && [ "$(prop $U ExecMainStatus)" = 78 ] && [ "$(prop $U NRestarts)" = 0 ]
}
check exit78-not-restarted exit78_not_restarted
cp $J/cam.toml /etc/facestream/cam.toml; systemctl reset-failed $U; systemctl start $U

# 8. logrotate with the shipped /etc/logrotate.d/facestream (postrotate: systemctl reload), in a
#    fresh run: the rotated and the new file together hold every frame the daemon analysed (its
#    summary at stop), in increasing frame order (a live camera's frame numbers skip dropped frames).
frames() { sed -n 's/.*"frame":\([0-9]*\).*/\1/p' "$@"; }
increasing() { awk 'NR > 1 && $1 <= prev { print "frame " $1 " after " prev; bad = 1 } { prev = $1 } END { exit bad }'; }
logrotate_no_loss() {
  systemctl stop $U; rm -f $LOG/cam.jsonl*
  systemctl start $U || { diagnose; return 1; }
  pid=$(main_pid)
  wait_for 180 has_lines $LOG/cam.jsonl 4 || { diagnose; return 1; }
  logrotate -v -f /etc/logrotate.d/facestream > $J/logrotate.log 2>&1 || { cat $J/logrotate.log; return 1; }
  wait_for 120 has_lines $LOG/cam.jsonl 3 || { cat $J/logrotate.log; diagnose; return 1; }
  [ "$(main_pid)" = "$pid" ] || { echo "restarted instead of reloaded"; return 1; }
  systemctl stop $U
  old=$LOG/cam.jsonl.1
  ls -la $LOG/
  analysed=$(journalctl -q -o cat _PID="$pid" | sed -n 's/^stream cam: .* \([0-9]*\) analysed,.*/\1/p' | tail -1)
  echo "rotated: $(lines $old) lines (frames $(frames $old | head -1)..$(frames $old | tail -1)); new: $(lines $LOG/cam.jsonl) lines (frames $(frames $LOG/cam.jsonl | head -1)..$(frames $LOG/cam.jsonl | tail -1)); analysed: $analysed"
  [ "$(lines $old)" -gt 0 ] && [ $(( $(lines $old) + $(lines $LOG/cam.jsonl) )) = "$analysed" ] && frames $old $LOG/cam.jsonl | increasing
}
check logrotate-reload-loses-nothing logrotate_no_loss
systemctl start $U

# 9. Upgrade (same package, higher revision) while running: the conffile edit survives, the
#    daemon is restarted on the new binary, the admin's enable stays.
upgrade() {
  systemctl enable facestream.service 2>/dev/null
  echo "# edited by the admin" >> /etc/facestream/facestream.toml
  pid=$(main_pid)
  apt_get apt-upgrade install "$J/facestream-upgrade.deb" || return 1
  dpkg-query -W facestream
  wait_for 60 new_pid "$pid" || { diagnose; return 1; }
  grep -q "edited by the admin" /etc/facestream/facestream.toml && [ "$(systemctl is-enabled facestream.service)" = enabled ] &&
    [ "$(dpkg-query -W -f '${Version}' facestream)" = "$(dpkg-deb -f $J/facestream-upgrade.deb Version)" ]
}
check upgrade-restarts-keeps-conffile upgrade

# 10. Purge: units stopped, configuration, outputs, state and enable symlinks gone.
purge() {
  apt_get apt-purge purge facestream || return 1
  left=$(find /etc /var /usr /lib -xdev \( -name '*facestream*' \) 2>/dev/null)
  [ -z "$left" ] || { echo "left behind: $left"; return 1; }
  ! systemctl is-active -q $U && ! pgrep -x facestream && ! dpkg-query -W facestream 2>/dev/null
}
check purge-leaves-nothing purge

echo "guest: $fail failed checks at $(now) s"
echo $fail > $J/exit
