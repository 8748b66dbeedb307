#!/usr/bin/env bash
# Install the C library: libescalint.so, libescalint.a, include/escalint.h and the pkg-config
# files escalint.pc (shared) and escalint-static.pc (static).
#
#   bash scripts/install-c.sh [PREFIX]        # default PREFIX: /usr/local; DESTDIR honoured
#   cc app.c $(pkg-config --cflags --libs escalint)          # then, with the shared library
#   cc app.c $(pkg-config --cflags --libs escalint-static)   # or statically
#
# Set ESCALINT_NO_BUILD=1 to install what target/release already holds.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${1:-/usr/local}"
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
dest="${DESTDIR:-}$prefix"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)"

if [ "${ESCALINT_NO_BUILD:-0}" != 1 ]; then
  cargo build -p escalint-c --release
fi

install -d "$dest/include" "$dest/lib/pkgconfig"
install -m 644 include/escalint.h "$dest/include/escalint.h"
# libescalint.so.X.Y.Z, with the SONAME link libescalint.so.X and the link-time name libescalint.so.
major="${version%%.*}"
install -m 755 target/release/libescalint.so "$dest/lib/libescalint.so.$version"
ln -sfn "libescalint.so.$version" "$dest/lib/libescalint.so.$major"
ln -sfn "libescalint.so.$major" "$dest/lib/libescalint.so"
install -m 644 target/release/libescalint.a "$dest/lib/libescalint.a"
for pc in escalint escalint-static; do
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" "bindings-c/$pc.pc.in" > "$dest/lib/pkgconfig/$pc.pc"
  chmod 644 "$dest/lib/pkgconfig/$pc.pc"
done

echo "installed escalint $version under $dest (lib/, include/, lib/pkgconfig/)"
case "$prefix" in
  /usr|/usr/local) ;;
  *) echo "note: add $prefix/lib/pkgconfig to PKG_CONFIG_PATH, and $prefix/lib to LD_LIBRARY_PATH (or link with -Wl,-rpath,$prefix/lib)" ;;
esac
