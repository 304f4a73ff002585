#!/usr/bin/env bash
# Stops a test host from start-host.sh and removes its overlay; the last one also stops the proxy
# and removes the bridge.   test/infrastructure/testhosts/stop-host.sh LAB_DIR NAME
set -uo pipefail
lab=${1:?lab dir} name=${2:?name}
host_dir=$lab/$name
if [ -f "$host_dir/pid" ]; then
  pid=$(cat "$host_dir/pid")
  # SIGRTMIN+4 asks the container's systemd to power off; then nspawn exits.
  pkill -RTMIN+4 -P "$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  # Whatever is left in the host's cgroup (nspawn killed before its payload).
  for hierarchy in systemd unified; do
    procs=/sys/fs/cgroup/$hierarchy/leviathan-testhosts/$name/cgroup.procs
    [ -f "$procs" ] && xargs -r kill -KILL <"$procs" 2>/dev/null
  done
fi
mountpoint -q "$host_dir/root" && umount -l "$host_dir/root"
ip netns del "$name" 2>/dev/null
rm -rf "$host_dir"
if ! ls "$lab"/*/pid >/dev/null 2>&1; then
  [ -f "$lab/proxy.pid" ] && kill "$(cat "$lab/proxy.pid")" 2>/dev/null
  rm -f "$lab/proxy.pid"
  ip link del lvthbr0 2>/dev/null
fi
exit 0
