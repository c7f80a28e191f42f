/**
 * Class names of the data sets whose names are fixed, by the run config's `data.source`. The
 * others (CIFAR-100, list and image-folder sources) take their names from files on the
 * training machine that the store does not keep, so they show class indices. A segmentation
 * config names its source as `data.source.name`, a classification one as `data.source`.
 */
// packages/datasets/src/sources/mnist.ts FASHION_MNIST_CLASSES (the dashboard may not import it).
const FASHION_MNIST = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

const NAMES: Readonly<Record<string, readonly string[]>> = {
  'fashion-mnist': FASHION_MNIST,
  // The segmentation benchmark: FASHION_MNIST_SEG_LT_CLASSES, class 0 the background (docs/segmentation.md).
  'fashion-mnist-seg-lt': ['background', ...FASHION_MNIST],
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  // CIFAR-10's batches.meta.txt, label order.
  cifar10: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
};

/**
 * The name of each class index of a run, or null when its data set has no fixed names. A run
 * with `data.relabelByFrequency` numbers classes by training count, not by the data set's
 * order, so its indices are not the data set's and get no names.
 */
export function classNamesOf(config: unknown, classes: number): string[] | null {
  const data = (config as { data?: { source?: unknown; relabelByFrequency?: unknown } } | null)?.data;
  if (data === undefined || data.relabelByFrequency === true) return null;
  const source =
    typeof data.source === 'object' && data.source !== null ? (data.source as { name?: unknown }).name : data.source;
  if (typeof source !== 'string') return null;
  const names = NAMES[source];
  return names === undefined || names.length !== classes ? null : [...names];
}

/** Labels for a chart's class axis: the data set's names, else the indices. */
export function classLabels(config: unknown, classes: number): string[] {
  return classNamesOf(config, classes) ?? indices(classes);
}

/** One set of labels for several runs: the names when every run names its classes alike. */
export function sharedClassLabels(configs: readonly unknown[], classes: number): string[] {
  const named = configs.map((config) => classNamesOf(config, classes));
  const first = named[0] ?? null;
  const same = first !== null && named.every((names) => names?.join('\n') === first.join('\n'));
  return same ? first : indices(classes);
}

function indices(classes: number): string[] {
  return Array.from({ length: classes }, (_, c) => String(c));
}
