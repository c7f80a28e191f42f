# syntax=docker/dockerfile:1
# ltlab GPU worker: `ltlab worker --gpus all` on the tensorflow backend (tfjs-node-gpu).
# Build from the repository root:
#   docker build -f docker/worker-gpu.Dockerfile -t ltlab-worker-gpu:0.1.0 .
#
# Versions (docs/deploy.md, "Versions"): @tensorflow/tfjs-node-gpu 4.22.0 matches the workspace's
# @tensorflow/tfjs-core 4.22.0 and loads libtensorflow 2.9.1 (LIBTENSORFLOW_VERSION in its
# scripts/deps-constants.js). TensorFlow 2.9 is built against CUDA 11.2 and cuDNN 8.1, hence the
# CUDA 11.2.2 + cuDNN 8 (8.1.1) runtime base. The host needs an NVIDIA driver >= 460.27 (CUDA 11.2)
# and the NVIDIA Container Toolkit. Base images are pinned by tag; pin digests too (docs/deploy.md).
ARG NODE_IMAGE=node:20.19.4-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04
ARG TFJS_NODE_GPU_VERSION=4.22.0

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
RUN npm ci --no-audit --no-fund \
  && npm run build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund
# Added at the workspace root so it shares the root @tensorflow/tfjs-core (a second copy would
# register the backend where the runtime never looks). Not a workspace dependency: only this image
# has the CUDA libraries it needs. Scripts are skipped here (the root postinstall needs dev tools)
# and the package's own install script (libtensorflow GPU 2.9.1 + the prebuilt N-API addon,
# built from source if no prebuilt fits) is run on its own.
RUN npm install --no-save --omit=dev --ignore-scripts --no-audit --no-fund \
    "@tensorflow/tfjs-node-gpu@${TFJS_NODE_GPU_VERSION}" \
  && (cd node_modules/@tensorflow/tfjs-node-gpu && npm run install) \
  && test -f node_modules/@tensorflow/tfjs-node-gpu/deps/lib/libtensorflow.so.2.9.1 \
  && npm cache clean --force

# --- Node from the official image (Ubuntu 20.04's glibc 2.31 meets Node 20's >= 2.28) ---
FROM ${NODE_IMAGE} AS node

# --- runtime: CUDA 11.2 + cuDNN 8 libraries, Node, the workspace, a non-root user ---
FROM ${CUDA_IMAGE} AS runtime
ARG LTLAB_GIT_COMMIT=""
LABEL org.opencontainers.image.title="ltlab-worker-gpu" \
  org.opencontainers.image.description="ltlab GPU worker (tfjs-node-gpu, CUDA 11.2, cuDNN 8)" \
  org.opencontainers.image.licenses="Apache-2.0" \
  org.opencontainers.image.revision="${LTLAB_GIT_COMMIT}"
COPY --from=node /usr/local/bin/node /usr/local/bin/node
# uid 1000 like the CPU image's node user, so both can share the artifacts volume.
RUN groupadd --gid 1000 ltlab \
  && useradd --uid 1000 --gid ltlab --shell /usr/sbin/nologin --create-home ltlab \
  && mkdir -p /data/ltlab /data/artifacts \
  && chown -R ltlab:ltlab /data
WORKDIR /app
COPY --from=build --chown=ltlab:ltlab /app /app
RUN ln -s /app/apps/cli/bin/ltlab.mjs /usr/local/bin/ltlab
# NVIDIA_DRIVER_CAPABILITIES (compute,utility from the base) mounts nvidia-smi, which the worker
# uses to count GPUs and report their memory. Allow-growth keeps one process from reserving a
# whole GPU up front, so the reported memory is what training uses.
ENV NODE_ENV=production \
  LTLAB_HOME=/data/ltlab \
  LTLAB_ARTIFACTS=/data/artifacts \
  LTLAB_BACKEND=auto \
  LTLAB_HEALTH_FILE=/tmp/ltlab-worker.health \
  LTLAB_GIT_COMMIT=${LTLAB_GIT_COMMIT} \
  TF_FORCE_GPU_ALLOW_GROWTH=true \
  TF_CPP_MIN_LOG_LEVEL=1
USER ltlab
# The image is only built if the tensorflow backend loads and computes.
RUN node docker/check-tensorflow-backend.mjs && ltlab --help > /dev/null
# Healthy while heartbeats reach Redis (the worker rewrites the file after each one, every 5 s).
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["node", "-e", "const fs = require('fs'); process.exit(Date.now() - fs.statSync(process.env.LTLAB_HEALTH_FILE).mtimeMs < 60000 ? 0 : 1)"]
ENTRYPOINT ["ltlab"]
CMD ["worker", "--gpus", "all"]
