#!/usr/bin/env python3
"""PyTorch reference fixtures for the Swift engine's tests (oracle 3 in STYLE.md).

Writes small float32 safetensors files:
  Tests/AutogradTests/Fixtures/   op fixtures: inputs, parameters, y, grad_y and grad_<input> from y.backward(grad_y)
  Tests/TranslationTests/Fixtures/  junyanz CycleGAN networks: state_dict under junyanz's names, input, output
  Tests/SafeTensorsTests/Fixtures/           safetensors dtype fixtures (F16, BF16, I64, and an unsupported U8)
The networks follow junyanz/pytorch-CycleGAN-and-pix2pix models/networks.py (ResnetGenerator, ResnetBlock,
UnetGenerator, UnetSkipConnectionBlock, NLayerDiscriminator), rewritten here so the script has no dependency on
that repository. Run from the repository root:  python3 scripts/make_fixtures.py
Deterministic: every fixture reseeds torch with its own seed, and torch runs on one CPU thread.
"""

import functools
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OPS_DIR = os.path.join(ROOT, "Tests", "AutogradTests", "Fixtures")
NETS_DIR = os.path.join(ROOT, "Tests", "TranslationTests", "Fixtures")
NN_DIR = os.path.join(ROOT, "Tests", "SafeTensorsTests", "Fixtures")
MAX_BYTES = 300 * 1024  # keep the repository small: every fixture stays under 300 KB


def save(path, tensors, metadata):
    """Saves contiguous float32 (or, for dtype fixtures, explicitly typed) tensors with string metadata."""
    out = {name: t.detach().contiguous() for name, t in tensors.items()}
    meta = {"format": "translate-fixture-v1", "generator": "scripts/make_fixtures.py",
            "torch": torch.__version__}
    meta.update({k: str(v) for k, v in metadata.items()})
    os.makedirs(os.path.dirname(path), exist_ok=True)
    save_file(out, path, metadata=meta)
    canonicalize_header(path)
    size = os.path.getsize(path)
    print(f"{os.path.relpath(path, ROOT)}: {size} bytes, tensors: "
          + ", ".join(f"{k}{tuple(v.shape)}" for k, v in out.items()))
    if size > MAX_BYTES:
        sys.exit(f"fixture {path} is {size} bytes (> {MAX_BYTES})")


def canonicalize_header(path):
    """Rewrites the header with `__metadata__` keys sorted: the Rust writer keeps them in a HashMap whose order
    changes from run to run, and we want regenerating to give byte-identical files. Offsets are unchanged."""
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])  # keeps the tensors' order
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # pad with spaces to a multiple of 8, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + blob[8 + n:])


def backward_fixture(path, seed, inputs, forward, metadata):
    """Runs `forward(**inputs)`, backpropagates a random grad_y and saves inputs, y, grad_y, grad_<input>."""
    torch.manual_seed(seed)
    leaves = {name: make().requires_grad_(True) for name, make in inputs.items()}
    y = forward(**leaves)
    grad_y = torch.randn(y.shape)
    y.backward(grad_y)
    tensors = dict(leaves)
    tensors["y"] = y
    tensors["grad_y"] = grad_y
    for name, leaf in leaves.items():
        tensors["grad_" + name] = leaf.grad
    save(os.path.join(OPS_DIR, path), tensors, metadata)


# ----------------------------------------------------------------------------------------------------------
# Op fixtures (Tests/AutogradTests/Fixtures)
# ----------------------------------------------------------------------------------------------------------

def conv_fixtures():
    cases = [  # file, seed, x shape, weight shape, bias, stride, padding, dilation
        ("conv2d_k3s2p1.safetensors", 101, (2, 3, 11, 9), (5, 3, 3, 3), True, 2, 1, 1),
        ("conv2d_k7s1p0.safetensors", 102, (1, 8, 40, 44), (3, 8, 7, 7), True, 1, 0, 1),
        ("conv2d_k4s2p1.safetensors", 103, (2, 4, 16, 14), (6, 4, 4, 4), True, 2, 1, 1),
        ("conv2d_k3s1p2d2.safetensors", 104, (1, 3, 9, 10), (4, 3, 3, 3), False, 1, 2, 2),
    ]
    for name, seed, xs, ws, has_bias, stride, padding, dilation in cases:
        inputs = {"x": lambda xs=xs: torch.randn(xs), "weight": lambda ws=ws: torch.randn(ws) * 0.3}
        if has_bias:
            inputs["bias"] = lambda ws=ws: torch.randn(ws[0])

        def forward(x, weight, bias=None, stride=stride, padding=padding, dilation=dilation):
            return F.conv2d(x, weight, bias, stride=stride, padding=padding, dilation=dilation)

        backward_fixture(name, seed, inputs, forward,
                         {"op": "conv2d", "stride": stride, "padding": padding, "dilation": dilation,
                          "bias": str(has_bias).lower()})


def conv_transpose_fixture():
    def forward(x, weight, bias):
        return F.conv_transpose2d(x, weight, bias, stride=2, padding=1, output_padding=1, dilation=1)

    backward_fixture("conv_transpose2d_k3s2p1op1.safetensors", 105,
                     {"x": lambda: torch.randn(2, 4, 5, 6), "weight": lambda: torch.randn(4, 3, 3, 3) * 0.3,
                      "bias": lambda: torch.randn(3)},
                     forward,
                     {"op": "conv_transpose2d", "stride": 2, "padding": 1, "output_padding": 1, "dilation": 1,
                      "bias": "true", "weight_layout": "IOHW"})


def norm_fixtures():
    def affine(x, weight, bias):
        # What nn.InstanceNorm2d(3, affine=True) computes, with our leaves as its weight and bias.
        return F.instance_norm(x, None, None, weight, bias, use_input_stats=True, eps=1e-5)

    backward_fixture("instance_norm_affine.safetensors", 106,
                     {"x": lambda: torch.randn(2, 3, 7, 5) * 2 + 0.5, "weight": lambda: 1 + 0.5 * torch.randn(3),
                      "bias": lambda: 0.5 * torch.randn(3)},
                     affine, {"op": "instance_norm", "eps": "1e-05", "affine": "true"})

    def plain(x):
        return nn.InstanceNorm2d(3, eps=1e-5, affine=False, track_running_stats=False)(x)

    backward_fixture("instance_norm_plain.safetensors", 107, {"x": lambda: torch.randn(2, 3, 7, 5) * 2 + 0.5},
                     plain, {"op": "instance_norm", "eps": "1e-05", "affine": "false"})

    def pad(x):
        return nn.ReflectionPad2d(3)(x)

    backward_fixture("reflection_pad.safetensors", 108, {"x": lambda: torch.randn(1, 2, 6, 5)}, pad,
                     {"op": "reflection_pad2d", "pad": 3})


def batch_norm_fixture():
    torch.manual_seed(109)
    bn = nn.BatchNorm2d(4, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)
    with torch.no_grad():
        bn.weight.copy_(1 + 0.5 * torch.randn(4))
        bn.bias.copy_(0.5 * torch.randn(4))
    bn.train()
    x = (torch.randn(3, 4, 5, 6) * 1.5 + 0.7).requires_grad_(True)
    running_mean, running_var = bn.running_mean.clone(), bn.running_var.clone()
    y = bn(x)
    grad_y = torch.randn(y.shape)
    y.backward(grad_y)
    save(os.path.join(OPS_DIR, "batch_norm_train.safetensors"),
         {"x": x, "weight": bn.weight, "bias": bn.bias, "running_mean": running_mean, "running_var": running_var,
          "y": y, "running_mean_after": bn.running_mean, "running_var_after": bn.running_var,
          "grad_y": grad_y, "grad_x": x.grad, "grad_weight": bn.weight.grad, "grad_bias": bn.bias.grad},
         {"op": "batch_norm", "training": "true", "momentum": "0.1", "eps": "1e-05",
          "running_var_update": "unbiased variance (n / (n - 1))"})


class Chain(nn.Module):
    """Conv2d(3,8,3,p1) → InstanceNorm2d(8) → ReLU → ConvTranspose2d(8,4,3,s2,p1,op1)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.norm = nn.InstanceNorm2d(8, affine=False, track_running_stats=False)
        self.convt = nn.ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1)

    def forward(self, x):
        return self.convt(F.relu(self.norm(self.conv(x))))


def chain_fixture():
    torch.manual_seed(110)
    net = Chain()  # PyTorch's default initialization (nonzero biases)
    x = torch.randn(1, 3, 12, 10).requires_grad_(True)
    y = net(x)
    grad_y = torch.randn(y.shape)
    y.backward(grad_y)
    tensors = {"x": x}
    tensors.update(dict(net.named_parameters()))
    tensors.update({"y": y, "grad_y": grad_y, "grad_x": x.grad})
    tensors.update({"grad_" + n: p.grad for n, p in net.named_parameters()})
    save(os.path.join(OPS_DIR, "chain.safetensors"), tensors,
         {"op": "chain", "layers": "conv=Conv2d(3,8,3,padding=1); InstanceNorm2d(8,affine=False); ReLU; "
                                   "convt=ConvTranspose2d(8,4,3,stride=2,padding=1,output_padding=1)"})


# ----------------------------------------------------------------------------------------------------------
# junyanz networks (our own code following models/networks.py; names and layer order must match exactly)
# ----------------------------------------------------------------------------------------------------------

def instance_norm():
    # junyanz get_norm_layer('instance'): no affine parameters, no running statistics.
    return functools.partial(nn.InstanceNorm2d, affine=False, track_running_stats=False)


def uses_bias(norm_layer):
    # Convolutions followed by InstanceNorm carry a bias (BatchNorm would make it redundant).
    return (norm_layer.func if isinstance(norm_layer, functools.partial) else norm_layer) == nn.InstanceNorm2d


class ResnetBlock(nn.Module):
    def __init__(self, dim, padding_type, norm_layer, use_dropout, use_bias):
        super().__init__()
        layers = []
        for second in (False, True):
            p = 0
            if padding_type == "reflect":
                layers.append(nn.ReflectionPad2d(1))
            elif padding_type == "replicate":
                layers.append(nn.ReplicationPad2d(1))
            elif padding_type == "zero":
                p = 1
            else:
                raise ValueError(padding_type)
            layers += [nn.Conv2d(dim, dim, kernel_size=3, padding=p, bias=use_bias), norm_layer(dim)]
            if not second:
                layers.append(nn.ReLU(True))
                if use_dropout:
                    layers.append(nn.Dropout(0.5))
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv_block(x)  # no ReLU after the addition


class ResnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, ngf=64, norm_layer=nn.BatchNorm2d, use_dropout=False, n_blocks=6,
                 padding_type="reflect"):
        super().__init__()
        use_bias = uses_bias(norm_layer)
        model = [nn.ReflectionPad2d(3), nn.Conv2d(input_nc, ngf, kernel_size=7, padding=0, bias=use_bias),
                 norm_layer(ngf), nn.ReLU(True)]
        for i in range(2):
            mult = 2 ** i
            model += [nn.Conv2d(ngf * mult, ngf * mult * 2, kernel_size=3, stride=2, padding=1, bias=use_bias),
                      norm_layer(ngf * mult * 2), nn.ReLU(True)]
        for _ in range(n_blocks):
            model.append(ResnetBlock(ngf * 4, padding_type, norm_layer, use_dropout, use_bias))
        for i in range(2):
            mult = 2 ** (2 - i)
            model += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, kernel_size=3, stride=2, padding=1,
                                         output_padding=1, bias=use_bias),
                      norm_layer(ngf * mult // 2), nn.ReLU(True)]
        model += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, output_nc, kernel_size=7, padding=0), nn.Tanh()]
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x)


class UnetSkipConnectionBlock(nn.Module):
    def __init__(self, outer_nc, inner_nc, input_nc=None, submodule=None, outermost=False, innermost=False,
                 norm_layer=nn.BatchNorm2d, use_dropout=False):
        super().__init__()
        self.outermost = outermost
        use_bias = uses_bias(norm_layer)
        input_nc = outer_nc if input_nc is None else input_nc
        downconv = nn.Conv2d(input_nc, inner_nc, kernel_size=4, stride=2, padding=1, bias=use_bias)
        if outermost:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1)
            model = [downconv, submodule, nn.ReLU(True), upconv, nn.Tanh()]
        elif innermost:
            upconv = nn.ConvTranspose2d(inner_nc, outer_nc, kernel_size=4, stride=2, padding=1, bias=use_bias)
            model = [nn.LeakyReLU(0.2, True), downconv, nn.ReLU(True), upconv, norm_layer(outer_nc)]
        else:
            upconv = nn.ConvTranspose2d(inner_nc * 2, outer_nc, kernel_size=4, stride=2, padding=1, bias=use_bias)
            model = [nn.LeakyReLU(0.2, True), downconv, norm_layer(inner_nc), submodule,
                     nn.ReLU(True), upconv, norm_layer(outer_nc)]
            if use_dropout:
                model.append(nn.Dropout(0.5))
        self.model = nn.Sequential(*model)

    def forward(self, x):
        return self.model(x) if self.outermost else torch.cat([x, self.model(x)], 1)


class UnetGenerator(nn.Module):
    def __init__(self, input_nc, output_nc, num_downs, ngf=64, norm_layer=nn.BatchNorm2d, use_dropout=False):
        super().__init__()
        block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, norm_layer=norm_layer, innermost=True)
        for _ in range(num_downs - 5):
            block = UnetSkipConnectionBlock(ngf * 8, ngf * 8, submodule=block, norm_layer=norm_layer,
                                            use_dropout=use_dropout)
        block = UnetSkipConnectionBlock(ngf * 4, ngf * 8, submodule=block, norm_layer=norm_layer)
        block = UnetSkipConnectionBlock(ngf * 2, ngf * 4, submodule=block, norm_layer=norm_layer)
        block = UnetSkipConnectionBlock(ngf, ngf * 2, submodule=block, norm_layer=norm_layer)
        self.model = UnetSkipConnectionBlock(output_nc, ngf, input_nc=input_nc, submodule=block, outermost=True,
                                             norm_layer=norm_layer)

    def forward(self, x):
        return self.model(x)


class NLayerDiscriminator(nn.Module):
    def __init__(self, input_nc, ndf=64, n_layers=3, norm_layer=nn.BatchNorm2d):
        super().__init__()
        use_bias = uses_bias(norm_layer)
        seq = [nn.Conv2d(input_nc, ndf, kernel_size=4, stride=2, padding=1), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers):
            prev, mult = mult, min(2 ** n, 8)
            seq += [nn.Conv2d(ndf * prev, ndf * mult, kernel_size=4, stride=2, padding=1, bias=use_bias),
                    norm_layer(ndf * mult), nn.LeakyReLU(0.2, True)]
        prev, mult = mult, min(2 ** n_layers, 8)
        seq += [nn.Conv2d(ndf * prev, ndf * mult, kernel_size=4, stride=1, padding=1, bias=use_bias),
                norm_layer(ndf * mult), nn.LeakyReLU(0.2, True),
                nn.Conv2d(ndf * mult, 1, kernel_size=4, stride=1, padding=1)]
        self.model = nn.Sequential(*seq)

    def forward(self, x):
        return self.model(x)


def init_weights(net):
    """junyanz init_weights('normal', gain 0.02), then biases perturbed by N(0, 0.02) so they matter in tests."""
    for m in net.modules():
        name = m.__class__.__name__
        if hasattr(m, "weight") and ("Conv" in name or "Linear" in name):
            nn.init.normal_(m.weight.data, 0.0, 0.02)
            if m.bias is not None:
                nn.init.constant_(m.bias.data, 0.0)
        elif "BatchNorm2d" in name:
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0.0)
    for name, p in net.named_parameters():
        if name.endswith("bias"):
            with torch.no_grad():
                p.add_(torch.randn(p.shape) * 0.02)  # deviation from junyanz (biases 0): test sensitivity


def network_fixture(path, seed, make, input_shape, metadata):
    torch.manual_seed(seed)
    net = make()
    init_weights(net)
    net.eval()  # dropout off; InstanceNorm without running stats normalizes with batch stats in both modes
    x = torch.rand(input_shape) * 2 - 1
    with torch.no_grad():
        y = net(x)
    tensors = dict(net.state_dict())
    assert "input" not in tensors and "output" not in tensors
    tensors.update({"input": x, "output": y})
    meta = {"norm": "instance", "init": "normal(0, 0.02); biases N(0, 0.02)",
            "parameters": sum(p.numel() for p in net.parameters())}
    meta.update(metadata)
    save(os.path.join(NETS_DIR, path), tensors, meta)


def network_fixtures():
    norm = instance_norm()
    network_fixture("resnet6_ngf4.safetensors", 201,
                    lambda: ResnetGenerator(3, 3, ngf=4, norm_layer=norm, use_dropout=False, n_blocks=6),
                    (1, 3, 32, 32),
                    {"class": "ResnetGenerator", "input_nc": 3, "output_nc": 3, "ngf": 4, "use_dropout": "false",
                     "n_blocks": 6, "padding_type": "reflect"})
    network_fixture("resnet9_ngf4_dropout.safetensors", 202,
                    lambda: ResnetGenerator(3, 3, ngf=4, norm_layer=norm, use_dropout=True, n_blocks=9),
                    (1, 3, 36, 28),
                    {"class": "ResnetGenerator", "input_nc": 3, "output_nc": 3, "ngf": 4, "use_dropout": "true",
                     "n_blocks": 9, "padding_type": "reflect", "mode": "eval (dropout is identity)"})
    network_fixture("unet128_ngf2_nc1.safetensors", 203,
                    lambda: UnetGenerator(1, 1, 7, ngf=2, norm_layer=norm, use_dropout=False),
                    (1, 1, 128, 128),
                    {"class": "UnetGenerator", "input_nc": 1, "output_nc": 1, "num_downs": 7, "ngf": 2,
                     "use_dropout": "false"})
    network_fixture("patchgan_ndf8.safetensors", 204,
                    lambda: NLayerDiscriminator(3, ndf=8, n_layers=3, norm_layer=norm),
                    (2, 3, 64, 64),
                    {"class": "NLayerDiscriminator", "input_nc": 3, "ndf": 8, "n_layers": 3})


def parameter_counts():
    norm = instance_norm()
    counts = {
        "ResnetGenerator(3, 3, 64, n_blocks=9)": (ResnetGenerator(3, 3, 64, norm_layer=norm, n_blocks=9), 11378179),
        "NLayerDiscriminator(3, 64, 3)": (NLayerDiscriminator(3, 64, 3, norm_layer=norm), 2764737),
    }
    for name, (net, expected) in counts.items():
        n = sum(p.numel() for p in net.parameters())
        print(f"parameters of {name} with instance norm: {n:,} (expected {expected:,})")
        if n != expected:
            sys.exit(f"parameter count mismatch for {name}")


# ----------------------------------------------------------------------------------------------------------
# safetensors dtype fixtures (Tests/SafeTensorsTests/Fixtures)
# ----------------------------------------------------------------------------------------------------------

def dtype_fixtures():
    torch.manual_seed(301)
    # Values chosen to hit the conversion edge cases: ±0, subnormals, the largest finite, infinities, rounding.
    special = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6.0e-8, 6.1e-5, 1.0e-6, float("inf"),
                            float("-inf"), 3.14159265, -1.0e-3])
    f16 = torch.cat([special, torch.randn(20)]).to(torch.float16).reshape(4, 8)
    bf16 = torch.cat([special, torch.tensor([3.0e38, -1.0e-38, 1.0e-40]), torch.randn(17)]).to(torch.bfloat16)
    bf16 = bf16.reshape(2, 2, 8)
    tensors = {
        "f32": torch.randn(3, 5),
        "f16": f16, "f16_as_f32": f16.to(torch.float32),
        "bf16": bf16, "bf16_as_f32": bf16.to(torch.float32),
        "num_batches_tracked": torch.tensor(42, dtype=torch.int64),  # what junyanz checkpoints carry
        "i64": torch.tensor([[0, -1, 16777216], [-(2 ** 40), 2 ** 62, 7]], dtype=torch.int64),
        "nan_f16": torch.tensor([float("nan")], dtype=torch.float16),
        "empty": torch.zeros(0, 3),
    }
    save(os.path.join(NN_DIR, "dtypes.safetensors"), tensors, {"purpose": "dtype conversion"})
    save(os.path.join(NN_DIR, "unsupported_u8.safetensors"),
         {"weight": torch.randn(2, 2), "mask": torch.tensor([1, 0, 1], dtype=torch.uint8)},
         {"purpose": "unsupported dtype"})


def main():
    torch.set_num_threads(1)
    conv_fixtures()
    conv_transpose_fixture()
    norm_fixtures()
    batch_norm_fixture()
    chain_fixture()
    network_fixtures()
    parameter_counts()
    dtype_fixtures()


if __name__ == "__main__":
    main()
