#!/usr/bin/env bash
# The H100 device run (bench/h100/README.md). Runs ON THE DEVICE, from the repository root, with the
# .h100/ folder bench/h100/prepare.sh built here carried along; Node is not installed there.
#
#   bash bench/h100/run.sh
#
# 1. unpacks Node 20, the two bundles and Dawn (.h100/bundle.tar.xz) into /tmp/h100
# 2. sets up Vulkan: the loader libvulkan.so.1 (the carried libvulkan1 where the device has none),
#    the NVIDIA ICD (VK_DRIVER_FILES: the driver's nvidia_icd.json, else one written for the
#    libGLX_nvidia.so.0 it finds), and any library the driver or dawn.node lacks, from the carried
#    .debs; nothing is installed: they are linked from /tmp/h100/lib (LD_LIBRARY_PATH)
# 3. prints nvidia-smi's one line per GPU and the adapter Dawn gives the webgpu backend
# 4. trains ResNet-8 on fmnist-lt-small (configs/fashion-mnist-lt/small/ce.yaml) for one epoch on
#    webgpu through ltlab's trainer: images/s and top-1
# 5. bench/train-step on webgpu (ResNet-32 b128, ResNet-8, MLP, ResNet-50 224 b32) beside PyTorch
#    CUDA fp32 (TF32 off), then the webgpu per-kernel profile of one ResNet-32 step
# 6. a summary (also $OUT/summary.txt)
#
# Everything it writes goes to $OUT (the device tool returns it), else /tmp/h100-out: run.log,
# adapter.txt, train.txt, train-events.jsonl, train-step.txt, summary.txt. It stops at once when a
# carried piece is missing or broken; without a working Vulkan adapter it still runs PyTorch CUDA and
# exits 1. Budget: under 8 minutes (the training and the bench have timeouts).
#
# Environment: H100_DRY_RUN=1 (a check on any machine: LTLAB_WEBGPU_ALLOW_SOFTWARE=1, batch 8, a
# 242-image subset and 200 test images, 1 timed bench step, no ResNet-50, no PyTorch, no NVIDIA
# driver needed); H100_PYTHON (a python with torch; default: the first of python3, /usr/bin/python3,
# /usr/local/bin/python3, /opt/conda/bin/python3 that imports torch); H100_STEPS (timed bench steps,
# default 5); H100_DIR (default ./.h100); H100_WORK (default /tmp/h100). For testing the fallbacks:
# H100_FORCE_CARRIED_VULKAN=1 (use the carried loader even where one is installed), H100_NO_DPKG=1
# (unpack .debs with python3 instead of dpkg-deb), H100_NO_XZ=1 (unpack the bundle with python3).
set -uo pipefail

T0=$(date +%s)
ROOT=$PWD
OUT=${OUT:-/tmp/h100-out}
mkdir -p "$OUT" || {
  echo "FATAL: cannot create $OUT" >&2
  exit 1
}
exec > >(tee -a "$OUT/run.log") 2>&1
TEE_PID=$!
# On exit, let tee write its last lines before the script's output ends.
finish() {
  local rc=$?
  exec 1>&- 2>&-
  wait "$TEE_PID" 2>/dev/null
  exit "$rc"
}
trap finish EXIT

DRY=${H100_DRY_RUN:-0}
SRC=${H100_DIR:-$ROOT/.h100}
WORK=${H100_WORK:-/tmp/h100}
NODE=$WORK/bin/node
LIBDIR=$WORK/lib
SYSROOT=$WORK/sysroot
DAWN=$WORK/node_modules/webgpu/dist/linux-x64/dawn.node
FAILED=()
WEBGPU_OK=1
WEBGPU_WHY=""

elapsed() { echo $(($(date +%s) - T0)); }
step() { printf '\n== %s (%s s)\n' "$*" "$(elapsed)"; }
die() {
  echo "FATAL: $*" >&2
  exit 1
}
no_webgpu() {
  WEBGPU_OK=0
  WEBGPU_WHY=${WEBGPU_WHY:+$WEBGPU_WHY; }$*
  echo "webgpu: UNAVAILABLE: $*"
}
glibc_version() { getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ print $2 }' || ldd --version 2>/dev/null | head -1 | awk '{ print $NF }'; }
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
# A shared library the dynamic linker finds without us: in its cache or a standard directory.
system_lib() {
  local so=$1 dir found
  found=$("$LDCONFIG" -p 2>/dev/null | awk -v so="$so" '$1 == so && /x86-64/ { print $NF; exit }')
  if [ -n "$found" ]; then
    echo "$found"
    return 0
  fi
  for dir in ${LD_LIBRARY_PATH//:/ } /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib64 /usr/lib64 /usr/local/nvidia/lib64; do
    [ -n "$dir" ] && [ "$dir" != "$LIBDIR" ] && [ -e "$dir/$so" ] && {
      echo "$dir/$so"
      return 0
    }
  done
  return 1
}
# Makes a library from the carried .debs visible (a link in $LIBDIR, which is on LD_LIBRARY_PATH).
provide() {
  local so=$1 file
  file=$(find "$SYSROOT" -name "$so" \( -type f -o -type l \) | head -1)
  [ -n "$file" ] || return 1
  ln -sf "$(readlink -f "$file")" "$LIBDIR/$so"
  echo "  $so: carried ($(basename "$(readlink -f "$file")"))"
}
extract_deb() {
  if [ "${H100_NO_DPKG:-0}" != 1 ] && command -v dpkg-deb >/dev/null; then
    dpkg-deb -x "$1" "$SYSROOT"
  else
    "$PYTHON_ANY" - "$1" "$SYSROOT" <<'PY'
import io, sys, tarfile
deb, dest = sys.argv[1], sys.argv[2]
data = open(deb, "rb").read()
if data[:8] != b"!<arch>\n":
    sys.exit(f"{deb}: not a .deb (ar) archive")
pos = 8
while pos + 60 <= len(data):
    name = data[pos:pos + 16].decode().strip().rstrip("/")
    size = int(data[pos + 48:pos + 58].decode().strip())
    body = data[pos + 60:pos + 60 + size]
    if name.startswith("data.tar"):
        if name.endswith(".zst"):
            sys.exit(f"{deb}: {name} needs dpkg-deb")
        kw = {"filter": "tar"} if hasattr(tarfile, "data_filter") else {}
        tarfile.open(fileobj=io.BytesIO(body), mode="r:*").extractall(dest, **kw)
        sys.exit(0)
    pos += 60 + size + (size & 1)
sys.exit(f"{deb}: no data.tar member")
PY
  fi
}

echo "bench/h100/run.sh on $(hostname), $(date -u +%Y-%m-%dT%H:%M:%SZ); OUT=$OUT$([ "$DRY" = 1 ] && echo '; DRY RUN')"

step "checks"
[ -f bench/train-step.py ] && [ -f configs/fashion-mnist-lt/small/ce.yaml ] ||
  die "run this from the repository root (bench/train-step.py and configs/ are not in $ROOT)"
[ -f "$SRC/bundle.tar.xz" ] || die "$SRC/bundle.tar.xz is missing: run bash bench/h100/prepare.sh here, and carry .h100"
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [ -f "$SRC/data/fashion-mnist/$f" ] || die "$SRC/data/fashion-mnist/$f is missing: run bench/h100/prepare.sh again"
done
ls "$SRC"/debs/libvulkan1_*.deb >/dev/null 2>&1 || die "$SRC/debs/libvulkan1_*.deb is missing: run bench/h100/prepare.sh again"
if command -v sha256sum >/dev/null; then
  (cd "$SRC" && sha256sum --quiet -c SHA256SUMS) || die "$SRC does not match its SHA256SUMS (an incomplete carry?)"
  echo "  $SRC: $(wc -l <"$SRC/SHA256SUMS") files, checksums match"
fi
sed 's/^/  /' "$SRC/BUILD-INFO"
PYTHON_ANY=$(command -v python3 || true)
PY=""
for p in ${H100_PYTHON:-} python3 /usr/bin/python3 /usr/local/bin/python3 /opt/conda/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import torch' 2>/dev/null; then
    PY=$(command -v "$p")
    break
  fi
done
if [ -n "$PY" ]; then
  echo "  python with torch: $PY ($("$PY" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)'))"
  PYTHON_ANY=${PYTHON_ANY:-$PY}
elif [ "$DRY" = 1 ]; then
  echo "  python with torch: none (the dry run skips PyTorch)"
else
  echo "  python with torch: NONE FOUND (set H100_PYTHON): PyTorch CUDA will be reported unavailable"
  FAILED+=("no python with torch")
fi

step "unpacking Node, the bundles and Dawn into $WORK"
rm -rf "$WORK"
mkdir -p "$WORK" "$LIBDIR" "$SYSROOT" || die "cannot create $WORK"
if [ "${H100_NO_XZ:-0}" != 1 ] && command -v xz >/dev/null; then
  tar -xJf "$SRC/bundle.tar.xz" -C "$WORK" || die "cannot unpack $SRC/bundle.tar.xz"
else
  [ -n "$PYTHON_ANY" ] || die "neither xz nor python3 is here to unpack $SRC/bundle.tar.xz"
  "$PYTHON_ANY" -c 'import sys, tarfile
kw = {"filter": "tar"} if hasattr(tarfile, "data_filter") else {}
tarfile.open(sys.argv[1], "r:xz").extractall(sys.argv[2], **kw)' "$SRC/bundle.tar.xz" "$WORK" ||
    die "cannot unpack $SRC/bundle.tar.xz with python3"
fi
cp bench/train-step.py "$WORK/app/" || die "cannot copy bench/train-step.py"
NODE_VERSION=$("$NODE" --version 2>&1) || die "the carried Node does not run here: $NODE_VERSION (glibc $(glibc_version); Node 20 needs 2.28)"
echo "  node $NODE_VERSION ($NODE), glibc $(glibc_version), $(uname -srm)"
[ -f "$DAWN" ] || die "$DAWN is missing from the bundle"

step "Vulkan"
export LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
for deb in "$SRC"/debs/*.deb; do
  extract_deb "$deb" || die "cannot unpack $deb"
done
if loader=$(system_lib libvulkan.so.1) && [ "${H100_FORCE_CARRIED_VULKAN:-0}" != 1 ]; then
  echo "  Vulkan loader: $loader"
else
  echo "  Vulkan loader: none installed$([ "${H100_FORCE_CARRIED_VULKAN:-0}" = 1 ] && echo ' (ignored: H100_FORCE_CARRIED_VULKAN=1)'); using the carried libvulkan1"
  provide libvulkan.so.1 || die "libvulkan.so.1 is not in the carried libvulkan1 .deb"
fi
# NVIDIA's libraries where the device plugin mounts them (GKE-style) but the linker cache does not list them.
if [ -d /usr/local/nvidia/lib64 ] && [[ ":$LD_LIBRARY_PATH:" != *":/usr/local/nvidia/lib64:"* ]]; then
  export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:/usr/local/nvidia/lib64"
fi
icd=""
if [ -n "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  icd=${VK_DRIVER_FILES:-$VK_ICD_FILENAMES}
  echo "  ICD from the environment: $icd"
else
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json \
    /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.x86_64.json \
    /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    if [ -f "$f" ]; then
      icd=$f
      echo "  NVIDIA ICD: $f"
      break
    fi
  done
fi
nvglx=$(system_lib libGLX_nvidia.so.0 || true)
if [ -z "$icd" ] && [ -n "$nvglx" ]; then
  icd=$WORK/nvidia_icd.json
  printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "1.3.0" } }\n' "$nvglx" >"$icd"
  echo "  NVIDIA ICD: none installed; wrote $icd for $nvglx"
fi
if [ -n "$icd" ]; then
  export VK_DRIVER_FILES=$icd VK_ICD_FILENAMES=$icd
  # The library the ICD names, and what it links against.
  lib=$(sed -n 's/.*"library_path"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "${icd%%:*}" | head -1)
  case "$lib" in
  /*) libpath=$lib ;;
  */*) libpath=$(dirname "${icd%%:*}")/$lib ;;
  *) libpath=$(system_lib "$lib" || true) ;;
  esac
  if [ -z "$libpath" ] || [ ! -e "$libpath" ]; then
    no_webgpu "the ICD ${icd%%:*} names $lib, which is not on this machine: the NVIDIA driver's graphics libraries are not mounted (NVIDIA_DRIVER_CAPABILITIES=${NVIDIA_DRIVER_CAPABILITIES:-unset}; webgpu needs graphics)"
  else
    echo "  driver library: $libpath"
    if command -v ldd >/dev/null; then
      for so in $(ldd "$libpath" 2>/dev/null | awk '/not found/ { print $1 }'); do
        provide "$so" || no_webgpu "$libpath needs $so, which is neither here nor carried"
      done
    fi
    ls "$(dirname "$libpath")"/libnvidia-glvkspirv.so.* >/dev/null 2>&1 ||
      echo "  warning: no libnvidia-glvkspirv.so.* beside $libpath: the NVIDIA Vulkan driver compiles shaders with it"
  fi
elif [ "$DRY" = 1 ]; then
  echo "  no NVIDIA driver: dry run, the system's Vulkan drivers (lavapipe) are used"
else
  no_webgpu "no NVIDIA Vulkan driver: no nvidia_icd.json and no libGLX_nvidia.so.0 (NVIDIA_DRIVER_CAPABILITIES=${NVIDIA_DRIVER_CAPABILITIES:-unset}; webgpu needs graphics)"
fi
# dawn.node: glibc >= 2.34 and GLIBCXX_3.4.30 (libstdc++ of GCC 12); the latter is carried.
if command -v ldd >/dev/null; then
  dawn_ldd=$(ldd "$DAWN" 2>&1)
  if grep -q "GLIBCXX_\|CXXABI_" <<<"$dawn_ldd" && grep -q "not found" <<<"$dawn_ldd"; then
    provide libstdc++.so.6
    provide libgcc_s.so.1
    dawn_ldd=$(ldd "$DAWN" 2>&1)
  fi
  if grep -q "not found" <<<"$dawn_ldd"; then
    no_webgpu "dawn.node cannot load here (glibc $(glibc_version), it needs 2.34): $(grep 'not found' <<<"$dawn_ldd" | head -3 | tr -s ' \t\n' ' ')"
  fi
fi
echo "  LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
echo "  VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"

step "GPU"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total,memory.used,utilization.gpu,temperature.gpu \
    --format=csv,noheader || echo "  nvidia-smi failed"
else
  echo "  nvidia-smi: not on this machine"
fi
echo "  NVIDIA_DRIVER_CAPABILITIES=${NVIDIA_DRIVER_CAPABILITIES:-unset} NVIDIA_VISIBLE_DEVICES=${NVIDIA_VISIBLE_DEVICES:-unset} CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES:-unset}"

export LTLAB_FASHION_MNIST_DIR=$SRC/data/fashion-mnist
if [ "$DRY" = 1 ]; then
  export LTLAB_WEBGPU_ALLOW_SOFTWARE=1
  TRAIN_ARGS=(--batch 8 --img-max 100 --eval-per-class 20)
  BENCH_ARGS=(--batch 8 --steps 1 --no-pytorch)
  TRAIN_TIMEOUT=300
else
  TRAIN_ARGS=()
  BENCH_ARGS=(--steps "${H100_STEPS:-5}" --resnet50 --python "${PY:-python3}")
  TRAIN_TIMEOUT=170
fi

step "the adapter Dawn gives the webgpu backend"
if [ "$WEBGPU_OK" = 1 ]; then
  if timeout 90 "$NODE" "$WORK/app/train-fmnist.mjs" --adapter >"$OUT/adapter.txt" 2>&1; then
    grep -v "^Warning: maxDynamic" "$OUT/adapter.txt"
  else
    grep -v "^Warning: maxDynamic" "$OUT/adapter.txt"
    echo "  the Vulkan loader's view (VK_LOADER_DEBUG=error,warn,driver):"
    VK_LOADER_DEBUG=error,warn,driver timeout 60 "$NODE" "$WORK/app/train-fmnist.mjs" --adapter 2>&1 |
      grep -v "^Warning: maxDynamic" | awk '!seen[$0]++' | tail -30 | sed 's/^/    /'
    no_webgpu "no usable WebGPU adapter: $(grep -m1 "failed:" "$OUT/adapter.txt" | cut -c1-300)"
  fi
fi

step "ResNet-8 on fmnist-lt-small, one epoch on webgpu (ltlab's trainer)"
if [ "$WEBGPU_OK" = 1 ]; then
  timeout "$TRAIN_TIMEOUT" "$NODE" "$WORK/app/train-fmnist.mjs" --config configs/fashion-mnist-lt/small/ce.yaml \
    --epochs 1 --run-dir "$WORK/run" --events "$OUT/train-events.jsonl" "${TRAIN_ARGS[@]}" 2>&1 |
    grep --line-buffered -v "^Warning: maxDynamic" | tee "$OUT/train.txt"
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || FAILED+=("training (exit $rc$([ "$rc" = 124 ] && echo ", timed out after $TRAIN_TIMEOUT s"))")
else
  echo "  skipped: $WEBGPU_WHY"
  FAILED+=("training (no webgpu)")
fi

step "train-step bench: webgpu and PyTorch CUDA fp32, then the webgpu profile of ResNet-32"
# Whatever is left of 7 min 40 s, at most 300 s.
BENCH_TIMEOUT=$((460 - $(elapsed)))
[ "$BENCH_TIMEOUT" -gt 300 ] && BENCH_TIMEOUT=300
if [ "$BENCH_TIMEOUT" -lt 30 ]; then
  echo "  skipped: only $BENCH_TIMEOUT s left of the 8-minute budget"
  FAILED+=("bench (no time left)")
else
  timeout "$BENCH_TIMEOUT" "$NODE" "$WORK/app/train-step.mjs" --backends webgpu "${BENCH_ARGS[@]}" 2>&1 |
    grep --line-buffered -v "^Warning: maxDynamic" | tee "$OUT/train-step.txt"
  rc=${PIPESTATUS[0]}
  [ "$rc" = 0 ] || FAILED+=("bench (exit $rc$([ "$rc" = 124 ] && echo ", timed out after $BENCH_TIMEOUT s"))")
fi

step "summary"
{
  echo "device: $(command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -1 || echo 'no nvidia-smi')"
  grep -m1 "^backend:" "$OUT/adapter.txt" 2>/dev/null
  grep -E "^(train|epoch|test|done):|^epoch [0-9]" "$OUT/train.txt" 2>/dev/null
  grep -E "^(webgpu|pytorch cuda) device: " "$OUT/train-step.txt" 2>/dev/null
  sed -n '/^Results/,$p' "$OUT/train-step.txt" 2>/dev/null
  sed -n '/^Per-kernel profile/,/^  compositions/p' "$OUT/train-step.txt" 2>/dev/null | sed '$d'
  [ "$WEBGPU_OK" = 1 ] || echo "webgpu unavailable: $WEBGPU_WHY"
  if [ "${#FAILED[@]}" -gt 0 ]; then
    echo "FAILED: ${FAILED[*]}"
  else
    echo "OK"
  fi
  echo "run.sh took $(elapsed) s"
} | tee "$OUT/summary.txt"
[ "${#FAILED[@]}" -eq 0 ] && [ "$WEBGPU_OK" = 1 ]
