#!/usr/bin/env bash
# Starts one test host: the image from build-image.sh booted with systemd as PID 1 in a
# systemd-nspawn container, in its own network namespace with its own address on the lab's bridge,
# reachable over SSH as the login user `deploy`, like a Terraform-made VM.
#
#   test/infrastructure/testhosts/start-host.sh IMAGE LAB_DIR NAME ADDRESS     (ADDRESS in 10.77.0.0/24)
#
# The host writes only to its overlay under LAB_DIR/NAME; stop-host.sh stops it and removes that.
# The first host also brings up the bridge (10.77.0.1) and the lab's HTTP proxy on it, the hosts'
# only way out (the sandbox does not forward packets).
set -euo pipefail
image=${1:?image} lab=${2:?lab dir} name=${3:?name} address=${4:?address}
bridge=lvthbr0
gateway=10.77.0.1
host_dir=$lab/$name
root=$host_dir/root
# The host-side end of its link: interface names have 15 characters at most, host names more.
veth="lv$(printf %s "$name" | sha1sum | cut -c1-12)"

if [ -e "/run/netns/$name" ]; then
  echo "[testhosts] $name is running already (stop-host.sh $lab $name)" >&2
  exit 1
fi

# Hosts start in parallel: one at a time sets up its network (the first also what they share;
# `ip netns add` itself is not safe to run concurrently).
exec 9>"$lab/.lock"
flock 9
if ! ip link show "$bridge" >/dev/null 2>&1; then
  ip link add "$bridge" type bridge
  ip addr add "$gateway/24" dev "$bridge"
  ip link set "$bridge" up
fi
if [ ! -f "$lab/proxy.pid" ] || ! kill -0 "$(cat "$lab/proxy.pid")" 2>/dev/null; then
  printf '%s\n' "Port 8888" "Listen $gateway" "Timeout 600" "MaxClients 200" "Allow 10.77.0.0/24" \
    "LogLevel Warning" "LogFile \"$lab/proxy.log\"" "PidFile \"$lab/proxy.pid\"" "ConnectPort 443" >"$lab/proxy.conf"
  : >"$lab/proxy.log"
  chmod 666 "$lab/proxy.log"
  tinyproxy -c "$lab/proxy.conf"
  for _ in $(seq 50); do [ -s "$lab/proxy.pid" ] && break; sleep 0.1; done
fi

# The root filesystem: an overlay on the shared image; the host's own identity on first start.
mkdir -p "$host_dir/upper" "$host_dir/work" "$root"
first_start=0
[ -e "$host_dir/upper/etc/hostname" ] || first_start=1
mountpoint -q "$root" || mount -t overlay "lvth-$name" \
  -o "lowerdir=$image,upperdir=$host_dir/upper,workdir=$host_dir/work" "$root"
if [ "$first_start" = 1 ]; then
  ssh-keygen -A -f "$root" >/dev/null
  : >"$root/etc/machine-id"
  echo "$name" >"$root/etc/hostname"
  # sudo resolves the hostname; without this line every sudo waits for DNS to time out.
  printf '127.0.1.1\t%s\n%s\t%s\n' "$name" "$address" "$name" >>"$root/etc/hosts"
fi

ip netns add "$name"
ip link add "$veth" type veth peer name eth0 netns "$name"
ip link set "$veth" master "$bridge" up
ip -n "$name" link set lo up
ip -n "$name" addr add "$address/24" dev eth0
ip -n "$name" link set eth0 up
ip -n "$name" route add default via "$gateway"
flock -u 9

# Each host in a cgroup of its own: with --keep-unit, nspawn leaves the container in the caller's
# cgroup, and two systemds in one cgroup fight over it.
cgroup=leviathan-testhosts/$name
for hierarchy in systemd unified; do
  [ -d "/sys/fs/cgroup/$hierarchy" ] && mkdir -p "/sys/fs/cgroup/$hierarchy/$cgroup"
done
(
  for hierarchy in systemd unified; do
    [ -d "/sys/fs/cgroup/$hierarchy/$cgroup" ] && echo "$BASHPID" >"/sys/fs/cgroup/$hierarchy/$cgroup/cgroup.procs"
  done
  # cgroup v2 inside, as on a Debian 13 VM. --register=no --keep-unit: the sandbox runs no
  # systemd or D-Bus of its own to register the machine with.
  export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1
  # /proc/sys/net writable: each host has its own network namespace, and its own net.* settings.
  export SYSTEMD_NSPAWN_API_VFS_WRITABLE=network
  exec setsid systemd-nspawn -D "$root" -M "$name" --boot --register=no --keep-unit \
    --network-namespace-path="/run/netns/$name" --resolv-conf=off --console=passive
) >"$host_dir/nspawn.log" 2>&1 </dev/null &
echo $! >"$host_dir/pid"

for _ in $(seq 600); do
  if timeout 1 bash -c "</dev/tcp/$address/22" 2>/dev/null; then
    echo "[testhosts] $name is up at $address" >&2
    exit 0
  fi
  if ! kill -0 "$(cat "$host_dir/pid")" 2>/dev/null; then
    echo "[testhosts] $name did not boot:" >&2
    tail -n 30 "$host_dir/nspawn.log" >&2
    exit 1
  fi
  sleep 0.1
done
echo "[testhosts] $name: no sshd on $address after 60 s" >&2
exit 1
