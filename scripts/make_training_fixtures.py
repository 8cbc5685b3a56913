#!/usr/bin/env python3
"""PyTorch reference for three CycleGAN training steps (oracle 3 in STYLE.md, for the whole training step).

Writes Tests/TranslationTests/Fixtures/cyclegan_steps.safetensors (layout in that folder's README.md): four tiny
junyanz networks (ResnetGenerator ngf 2 with 1 block, NLayerDiscriminator ndf 2 with 3 layers, instance norm, no
dropout) initialized as junyanz's init_weights('normal', 0.02) from one seed, then three steps of
cycle_gan_model.py's optimize_parameters on three fixed 32×32 input pairs, with pool_size 0 (ImagePool returns
the fakes as they are), LSGAN, λ_A = λ_B = 10, λ_identity = 0.5, Adam lr 2e-4, betas (0.5, 0.999).
The networks are scripts/make_fixtures.py's copies of junyanz's models/networks.py.

The same three steps also run in float64, and the float32 run's distance from it is printed: the rounding noise
any float32 engine (ours included) shows. It singles out the biases of convolutions followed by InstanceNorm:
the norm removes any per-channel constant, so their gradient is exactly 0 and what float32 computes is rounding
noise (~1e-7), which Adam's first steps (update ≈ lr·g/(|g| + eps)) blow up to ±lr per step in an arbitrary
direction. Their names go in the metadata (`zero_gradient_biases`), checked against the float64 run; their
values are noise in PyTorch as in any float32 engine, and they do not change what the networks compute.
Run from the repository root:  python3 scripts/make_training_fixtures.py
"""

import itertools
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import NETS_DIR, NLayerDiscriminator, ResnetGenerator, instance_norm, save  # noqa: E402

SEED = 401
STEPS = 3
SIZE = 32
NGF, BLOCKS, NDF, D_LAYERS = 2, 1, 2, 3
LAMBDA_A = LAMBDA_B = 10.0
LAMBDA_IDENTITY = 0.5
LR, BETAS = 2e-4, (0.5, 0.999)
NETWORKS = ["G_A", "G_B", "D_A", "D_B"]  # junyanz: G_A: A → B, G_B: B → A, D_A judges B, D_B judges A
LOSSES = ["D_A", "G_A", "cycle_A", "idt_A", "D_B", "G_B", "cycle_B", "idt_B"]


def init_weights(net):
    """junyanz init_weights('normal', init_gain=0.02): conv weights N(0, 0.02), conv biases 0."""
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight.data, 0.0, 0.02)
            if m.bias is not None:
                nn.init.constant_(m.bias.data, 0.0)


def make_networks():
    torch.manual_seed(SEED)
    norm = instance_norm()
    nets = {}
    for name in NETWORKS:
        if name[0] == "G":
            net = ResnetGenerator(3, 3, ngf=NGF, norm_layer=norm, use_dropout=False, n_blocks=BLOCKS)
        else:
            net = NLayerDiscriminator(3, ndf=NDF, n_layers=D_LAYERS, norm_layer=norm)
        init_weights(net)
        nets[name] = net
    inputs = [(torch.rand(1, 3, SIZE, SIZE) * 2 - 1, torch.rand(1, 3, SIZE, SIZE) * 2 - 1) for _ in range(STEPS)]
    return nets, inputs


def zero_gradient_biases(nets):
    """Biases of convolutions directly followed by InstanceNorm in a Sequential, by state_dict name."""
    names = []
    for prefix, net in nets.items():
        for path, module in net.named_modules():
            if isinstance(module, nn.Sequential):
                children = list(module.named_children())
                for (index, layer), (_, following) in zip(children, children[1:]):
                    if (isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)) and layer.bias is not None
                            and isinstance(following, nn.InstanceNorm2d)):
                        names.append(f"{prefix}.{path}.{index}.bias")
    return names


def set_requires_grad(nets, flag):
    for net in nets:
        for p in net.parameters():
            p.requires_grad = flag


def train(nets, inputs):
    """cycle_gan_model.py optimize_parameters, once per input pair; returns the state after each step."""
    G_A, G_B, D_A, D_B = (nets[n] for n in NETWORKS)
    for net in nets.values():
        net.train()
    opt_G = torch.optim.Adam(itertools.chain(G_A.parameters(), G_B.parameters()), lr=LR, betas=BETAS)
    opt_D = torch.optim.Adam(itertools.chain(D_A.parameters(), D_B.parameters()), lr=LR, betas=BETAS)
    mse, l1 = nn.MSELoss(), nn.L1Loss()

    def gan(prediction, real):  # GANLoss('lsgan')
        return mse(prediction, torch.full_like(prediction, 1.0 if real else 0.0))

    def backward_D(D, real, fake):  # backward_D_basic; pool_size 0: the pool returns `fake` itself
        loss = (gan(D(real), True) + gan(D(fake.detach()), False)) * 0.5
        loss.backward()
        return loss

    steps = []
    for real_A, real_B in inputs:
        fake_B = G_A(real_A); rec_A = G_B(fake_B)  # forward()
        fake_A = G_B(real_B); rec_B = G_A(fake_A)
        set_requires_grad([D_A, D_B], False)
        opt_G.zero_grad()
        loss = {}
        loss["idt_A"] = l1(G_A(real_B), real_B) * LAMBDA_B * LAMBDA_IDENTITY  # backward_G
        loss["idt_B"] = l1(G_B(real_A), real_A) * LAMBDA_A * LAMBDA_IDENTITY
        loss["G_A"] = gan(D_A(fake_B), True)
        loss["G_B"] = gan(D_B(fake_A), True)
        loss["cycle_A"] = l1(rec_A, real_A) * LAMBDA_A
        loss["cycle_B"] = l1(rec_B, real_B) * LAMBDA_B
        loss_G = loss["G_A"] + loss["G_B"] + loss["cycle_A"] + loss["cycle_B"] + loss["idt_A"] + loss["idt_B"]
        loss_G.backward()
        opt_G.step()
        set_requires_grad([D_A, D_B], True)
        opt_D.zero_grad()
        loss["D_A"] = backward_D(D_A, real_B, fake_B)
        loss["D_B"] = backward_D(D_B, real_A, fake_A)
        opt_D.step()
        steps.append(({f"{n}.{k}": v.detach().clone() for n in NETWORKS for k, v in nets[n].state_dict().items()},
                      {n: loss[n].detach().clone() for n in LOSSES}))
    return steps


def main():
    torch.set_num_threads(1)
    nets, inputs = make_networks()
    initial = {f"{n}.{k}": v.detach().clone() for n in NETWORKS for k, v in nets[n].state_dict().items()}
    nets64 = {n: net.double() for n, net in make_networks()[0].items()}
    steps64 = train(nets64, [(a.double(), b.double()) for a, b in inputs])
    steps = train(nets, inputs)

    tensors = dict(initial)
    for i, ((a, b), (weights, losses)) in enumerate(zip(inputs, steps), start=1):
        tensors[f"step{i}.real_A"], tensors[f"step{i}.real_B"] = a, b
        tensors.update({f"step{i}.{k}": v for k, v in weights.items()})
        tensors.update({f"step{i}.loss_{k}": v for k, v in losses.items()})

    noise = zero_gradient_biases(nets)
    moved = {k for k in initial if float((steps64[-1][0][k] - initial[k].double()).abs().max()) > 1e-8}
    if moved != set(initial) - set(noise):
        sys.exit(f"zero-gradient biases {sorted(noise)} are not the parameters float64 leaves in place")
    for i, ((w32, l32), (w64, l64)) in enumerate(zip(steps, steps64), start=1):
        dw = max(float((w32[k].double() - w64[k]).abs().max() / w64[k].abs().max()) for k in w32 if k not in noise)
        dn = max(float((w32[k].double() - w64[k]).abs().max()) for k in noise)
        dl = max(float((l32[k].double() - l64[k]).abs() / l64[k].abs()) for k in l32)
        print(f"step {i}: float32 vs float64 PyTorch: weights max |Δ|/max|w| {dw:.1e}, losses max |Δ|/|loss| "
              f"{dl:.1e}; zero-gradient biases max |Δ| {dn:.1e} (lr {LR})")

    metadata = {
        "generator": "scripts/make_training_fixtures.py", "seed": SEED, "steps": STEPS,
        "G": f"ResnetGenerator(3, 3, ngf={NGF}, norm=instance, use_dropout=False, n_blocks={BLOCKS})",
        "D": f"NLayerDiscriminator(3, ndf={NDF}, n_layers={D_LAYERS}, norm=instance)",
        "init": "normal(0, 0.02), biases 0", "gan_mode": "lsgan", "pool_size": 0,
        "lambda_A": LAMBDA_A, "lambda_B": LAMBDA_B, "lambda_identity": LAMBDA_IDENTITY,
        "lr": LR, "beta1": BETAS[0], "beta2": BETAS[1], "zero_gradient_biases": ",".join(noise),
    }
    save(os.path.join(NETS_DIR, "cyclegan_steps.safetensors"), tensors, metadata)


if __name__ == "__main__":
    main()
