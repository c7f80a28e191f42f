"""PyTorch side of bench/train-step.ts: the same architectures, batch and optimizer, on CPU threads given
or (--device cuda) on the first CUDA GPU in true fp32.

Models (the architectures `ltlab train` builds through @ltlab/backbones' registry):
  resnet32  CIFAR ResNet-32, option-A shortcuts, 3x32x32, 10 classes
  resnet8   CIFAR ResNet-8, option-A shortcuts, 1x28x28 (the Fashion-MNIST recipes), 10 classes
  resnet50  torchvision-style ResNet-50 (Bottleneck, stride on the 3x3: v1.5), 3x224x224, 1000 classes
  mlp2      3072 -> 512 -> 10 on 3x32x32
Step: softmax cross-entropy on random inputs, SGD lr 0.1, momentum 0.9, weight decay 5e-4.

Usage: /usr/bin/python3 bench/train-step.py [--device cpu|cuda] <threads> <steps> <batch> <model>[:<batch>[:<steps>]]...
  e.g. /usr/bin/python3 bench/train-step.py 2 3 128 resnet32 resnet8 mlp2 resnet50:32:1
       python3 bench/train-step.py --device cuda 1 10 128 resnet32 resnet50:32:10
Prints one JSON line per model: {"model", "threads", "batch", "steps", "ms_per_step"} or {"model", "error"}.
Each model takes one untimed warm-up step first (two on CUDA: the first also autotunes cuDNN).

On CUDA (--device cuda): cudnn.benchmark on, TF32 off for matmuls and convolutions
(torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False, and where PyTorch
has it, >= 2.9, its successor fp32_precision = "ieee" for matmul and cudnn.conv), so every
convolution and matmul is IEEE fp32 like the webgpu shaders; torch.cuda.synchronize() before the
clock starts and before it stops. The first line is {"device": ...} describing the GPU and those
settings; without a usable CUDA device it is {"unavailable": "<why>"} and nothing else is printed.
"""
import json
import sys
import time
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlockA(nn.Module):
    """resnet_cifar's BasicBlock with option A: the shortcut of a block that halves the resolution and
    changes the width is x[:, :, ::2, ::2] zero-padded with planes//4 channels on each side."""

    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.pad = planes // 4 if stride != 1 or in_planes != planes else None

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        shortcut = x if self.pad is None else F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
        return F.relu(out + shortcut)


class CifarResNet(nn.Module):
    def __init__(self, depth, in_channels, num_classes, classifier=nn.Linear):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        blocks, in_planes = [], 16
        for stage, planes in enumerate([16, 32, 64]):
            for i in range(n):
                blocks.append(BasicBlockA(in_planes, planes, 2 if stage > 0 and i == 0 else 1))
                in_planes = planes
        self.blocks = nn.Sequential(*blocks)
        self.fc = classifier(64, num_classes)

    def forward(self, x):
        out = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.fc(out.mean((2, 3)))


class Bottleneck(nn.Module):
    """torchvision's Bottleneck (expansion 4, stride on the 3x3 conv: ResNet v1.5)."""

    def __init__(self, in_planes, planes, stride):
        super().__init__()
        out_planes = planes * 4
        self.conv1 = nn.Conv2d(in_planes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out_planes, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_planes)
        self.downsample = None
        if stride != 1 or in_planes != out_planes:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_planes, out_planes, 1, stride, bias=False), nn.BatchNorm2d(out_planes)
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(out + identity)


class ImageNetResNet(nn.Module):
    """torchvision.models.resnet50: 7x7/2 stem + 3x3/2 max pool, stages 64/128/256/512 x [3, 4, 6, 3]."""

    def __init__(self, layers, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        blocks, in_planes = [], 64
        for stage, (planes, count) in enumerate(zip([64, 128, 256, 512], layers)):
            for i in range(count):
                blocks.append(Bottleneck(in_planes, planes, 2 if stage > 0 and i == 0 else 1))
                in_planes = planes * 4
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(2048, num_classes)

    def forward(self, x):
        out = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(self.blocks(out), 1), 1))


# name -> (builder, input [C, H, W], classes)
MODELS = {
    "resnet32": (lambda: CifarResNet(32, 3, 10), (3, 32, 32), 10),
    "resnet8": (lambda: CifarResNet(8, 1, 10), (1, 28, 28), 10),
    "resnet50": (lambda: ImageNetResNet([3, 4, 6, 3], 1000), (3, 224, 224), 1000),
    "mlp2": (lambda: nn.Sequential(nn.Flatten(), nn.Linear(3072, 512), nn.ReLU(), nn.Linear(512, 10)), (3, 32, 32), 10),
}


def time_model(name, threads, steps, batch, device):
    if name not in MODELS:
        raise ValueError(f"unknown model {name}; known: {', '.join(MODELS)}")
    build, shape, classes = MODELS[name]
    model = build().train().to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    x = (torch.rand(batch, *shape) * 2 - 1).to(device)
    y = torch.randint(0, classes, (batch,)).to(device)
    cuda = device.type == "cuda"

    def sync():
        if cuda:
            torch.cuda.synchronize(device)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    for _ in range(2 if cuda else 1):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    ms = (time.perf_counter() - t0) * 1000 / steps
    return {"model": name, "threads": threads, "batch": batch, "steps": steps, "ms_per_step": ms}


def _has(obj, name):
    """hasattr that survives torch.backends.cuda.matmul's __getattr__, which raises AssertionError."""
    try:
        getattr(obj, name)
        return True
    except Exception:
        return False


def cuda_device():
    """The first CUDA device set up for true fp32, or (None, why) when there is none."""
    if torch.version.cuda is None:
        return None, f"this PyTorch ({torch.__version__}) is built without CUDA"
    if not torch.cuda.is_available():
        return None, f"torch.cuda.is_available() is False (PyTorch {torch.__version__}, CUDA {torch.version.cuda}; no GPU or driver visible)"
    torch.backends.cudnn.benchmark = True
    with warnings.catch_warnings():
        # PyTorch >= 2.9 warns that these give way to fp32_precision; both are set, to the same effect.
        warnings.simplefilter("ignore")
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    conv = getattr(torch.backends.cudnn, "conv", None)
    if _has(torch.backends.cuda.matmul, "fp32_precision") and _has(conv, "fp32_precision"):
        torch.backends.cuda.matmul.fp32_precision = "ieee"
        conv.fp32_precision = "ieee"
    return torch.device("cuda", 0), None


def fp32_settings():
    """The TF32 switches as PyTorch reads them back (the fp32_precision API where it exists)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {
            "cudnn_benchmark": torch.backends.cudnn.benchmark,
            "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32,
            "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
        }
    conv = getattr(torch.backends.cudnn, "conv", None)
    if _has(torch.backends.cuda.matmul, "fp32_precision") and _has(conv, "fp32_precision"):
        out["matmul_fp32_precision"] = torch.backends.cuda.matmul.fp32_precision
        out["conv_fp32_precision"] = conv.fp32_precision
    return out


def main():
    argv = sys.argv[1:]
    device_name = "cpu"
    if argv[:1] == ["--device"] and len(argv) > 1:
        device_name, argv = argv[1], argv[2:]
    if len(argv) < 4 or device_name not in ("cpu", "cuda"):
        raise SystemExit(__doc__)
    threads, steps, batch = int(argv[0]), int(argv[1]), int(argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    device = torch.device("cpu")
    if device_name == "cuda":
        device, why = cuda_device()
        if device is None:
            print(json.dumps({"unavailable": why}), flush=True)
            return
        props = torch.cuda.get_device_properties(device)
        print(
            json.dumps(
                {
                    "device": f"{props.name} ({props.total_memory / 2**30:.0f} GiB)",
                    "torch": torch.__version__,
                    "cuda": torch.version.cuda,
                    "cudnn": torch.backends.cudnn.version(),
                    **fp32_settings(),
                }
            ),
            flush=True,
        )
    for spec in argv[3:]:
        parts = spec.split(":")
        name = parts[0]
        model_batch = int(parts[1]) if len(parts) > 1 else batch
        model_steps = int(parts[2]) if len(parts) > 2 else steps
        try:
            row = time_model(name, threads, model_steps, model_batch, device)
        except Exception as error:  # one model's failure (memory, unknown name) must not lose the others
            row = {"model": name, "threads": threads, "error": f"{type(error).__name__}: {error}"[:200]}
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
