#!/usr/bin/env bash
# Stand-in for debian:bookworm-slim: builds its root filesystem into the empty folder $1 from
# Debian's packages. scripts/compose.sh imports it (docker import) under the pinned base name and
# rebuilds it whenever this file changes.
# Emulates: bookworm's essential packages and apt (debootstrap's minbase), the deb822 sources of
# the official image (bookworm, bookworm-updates, bookworm-security), its dpkg filters that leave
# out documentation, manuals and translations, and no apt lists or caches left behind.
# Does not emulate: the official image's exact package set and sizes (a few MB apart).
set -euo pipefail
rootfs=$1
debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null

cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
CFG
cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
rm -f "$rootfs/etc/apt/sources.list"
cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<'CFG'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
CFG
# What the filters above would have kept out, and what debootstrap leaves behind.
find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$rootfs"/usr/share/{man,groff,info,locale,lintian,linda}/* \
       "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
       "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/* "$rootfs"/tmp/*
: > "$rootfs/etc/hostname"
