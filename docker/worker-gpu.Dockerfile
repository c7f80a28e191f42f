# syntax=docker/dockerfile:1
# ltlab GPU worker: `ltlab worker --gpus all` on either GPU path of @ltlab/runtime (LTLAB_BACKEND=auto:
# `tensorflow` where a GPU and the CUDA 11 libraries tfjs-node-gpu needs are present, else `webgpu` on a
# hardware adapter; docs/deploy.md, "GPU nodes", says which to choose).
# Build from the repository root:
#   docker build -f docker/worker-gpu.Dockerfile -t ltlab-worker-gpu:0.1.0 .
# Without access to storage.googleapis.com, hand in libtensorflow as a named build context (BuildKit),
# a directory holding libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz:
#   docker build -f docker/worker-gpu.Dockerfile --build-context libtensorflow=/srv/libtensorflow -t ltlab-worker-gpu:0.1.0 .
#
# Versions (docs/deploy.md, "Versions"):
# - tensorflow: @tensorflow/tfjs-node-gpu 4.22.0 matches the workspace's @tensorflow/tfjs-core 4.22.0 and
#   loads libtensorflow 2.9.1 (LIBTENSORFLOW_VERSION in its scripts/deps-constants.js). TensorFlow 2.9 is
#   built against CUDA 11.2 and cuDNN 8.1, so the runtime carries those libraries, copied from the CUDA
#   11.2.2 + cuDNN 8 (8.1.1) runtime image. The host driver runs them from 460.27 on (CUDA 12/13 drivers too).
# - webgpu: the `webgpu` package (Dawn's node binding, an optionalDependency of @ltlab/runtime, from the
#   lockfile) on Vulkan through the NVIDIA driver's ICD. Its linux-x64 binary needs glibc >= 2.34 and
#   GLIBCXX_3.4.30, which is why the runtime is the Debian bookworm Node image and not the CUDA image
#   (Ubuntu 20.04, glibc 2.31).
# The host needs the NVIDIA Container Toolkit. Base images are pinned by tag; pin digests too (docs/deploy.md).
ARG NODE_IMAGE=node:20.19.4-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04
ARG TFJS_NODE_GPU_VERSION=4.22.0

# --- libtensorflow: where a pre-downloaded libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz comes from ---
# By default an image without that file, so the build downloads it. `--build-context libtensorflow=<dir>`
# (Compose: build.additional_contexts) replaces this stage with that directory.
FROM ${NODE_IMAGE} AS libtensorflow

# --- build: the same workspace build as docker/Dockerfile, plus tfjs-node-gpu ---
FROM ${NODE_IMAGE} AS build
ARG TFJS_NODE_GPU_VERSION
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_SKIP_NX_CACHE=true
COPY . .
# `webgpu` is an optionalDependency: npm ci installs it (and leaves it out without failing when it cannot,
# hence the test) and `npm prune --omit=dev` keeps it.
RUN npm ci --no-audit --no-fund \
  && npm run build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
  && test -f "node_modules/webgpu/dist/linux-$(node -p process.arch)/dawn.node"
# tfjs-node-gpu is added at the workspace root so it shares the root @tensorflow/tfjs-core (a second copy
# would register the backend where the runtime never looks). Not a workspace dependency: only this image
# has the CUDA libraries it needs. Scripts are skipped here (the root postinstall needs dev tools) and the
# package's own install script is run on its own:
# - default: `npm run install` downloads libtensorflow GPU 2.9.1 from storage.googleapis.com and the
#   prebuilt N-API addon (built from source if none fits);
# - with the tarball in the `libtensorflow` context: it is unpacked into the package's deps/, where
#   scripts/install.js finds deps/lib/libtensorflow.so.2.9.1 and skips the download, and the addon is built
#   from source against this Node's headers (npm_config_nodedir), so nothing is fetched from Google.
# Then only this platform's Dawn binary is kept (the package ships five, about 130 MB).
RUN --mount=type=bind,from=libtensorflow,target=/tmp/libtensorflow \
  npm install --no-save --omit=dev --ignore-scripts --no-audit --no-fund \
    "@tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}" \
  && tarball=/tmp/libtensorflow/libtensorflow-gpu-linux-x86_64-2.9.1.tar.gz \
  && (cd node_modules/@tensorflow/tfjs-node-gpu \
    && if [ -f "$tarball" ]; then \
      echo "libtensorflow from the build context: $(sha256sum "$tarball")" \
      && rm -rf deps && mkdir deps && tar -xzf "$tarball" -C deps \
      && PATH="$PWD/node_modules/.bin:/app/node_modules/.bin:$PATH" \
        npm_config_build_from_source=true npm_config_nodedir=/usr/local \
        node scripts/install.js gpu; \
    else \
      npm run install; \
    fi) \
  && test -f node_modules/@tensorflow/tfjs-node-gpu/deps/lib/libtensorflow.so.2.9.1 \
  && arch="linux-$(node -p process.arch)" \
  && test -f "node_modules/webgpu/dist/$arch/dawn.node" \
  && find node_modules/webgpu/dist -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} + \
  && npm cache clean --force

# --- cuda: the CUDA 11.2 and cuDNN 8.1 runtime libraries TensorFlow 2.9 loads, from NVIDIA's image ---
FROM ${CUDA_IMAGE} AS cuda
RUN mkdir -p /opt/cuda-11/lib \
  && cd /usr/local/cuda/targets/x86_64-linux/lib \
  && cp -a libcudart.so.11* libcublas.so.11* libcublasLt.so.11* libcufft.so.10* libcurand.so.10* \
    libcusolver.so.11* libcusparse.so.11* /opt/cuda-11/lib/ \
  && cp -a /usr/lib/x86_64-linux-gnu/libcudnn*.so.8* /opt/cuda-11/lib/ \
  && cd /opt/cuda-11/lib \
  && for so in libcudart.so.11.0 libcublas.so.11 libcublasLt.so.11 libcufft.so.10 libcurand.so.10 \
    libcusolver.so.11 libcusparse.so.11 libcudnn.so.8; do \
    test -e "$so" || { echo "missing $so" >&2; exit 1; }; \
  done

# --- runtime: Node (Debian bookworm), the CUDA 11 libraries, the Vulkan loader, the workspace ---
FROM ${NODE_IMAGE} AS runtime
ARG LTLAB_GIT_COMMIT=""
LABEL org.opencontainers.image.title="ltlab-worker-gpu" \
  org.opencontainers.image.description="ltlab GPU worker (webgpu on Vulkan; tfjs-node-gpu on CUDA 11.2, cuDNN 8)" \
  org.opencontainers.image.licenses="Apache-2.0" \
  org.opencontainers.image.revision="${LTLAB_GIT_COMMIT}"
# The Vulkan loader Dawn opens (libvulkan.so.1), vulkaninfo to check it, and what the driver's Vulkan
# library libGLX_nvidia.so.0 links against (glvnd's libGLdispatch, libX11, libXext). The driver libraries
# themselves are mounted by the NVIDIA Container Toolkit.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends libvulkan1 vulkan-tools libglvnd0 libx11-6 libxext6 \
  && rm -rf /var/lib/apt/lists/*
COPY --from=cuda /opt/cuda-11/lib /usr/local/cuda-11/lib
RUN echo /usr/local/cuda-11/lib > /etc/ld.so.conf.d/ltlab-cuda-11.conf && ldconfig
# The NVIDIA Vulkan ICD (the file NVIDIA's own Vulkan images carry), pointing at the library the toolkit
# mounts for the `graphics` capability.
COPY docker/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json
# /data is where named volumes mount (they inherit this ownership); uid 1000 is the image's node user,
# the same as in the CPU image, so both can share the artifacts volume.
RUN mkdir -p /data/ltlab /data/artifacts /data/cuda-cache && chown -R node:node /data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN ln -s /app/apps/cli/bin/ltlab.mjs /usr/local/bin/ltlab
# NVIDIA_DRIVER_CAPABILITIES: compute mounts libcuda (tensorflow), utility nvidia-smi (the worker counts
# GPUs and reports their memory with it), graphics the Vulkan driver (webgpu). VK_DRIVER_FILES makes the
# ICD above the only one the loader reads: a second copy mounted from the host (often under
# /usr/share/vulkan/icd.d) would otherwise list every GPU twice and shift the adapter indices.
# CUDA_CACHE_*: the PTX JIT cache, which on GPUs newer than TensorFlow 2.9 knows (H100: sm_90) holds
# every kernel; keep /data/cuda-cache on a volume. Allow-growth keeps one process from reserving a
# whole GPU up front, so the reported memory is what training uses.
ENV NODE_ENV=production \
  LTLAB_HOME=/data/ltlab \
  LTLAB_ARTIFACTS=/data/artifacts \
  LTLAB_BACKEND=auto \
  LTLAB_HEALTH_FILE=/tmp/ltlab-worker.health \
  LTLAB_GIT_COMMIT=${LTLAB_GIT_COMMIT} \
  NVIDIA_VISIBLE_DEVICES=all \
  NVIDIA_DRIVER_CAPABILITIES=compute,utility,graphics \
  VK_DRIVER_FILES=/etc/vulkan/icd.d/nvidia_icd.json \
  CUDA_CACHE_PATH=/data/cuda-cache \
  CUDA_CACHE_MAXSIZE=4294967296 \
  TF_FORCE_GPU_ALLOW_GROWTH=true \
  TF_CPP_MIN_LOG_LEVEL=1
USER node
# The image is only built if both GPU paths load: tensorflow computes (on the CPU, no GPU is visible
# here) and webgpu registers (no adapter is requested here; on a GPU node run the check with
# --require-adapter, docs/deploy.md).
RUN node docker/check-tensorflow-backend.mjs \
  && node docker/check-webgpu-backend.mjs \
  && ltlab --help > /dev/null
# Healthy while heartbeats reach Redis (the worker rewrites the file after each one, every 5 s).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const fs = require('fs'); process.exit(Date.now() - fs.statSync(process.env.LTLAB_HEALTH_FILE).mtimeMs < 60000 ? 0 : 1)"]
ENTRYPOINT ["ltlab"]
CMD ["worker", "--gpus", "all"]
