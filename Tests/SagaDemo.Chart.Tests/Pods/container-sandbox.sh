#!/bin/sh
# Starts a container the way the kubelet would, without a container engine. Run inside the pod's network
# namespace (ip netns exec, which also gives a mount namespace of its own with /etc/netns/<ns>/hosts as
# /etc/hosts), so nothing mounted here is seen outside.
#   container-sandbox.sh ROOT APP UID GID WORKDIR [MOUNT...] -- [NAME=VALUE...] COMMAND [ARG...]
# ROOT: an empty directory that becomes the container's root filesystem: this machine's /usr and /etc (the
#       "base image": the .NET runtime lives in /usr/share/dotnet, as in Microsoft's images), the image's
#       content (APP, the dotnet publish output) at /app, all read-only; /dev, /proc and /sys as a runtime has them.
# MOUNT: tmpfs:<path>:<size> (an emptyDir) or ro:<path>:<directory> (a Secret volume), the only writable or
#        added paths.
# Then the process runs as UID:GID with no supplementary groups, no capabilities, no_new_privs and only
# the given environment, in WORKDIR.
set -eu
root=$1 app=$2 uid=$3 gid=$4 workdir=$5
shift 5
mounts=""
while [ "$1" != "--" ]; do mounts="$mounts $1"; shift; done
shift

mount -t tmpfs -o mode=0755,size=1m container-root "$root"
mkdir -p "$root/usr" "$root/etc" "$root/dev" "$root/proc" "$root/sys" "$root/app" "$root/home/app"
for link in bin sbin lib lib64; do ln -s "usr/$link" "$root/$link"; done
for m in $mounts; do
  path=$(echo "$m" | cut -d: -f2)
  mkdir -p "$root$path"
done
mount --rbind /usr "$root/usr" && mount -o remount,bind,ro "$root/usr"
mount --rbind /etc "$root/etc" && mount -o remount,bind,ro "$root/etc"
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount -o remount,bind,ro "$root/sys"
mount --bind "$app" "$root/app" && mount -o remount,bind,ro "$root/app"
for m in $mounts; do
  kind=$(echo "$m" | cut -d: -f1) path=$(echo "$m" | cut -d: -f2) arg=$(echo "$m" | cut -d: -f3)
  case "$kind" in
    tmpfs) mount -t tmpfs -o "size=$arg,mode=0777" emptydir "$root$path" ;;
    ro) mount --bind "$arg" "$root$path" && mount -o remount,bind,ro "$root$path" ;;
    *) echo "unknown mount $m" >&2; exit 2 ;;
  esac
done
mount -o remount,ro "$root"

# env: only the NAME=VALUE words that follow, in WORKDIR, then the command.
exec chroot "$root" setpriv --reuid "$uid" --regid "$gid" --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all \
  env -i -C "$workdir" "$@"
