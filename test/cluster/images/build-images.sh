#!/usr/bin/env bash
# Build the cluster's two local images as docker-archive tarballs (no registry):
#   localhost/pause:3.10            static C pause process (pod sandbox image)
#   localhost/sts-lab-nginx:1.0     Debian's nginx binary + its shared libraries +
#                                   busybox-static applets, serving /usr/share/nginx/html on :80
# Tarballs are cached in $STS_LAB_CACHE/images/<name>-<hash>.tar where <hash> is a
# content hash of the build inputs (these files, the .deb packages used, host
# library and compiler versions). Prints nothing but logs; see image_tar_path.
set -euo pipefail
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
IMG_SRC="$CLUSTER_SRC_DIR/images"
DEB_DIR="$STS_LAB_CACHE/debs"
mkdir -p "$IMAGE_CACHE_DIR" "$DEB_DIR"

BUSYBOX_APPLETS="sh ash cat hostname nslookup ls echo printf sha256sum md5sum wc head tail sleep rm mkdir mv cp chmod ln touch
sed grep wget env id date tee test [ [[ true false ps kill uname cut tr sort uniq find xargs du df stat readlink basename dirname
pwd whoami expr seq timeout nc ip ifconfig mount"

# --- .deb inputs (downloaded once, never installed) ---------------------------
fetch_deb() { # package -> prints path of the newest cached .deb
  local pkg=$1 f
  f=$(ls -1 "$DEB_DIR/${pkg}_"*.deb 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$f" ]; then
    log "downloading Debian package $pkg (for the image only; not installed on the host)"
    if ! (cd "$DEB_DIR" && apt-get download "$pkg" >/dev/null 2>&1); then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || true
      (cd "$DEB_DIR" && apt-get download "$pkg" >/dev/null) || die "apt-get download $pkg failed"
    fi
    f=$(ls -1 "$DEB_DIR/${pkg}_"*.deb 2>/dev/null | sort -V | tail -1)
  fi
  echo "$f"
}

NGINX_DEB=$(fetch_deb nginx)
NGINX_COMMON_DEB=$(fetch_deb nginx-common)
BUSYBOX_DEB=$(fetch_deb busybox-static)
command -v gcc >/dev/null || die "gcc is required to build the pause image"

key_of() { # files... -> short content hash (+ host lib / compiler versions)
  {
    sha256sum "$@" | awk '{print $1}'
    dpkg-query -W -f='${Package} ${Version}\n' libc6 libssl3 libpcre2-8-0 zlib1g libcrypt1 2>/dev/null || true
    gcc --version | head -1
    echo "$BUSYBOX_APPLETS"
  } | sha256sum | cut -c1-16
}
PAUSE_KEY=$(key_of "$IMG_SRC/mkimage.py" "$IMG_SRC/pause.c" "$IMG_SRC/build-images.sh")
NGINX_KEY=$(key_of "$IMG_SRC/mkimage.py" "$IMG_SRC/nginx.conf" "$IMG_SRC/index.html" "$IMG_SRC/build-images.sh" "$NGINX_DEB" "$NGINX_COMMON_DEB" "$BUSYBOX_DEB")
PAUSE_TAR="$IMAGE_CACHE_DIR/pause-$PAUSE_KEY.tar"
NGINX_TAR="$IMAGE_CACHE_DIR/sts-lab-nginx-$NGINX_KEY.tar"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sts-lab-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

base_files() { # rootfs
  local r=$1
  mkdir -p "$r"/{etc,tmp,proc,sys,dev,run,var/run,root}
  chmod 1777 "$r/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
  printf 'hosts: files dns\npasswd: files\ngroup: files\n' > "$r/etc/nsswitch.conf"
}

if [ -s "$PAUSE_TAR" ]; then
  log "image $PAUSE_IMAGE cached: $PAUSE_TAR"
else
  t=$(now)
  r="$WORK/pause"; mkdir -p "$r"
  gcc -O2 -static -o "$r/pause" "$IMG_SRC/pause.c"
  strip "$r/pause"
  python3 "$IMG_SRC/mkimage.py" "$r" "$PAUSE_IMAGE" "$PAUSE_TAR.part" '["/pause"]' >/dev/null
  mv -f "$PAUSE_TAR.part" "$PAUSE_TAR"
  log "built image $PAUSE_IMAGE in $(elapsed "$t")s: $PAUSE_TAR"
fi

if [ -s "$NGINX_TAR" ]; then
  log "image $STS_LAB_IMAGE cached: $NGINX_TAR"
else
  t=$(now)
  x="$WORK/x"; r="$WORK/nginx"
  mkdir -p "$x" "$r"
  dpkg-deb -x "$NGINX_DEB" "$x"
  dpkg-deb -x "$NGINX_COMMON_DEB" "$x"
  dpkg-deb -x "$BUSYBOX_DEB" "$x"
  base_files "$r"
  mkdir -p "$r/usr/sbin" "$r/bin" "$r/etc/nginx" "$r/usr/share/nginx/html" "$r/var/log/nginx" "$r/var/lib/nginx" "$r/tmp/nginx"
  cp "$x/usr/sbin/nginx" "$r/usr/sbin/nginx"
  cp "$x/etc/nginx/mime.types" "$r/etc/nginx/mime.types"
  cp "$IMG_SRC/nginx.conf" "$r/etc/nginx/nginx.conf"
  cp "$IMG_SRC/index.html" "$r/usr/share/nginx/html/index.html"
  # shared libraries of the nginx binary, at the paths the loader resolves them to
  ldd "$x/usr/sbin/nginx" > "$WORK/ldd.txt" || die "ldd of nginx failed"
  if grep -q 'not found' "$WORK/ldd.txt"; then cat "$WORK/ldd.txt" >&2; die "nginx needs libraries missing on this host"; fi
  awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(/{print $1}' "$WORK/ldd.txt" | sort -u | while read -r lib; do
    mkdir -p "$r$(dirname "$lib")"
    cp -L "$lib" "$r$lib"
  done
  # busybox-static with the applets the tests and users need
  cp "$x/bin/busybox" "$r/bin/busybox"
  for a in $BUSYBOX_APPLETS; do
    [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
  done
  printf 'nameserver 127.0.0.1\n' > "$r/etc/resolv.conf"
  # smoke test of the root filesystem before packaging it
  [ -e "$r/lib64/ld-linux-x86-64.so.2" ] || die "dynamic loader missing from the nginx image rootfs"
  chroot "$r" /usr/sbin/nginx -t -e stderr -c /etc/nginx/nginx.conf >"$WORK/nginx-t.log" 2>&1 \
    || { cat "$WORK/nginx-t.log" >&2; die "nginx -t failed inside the image rootfs"; }
  for a in $BUSYBOX_APPLETS; do
    [ -L "$r/bin/$a" ] || [ "$a" = busybox ] || die "busybox applet $a missing"
  done
  chroot "$r" /bin/sh -c 'echo ok | sha256sum >/dev/null && hostname >/dev/null' || die "busybox smoke test failed"
  rm -rf "$r/tmp/nginx"/* "$r/var/run/nginx.pid"
  python3 "$IMG_SRC/mkimage.py" "$r" "$STS_LAB_IMAGE" "$NGINX_TAR.part" '["/usr/sbin/nginx","-e","stderr","-c","/etc/nginx/nginx.conf"]' >/dev/null
  mv -f "$NGINX_TAR.part" "$NGINX_TAR"
  log "built image $STS_LAB_IMAGE in $(elapsed "$t")s: $NGINX_TAR"
fi
# drop superseded tarballs, keep stable names for the scripts
for f in "$IMAGE_CACHE_DIR"/pause-*.tar; do [ "$f" = "$PAUSE_TAR" ] || rm -f "$f"; done
for f in "$IMAGE_CACHE_DIR"/sts-lab-nginx-*.tar; do [ "$f" = "$NGINX_TAR" ] || rm -f "$f"; done
ln -sfn "$(basename "$PAUSE_TAR")" "$IMAGE_CACHE_DIR/pause.tar"
ln -sfn "$(basename "$NGINX_TAR")" "$IMAGE_CACHE_DIR/sts-lab-nginx.tar"
