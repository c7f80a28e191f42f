#!/usr/bin/python3
"""PyTorch 1.13 reference of ltlab's LDAM-DRW recipe on fmnist-lt-small.

What: an independent re-implementation, in plain PyTorch, of the recipe in
configs/fashion-mnist-lt/small/ldam-drw.yaml (via ce.yaml and ../base.yaml), to compare ltlab's
numbers with the original method under the same recipe. The LDAM loss (margins
m_c = maxM * n_c^(-1/4) / max, CE of s * (z - m_y onehot(y)) with PyTorch's weighted mean), DRW
(effective-number weights from a switch epoch) and the cosine classifier NormedLinear
(uniform(-1, 1) columns renormed to unit norm; normalize(x, rows) . normalize(W, columns), no
bias) are re-implemented as in Cao et al.'s published code, described in docs/methods.md §5.
No code is copied from elsewhere.

Matches ltlab on: ResNet-8 (packages/backbones/src/cifar-resnet.ts: 16/32/64, one BasicBlock per
stage, option-A shortcuts, Kaiming-normal fan_in convs, BN eps 1e-5, global average pooling);
SGD lr 0.1 momentum 0.9 weight decay 5e-4 on every parameter; batch 128 with the last partial
batch dropped; warm-up-cosine learning rate set once per epoch (packages/config/src/schedule.ts);
DRW for 0-based epochs >= 24 with beta 0.9999; the long-tail subset (exp profile, imbalance 100,
imgMax 1000) with the very images ltlab takes: per class, its indices shuffled by ltlab's
xoshiro128** generator seeded with deriveSeed(0, 'long-tail', c) (packages/core/src/rng.ts,
packages/datasets/src/long-tail.ts), re-implemented below; random crop 28 with zero padding 3 of
the raw image, horizontal flip p 0.5, normalize 0.286 / 0.353. The run seed drives the model init,
the epoch order and the augmentation (these random streams are torch's, not ltlab's).

Run (one thread; /usr/bin/python3 is Debian's with torch 1.13):
  OMP_NUM_THREADS=1 /usr/bin/python3 bench/pytorch/ldam-drw-reference.py --warmup 2 5 --seeds 0 1 2
"""
import argparse
import gzip
import importlib.util
import math
import os
import statistics
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# The model is bench/train-step.py's, so the two PyTorch baselines train the same network.
_spec = importlib.util.spec_from_file_location(
    "train_step", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train-step.py")
)
TRAIN_STEP = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(TRAIN_STEP)

DATA_DIR = '/usr/share/datasets/fashion-mnist'
MEAN, STD = 0.286, 0.353
NUM_CLASSES = 10
M32 = 0xFFFFFFFF


# ---- ltlab's seeded generator (packages/core/src/rng.ts), for the long-tail subset only ----

def _imul(a, b):
    return (a * b) & M32


def _mix32(x):
    z = x & M32
    z = _imul(z ^ (z >> 16), 0x85EBCA6B)
    z = _imul(z ^ (z >> 13), 0xC2B2AE35)
    return (z ^ (z >> 16)) & M32


def _hash_string(text):
    h = 0x811C9DC5
    for code_unit in (ord(ch) for ch in text):  # UTF-16 code units for the ASCII labels used here
        h = _imul(h ^ code_unit, 0x01000193)
    return _mix32(h)


def derive_seed(base, *parts):
    h = base & M32  # seeds below 2^32
    for part in parts:
        kind = 'string' if isinstance(part, str) else 'number'
        h = _mix32(h ^ _hash_string(f'{kind}:{part}'))
    return h


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M32


class Xoshiro128:
    def __init__(self, seed):
        state, words = seed & M32, []
        for _ in range(4):
            state = (state + 0x9E3779B9) & M32
            words.append(_mix32(state))
        if not any(words):
            words[0] = 1
        self.s = words

    def next_uint32(self):
        s = self.s
        s0, s1 = s[0], s[1]
        result = _imul(_rotl(_imul(s1, 5), 7), 9)
        t = (s1 << 9) & M32
        s[2] ^= s0
        s[3] ^= s1
        s[1] = s1 ^ s[2]
        s[0] = s0 ^ s[3]
        s[2] ^= t
        s[3] = _rotl(s[3], 11)
        return result

    def int(self, lo, hi):
        span = hi - lo
        limit = 2**32 - (2**32 % span)
        draw = self.next_uint32()
        while draw >= limit:
            draw = self.next_uint32()
        return lo + draw % span

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.int(0, i + 1)
            items[i], items[j] = items[j], items[i]
        return items


# ---- data ----

def read_idx(name):
    with gzip.open(os.path.join(DATA_DIR, name), 'rb') as f:
        raw = f.read()
    ndim = raw[3]
    dims = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def long_tail_counts(img_max, imbalance, classes):
    f = 1.0 / imbalance
    return [math.trunc(img_max * f ** (i / (classes - 1))) for i in range(classes)]


def long_tail_indices(labels, counts, seed):
    picked = []
    for c, want in enumerate(counts):
        members = [int(i) for i in np.nonzero(labels == c)[0]]
        rng = Xoshiro128(derive_seed(seed, 'long-tail', c))
        picked.extend(rng.shuffle(members)[:want])
    return np.array(picked, dtype=np.int64)


def augment(raw, gen):
    """raw [B, 28, 28] in [0, 1]: random crop 28 of the zero-padded (3) image, flip p 0.5, normalize."""
    b = raw.shape[0]
    padded = F.pad(raw, (3, 3, 3, 3))
    top = torch.randint(0, 7, (b,), generator=gen)
    left = torch.randint(0, 7, (b,), generator=gen)
    ar = torch.arange(28)
    rows = (top[:, None] + ar)[:, :, None]
    cols = (left[:, None] + ar)[:, None, :]
    out = padded[torch.arange(b)[:, None, None], rows, cols]
    flip = torch.rand(b, generator=gen) < 0.5
    out = torch.where(flip[:, None, None], out.flip(-1), out)
    return ((out - MEAN) / STD).unsqueeze(1)


# ---- model: ResNet-8 (CIFAR, option A) with the NormedLinear classifier ----

class NormedLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.weight.data.uniform_(-1, 1).renorm_(2, 1, 1e-5).mul_(1e5)

    def forward(self, x):
        return F.normalize(x, dim=1).mm(F.normalize(self.weight, dim=0))


def resnet8(num_classes):
    """ltlab's resnet8 (bench/train-step.py's CifarResNet, option A) on one input channel, with the
    NormedLinear classifier and Kaiming-normal convolutions as ltlab initialises them."""
    model = TRAIN_STEP.CifarResNet(8, 1, num_classes, classifier=NormedLinear)
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight)  # fan_in, gain sqrt(2)
    return model


# ---- loss, schedule ----

class LDAMLoss(nn.Module):
    def __init__(self, counts, max_m=0.5, s=30.0):
        super().__init__()
        m = 1.0 / np.sqrt(np.sqrt(np.asarray(counts, dtype=np.float64)))
        self.margins = torch.tensor(m * (max_m / m.max()), dtype=torch.float32)
        self.s = s

    def forward(self, logits, target, weight=None):
        onehot = F.one_hot(target, logits.shape[1]).to(logits.dtype)
        shifted = logits - onehot * self.margins[target][:, None]
        return F.cross_entropy(self.s * shifted, target, weight=weight)


def drw_weights(counts, beta):
    raw = (1.0 - beta) / (1.0 - np.power(beta, np.asarray(counts, dtype=np.float64)))
    return torch.tensor(raw / raw.sum() * len(counts), dtype=torch.float32)


def learning_rate_at(base, epoch, epochs, warmup):
    if epoch < warmup:
        return base * (epoch + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * (epoch - warmup + 1) / (epochs - warmup + 1)))


# ---- one run ----

def run(seed, warmup, data, args):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    train_x, train_y, test_x, test_y, counts = data
    model = resnet8(NUM_CLASSES)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    criterion = LDAMLoss(counts, max_m=0.5, s=30.0)
    weights = drw_weights(counts, 0.9999)
    n = train_x.shape[0]
    started = time.time()
    for epoch in range(args.epochs):
        for group in opt.param_groups:
            group['lr'] = learning_rate_at(args.lr, epoch, args.epochs, warmup)
        model.train()
        order = torch.randperm(n, generator=gen)
        w = weights if epoch >= args.drw_start else None
        for k in range(n // args.batch):  # drop_last, as ltlab's classification loader
            idx = order[k * args.batch:(k + 1) * args.batch]
            x = augment(train_x[idx], gen)
            loss = criterion(model(x), train_y[idx], w)
            opt.zero_grad()
            loss.backward()
            opt.step()
        if args.verbose:
            norms = model.fc.weight.detach().norm(dim=0)  # class columns (docs/methods.md §5, warm-up)
            print(f'  epoch {epoch + 1} lr {opt.param_groups[0]["lr"]:.4f} loss {loss.item():.4f} '
                  f'fc column norms {" ".join(f"{v:.2f}" for v in norms.tolist())} '
                  f'{time.time() - started:.1f}s', flush=True)
    model.eval()
    preds = []
    with torch.no_grad():
        for k in range(0, test_x.shape[0], 500):
            xb = ((test_x[k:k + 500] - MEAN) / STD).unsqueeze(1)
            preds.append(model(xb).argmax(1))
    pred = torch.cat(preds)
    correct = (pred == test_y).float()
    per_class = [correct[test_y == c].mean().item() for c in range(NUM_CLASSES)]

    def group(select):
        members = [per_class[c] for c in range(NUM_CLASSES) if select(counts[c])]
        return 100 * sum(members) / len(members) if members else float('nan')

    return {
        'top1': 100 * correct.mean().item(),
        'many': group(lambda c: c > 100),
        'medium': group(lambda c: 20 <= c <= 100),
        'few': group(lambda c: c < 20),
        'seconds': time.time() - started,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--warmup', type=int, nargs='+', default=[5], help='warm-up epochs (2: the old recipe, 5: now)')
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    p.add_argument('--epochs', type=int, default=30)
    p.add_argument('--drw-start', type=int, default=24, help='0-based first re-weighted epoch')
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--lr', type=float, default=0.1)
    p.add_argument('--data-seed', type=int, default=0, help="data.longTail.seed (the recipe's 0)")
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--verbose', action='store_true')
    args = p.parse_args()
    torch.set_num_threads(args.threads)

    images, labels = read_idx('train-images-idx3-ubyte.gz'), read_idx('train-labels-idx1-ubyte.gz')
    counts = long_tail_counts(1000, 100, NUM_CLASSES)
    picked = long_tail_indices(labels, counts, args.data_seed)
    train_x = torch.from_numpy(images[picked].astype(np.float32) / 255.0)
    train_y = torch.from_numpy(labels[picked].astype(np.int64))
    test_x = torch.from_numpy(read_idx('t10k-images-idx3-ubyte.gz').astype(np.float32) / 255.0)
    test_y = torch.from_numpy(read_idx('t10k-labels-idx1-ubyte.gz').astype(np.int64))
    print(f'torch {torch.__version__}, {torch.get_num_threads()} thread(s); train counts {counts} '
          f'({len(picked)} images, first of class 0: {picked[:3].tolist()}); test {len(test_y)}', flush=True)
    data = (train_x, train_y, test_x, test_y, counts)

    results = {}
    print('| warm-up | seed | top-1 % | many % | medium % | few % | seconds |')
    print('| ------- | ---- | ------- | ------ | -------- | ----- | ------- |', flush=True)
    for warmup in args.warmup:
        for seed in args.seeds:
            r = run(seed, warmup, data, args)
            results.setdefault(warmup, []).append(r)
            print(f"| {warmup} | {seed} | {r['top1']:.2f} | {r['many']:.2f} | {r['medium']:.2f} | "
                  f"{r['few']:.2f} | {r['seconds']:.0f} |", flush=True)
    print()
    print('| warm-up | seeds | top-1 % | many % | medium % | few % |')
    print('| ------- | ----- | ------- | ------ | -------- | ----- |')
    for warmup, rs in results.items():
        cells = []
        for key in ('top1', 'many', 'medium', 'few'):
            values = [r[key] for r in rs]
            sd = statistics.stdev(values) if len(values) > 1 else float('nan')
            cells.append(f'{statistics.mean(values):.2f} ± {sd:.2f}')
        print(f"| {warmup} | {len(rs)} | {' | '.join(cells)} |", flush=True)


if __name__ == '__main__':
    main()
