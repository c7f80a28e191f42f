// Build-time check of the GPU worker image: tfjs-node-gpu loads its libtensorflow, registers the
// `tensorflow` backend in the same @tensorflow/tfjs-core the ltlab runtime imports (one copy,
// deduplicated at the workspace root), and computes. No GPU is visible while an image builds, so
// TensorFlow runs this on the CPU; on a GPU node the runtime selects the same backend on the GPU.
// Run from /app: node docker/check-tensorflow-backend.mjs
await import('@tensorflow/tfjs-node-gpu');
const tf = await import('@tensorflow/tfjs-core');
if (!(await tf.setBackend('tensorflow'))) throw new Error("tf.setBackend('tensorflow') returned false");
await tf.ready();
const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
const values = Array.from(await product.data());
if (tf.getBackend() !== 'tensorflow' || values.join(',') !== '19,22,43,50') {
  throw new Error(`tensorflow backend check failed: backend ${tf.getBackend()}, [1 2; 3 4] x [5 6; 7 8] = ${values}`);
}
console.log(`tensorflow backend loads (tfjs-core ${tf.version_core}): [1 2; 3 4] x [5 6; 7 8] = [${values}]`);
