# Sourced by scripts/v4l2-vm/build-image.sh and scripts/systemd-vm/build-image.sh (which set WORK):
# `deb NAME` prints the path of NAME's .deb, downloaded once into $WORK/debs with apt-get, and
# `fetch_kernel OUT` unpacks the stock Debian 12 kernel (the version linux-image-amd64 points at,
# unless KPKG names one) into $KROOT, sets KPKG, KVER and KROOT, and writes the kernel to OUT as
# an uncompressed ELF, which QEMU boots through its PVH entry (several seconds faster under TCG).

deb() {  # package name -> path of its .deb, downloaded once
  local found; found=$(ls "$WORK"/debs/"$1"_*.deb 2>/dev/null | head -1 || true)
  if [ -z "$found" ]; then (cd "$WORK/debs" && apt-get download -q "$1" >&2); found=$(ls "$WORK"/debs/"$1"_*.deb | head -1); fi
  echo "$found"
}

fetch_kernel() {
  KPKG=${KPKG:-$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')}
  KVER=${KPKG#linux-image-}
  KROOT=$WORK/kernel-$KVER
  if [ ! -f "$KROOT/boot/vmlinuz-$KVER" ]; then
    rm -rf "$KROOT"; mkdir -p "$KROOT"
    dpkg-deb -x "$(deb "$KPKG")" "$KROOT"
    depmod -b "$KROOT" "$KVER"
  fi
  python3 - "$KROOT/boot/vmlinuz-$KVER" "$1" <<'PY' || cp "$KROOT/boot/vmlinuz-$KVER" "$1"
import lzma, sys
data = open(sys.argv[1], 'rb').read()
elf = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[data.find(b'\xfd7zXZ\x00'):])
assert elf[:4] == b'\x7fELF'
open(sys.argv[2], 'wb').write(elf)
PY
}
