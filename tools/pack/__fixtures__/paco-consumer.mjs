// Runs inside a fresh project that installed the packed @ltlab/losses: only its public API, on the
// cpu backend the project installed itself. Prints one JSON line for pack-install.spec.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getLoss } from '@ltlab/losses';

await tf.setBackend('cpu');

// The worked example of docs/methods.md §8.6 (B = 2, K = 2, d = 2, C = 3): rows [q; k; queue].
const features = [
  [1, 0],
  [0, 1],
  [0.6, 0.8],
  [0.8, -0.6],
  [-1, 0],
  [0.28, 0.96],
];
const labels = [0, 1, 0, 1, 0, 2];
const logits = [
  [2.0, 0.5, -1.0],
  [0.1, 1.5, 0.3],
];
const classCounts = [6, 3, 1];

const before = tf.memory().numTensors;
const loss = tf.tidy(() =>
  getLoss('paco').compute(
    {
      features: tf.tensor2d(features),
      labels: tf.tensor1d(labels, 'int32'),
      logits: tf.tensor2d(logits),
      classCounts: tf.tensor1d(classCounts, 'int32'),
    },
    { alpha: 0.05, beta: 1, gamma: 1, temperature: 0.2 },
  ),
);
const [value] = await loss.data();
loss.dispose();
console.log(JSON.stringify({ backend: tf.getBackend(), loss: value, leakedTensors: tf.memory().numTensors - before }));
