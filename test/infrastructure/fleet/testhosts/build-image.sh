#!/usr/bin/env bash
# Builds the test hosts' root filesystem: Debian 13 as the Terraform-made VMs run it, with what
# cloud-init leaves on them (the login user `deploy` with passwordless sudo and an SSH key, sshd),
# and nothing else: the roles install the rest. debootstrap --variant=minbase, about a minute and
# 300 MB, made once and cached (the image is read-only under each host's overlay).
#
#   test/infrastructure/testhosts/build-image.sh [CACHE_DIR]   -> prints the image directory
#
# Needs root and the Debian packages debootstrap, systemd-container and openssh-client.
set -euo pipefail
cache=${1:-${LEVIATHAN_TESTHOSTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/leviathan/testhosts}}
suite=trixie
image=$cache/$suite
# A change to this script makes a new image: its hash names the finished one.
stamp=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
if [ -f "$image/.built-$stamp" ]; then
  echo "$image"
  exit 0
fi
mkdir -p "$cache"
rm -rf "$image" "$image.partial"
echo "[testhosts] debootstrap $suite into $image (about a minute)" >&2
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,openssh-server,sudo,python3,python3-apt,dbus,iproute2,ca-certificates \
  "$suite" "$image.partial" "${LEVIATHAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$cache/debootstrap.log" 2>&1 ||
  { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
root=$image.partial
chroot "$root" apt-get clean
[ -f "$cache/key" ] || ssh-keygen -q -t ed25519 -N '' -C leviathan-testhosts -f "$cache/key"
# cloud-init's user (Terraform's ci_user): passwordless sudo, the key in authorized_keys.
chroot "$root" useradd -m -s /bin/bash -G sudo deploy
install -d -m 700 -o 1000 -g 1000 "$root/home/deploy/.ssh"
install -m 600 -o 1000 -g 1000 "$cache/key.pub" "$root/home/deploy/.ssh/authorized_keys"
echo 'deploy ALL=(ALL) NOPASSWD:ALL' >"$root/etc/sudoers.d/90-cloud-init-users"
chmod 440 "$root/etc/sudoers.d/90-cloud-init-users"
chroot "$root" visudo -c >/dev/null
# Per-host identity is written when a host starts (start-host.sh): hostname, machine-id, host keys.
rm -f "$root"/etc/ssh/ssh_host_*
: >"$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
echo localhost >"$root/etc/hostname"
# The hosts reach the package mirrors through the lab's HTTP proxy on the bridge (start-host.sh),
# as VMs on a private network with an outbound proxy do: apt and anything reading *_proxy.
printf 'Acquire::http::Proxy "http://10.77.0.1:8888";\nAcquire::https::Proxy "http://10.77.0.1:8888";\n' \
  >"$root/etc/apt/apt.conf.d/80proxy"
printf 'http_proxy=http://10.77.0.1:8888\nhttps_proxy=http://10.77.0.1:8888\nno_proxy=localhost,127.0.0.1,10.77.0.0/24\n' \
  >>"$root/etc/environment"
mv "$root" "$image"
touch "$image/.built-$stamp"
echo "$image"
