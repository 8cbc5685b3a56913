#!/usr/bin/env python3
"""PyTorch reference for three pix2pix training steps (oracle 3 in STYLE.md, for the whole training step).

Writes Tests/TranslationTests/Fixtures/pix2pix_steps.safetensors (layout in that folder's README.md): a tiny
junyanz UnetGenerator (num_downs 5, ngf 2, batch norm, dropout off so the steps are deterministic) and a tiny
conditional NLayerDiscriminator (input 3 + 3 channels: cat(A, B), ndf 2, 3 layers, batch norm), initialized as
junyanz's init_weights('normal', 0.02) (conv weights N(0, 0.02), biases 0, batch-norm weights N(1, 0.02)), then
three steps of pix2pix_model.py's optimize_parameters on one fixed 32×32 pair (batch 1): fake_B = G(A); the D
step (D(cat(A, fake_B.detach())) → 0, D(cat(A, B)) → 1, halved); then the G step with D frozen
(D(cat(A, fake_B)) → 1 plus λ_L1 · ‖fake_B − B‖₁), vanilla GAN loss (BCE with logits), λ_L1 100, Adam lr 2e-4,
betas (0.5, 0.999). The state after each step includes the batch-norm running statistics (every D forward in
training mode updates them: fake, real, then fake again in the G step).
Size: the U-Net alone holds ~17k values, so four full states do not fit the 300 KB every fixture keeps to. The
file holds the initial state and the states after steps 1 and 3, and the four losses of every step (step 3's
losses and weights depend on every weight after step 2, so a wrong step 2 cannot pass); one input pair serves
all three steps, as junyanz's loop over a one-pair dataset would.
The networks are scripts/make_fixtures.py's copies of junyanz's models/networks.py.

As scripts/make_training_fixtures.py, the same steps also run in float64 and the float32 run's distance from
it is printed. Biases of convolutions directly followed by a norm layer would have a true gradient of exactly 0
(Adam then amplifies float32 rounding noise to ±lr per step); with batch norm junyanz gives those convolutions
no bias, so the list (`zero_gradient_biases` in the metadata) is expected to be empty here, and is checked.
Run from the repository root:  python3 scripts/make_pix2pix_fixtures.py
"""

import contextlib
import io
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import NETS_DIR, NLayerDiscriminator, UnetGenerator, save  # noqa: E402

SEED = 1611
STEPS = 3
STORED_STEPS = (1, 3)  # full states kept (size, see above)
SIZE = 32
NUM_DOWNS, NGF, NDF, D_LAYERS = 5, 2, 2, 3
LAMBDA_L1 = 100.0
LR, BETAS = 2e-4, (0.5, 0.999)
NETWORKS = ["G", "D"]  # junyanz pix2pix: netG (A → B), netD (judges cat(A, B))
LOSSES = ["G_GAN", "G_L1", "D_real", "D_fake"]


def init_weights(net):
    """junyanz init_weights('normal', init_gain=0.02): conv weights N(0, 0.02), biases 0, batch norm N(1, 0.02)."""
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight.data, 0.0, 0.02)
            if m.bias is not None:
                nn.init.constant_(m.bias.data, 0.0)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.normal_(m.weight.data, 1.0, 0.02)
            nn.init.constant_(m.bias.data, 0.0)


def make_networks():
    torch.manual_seed(SEED)
    nets = {
        "G": UnetGenerator(3, 3, NUM_DOWNS, ngf=NGF, norm_layer=nn.BatchNorm2d, use_dropout=False),
        "D": NLayerDiscriminator(6, ndf=NDF, n_layers=D_LAYERS, norm_layer=nn.BatchNorm2d),
    }
    for net in nets.values():
        init_weights(net)
    pair = (torch.rand(1, 3, SIZE, SIZE) * 2 - 1, torch.rand(1, 3, SIZE, SIZE) * 2 - 1)
    return nets, [pair] * STEPS


def zero_gradient_biases(nets):
    """Biases of convolutions directly followed by a norm layer in a Sequential, by state_dict name."""
    names = []
    for prefix, net in nets.items():
        for path, module in net.named_modules():
            if isinstance(module, nn.Sequential):
                children = list(module.named_children())
                for (index, layer), (_, following) in zip(children, children[1:]):
                    if (isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)) and layer.bias is not None
                            and isinstance(following, (nn.InstanceNorm2d, nn.BatchNorm2d))):
                        names.append(f"{prefix}.{path}.{index}.bias")
    return names


def state(nets):
    # num_batches_tracked is int64 in PyTorch; stored as float32 like every other tensor of the fixture.
    return {f"{n}.{k}": v.detach().clone().to(torch.float64 if v.dtype == torch.float64 else torch.float32)
            for n in NETWORKS for k, v in nets[n].state_dict().items()}


def train(nets, inputs):
    """pix2pix_model.py optimize_parameters, once per input pair; returns the state and losses after each step."""
    G, D = nets["G"], nets["D"]
    for net in nets.values():
        net.train()
    opt_G = torch.optim.Adam(G.parameters(), lr=LR, betas=BETAS)
    opt_D = torch.optim.Adam(D.parameters(), lr=LR, betas=BETAS)
    bce, l1 = nn.BCEWithLogitsLoss(), nn.L1Loss()

    def gan(prediction, real):  # GANLoss('vanilla')
        return bce(prediction, torch.full_like(prediction, 1.0 if real else 0.0))

    steps = []
    for real_A, real_B in inputs:
        fake_B = G(real_A)  # forward()
        for p in D.parameters():
            p.requires_grad = True
        opt_D.zero_grad()  # backward_D
        loss = {}
        loss["D_fake"] = gan(D(torch.cat((real_A, fake_B), 1).detach()), False)
        loss["D_real"] = gan(D(torch.cat((real_A, real_B), 1)), True)
        ((loss["D_fake"] + loss["D_real"]) * 0.5).backward()
        opt_D.step()
        for p in D.parameters():
            p.requires_grad = False
        opt_G.zero_grad()  # backward_G
        loss["G_GAN"] = gan(D(torch.cat((real_A, fake_B), 1)), True)
        loss["G_L1"] = l1(fake_B, real_B) * LAMBDA_L1
        (loss["G_GAN"] + loss["G_L1"]).backward()
        opt_G.step()
        steps.append((state(nets), {n: loss[n].detach().clone() for n in LOSSES}))
    return steps


def main():
    torch.set_num_threads(1)
    nets, inputs = make_networks()
    initial = state(nets)
    nets64 = {n: net.double() for n, net in make_networks()[0].items()}
    steps64 = train(nets64, [(a.double(), b.double()) for a, b in inputs])
    steps = train(nets, inputs)

    tensors = dict(initial)
    tensors["real_A"], tensors["real_B"] = inputs[0]
    for i, (weights, losses) in enumerate(steps, start=1):
        if i in STORED_STEPS:
            tensors.update({f"step{i}.{k}": v for k, v in weights.items()})
        tensors.update({f"step{i}.loss_{k}": v.reshape(1) for k, v in losses.items()})

    noise = zero_gradient_biases(nets)
    if noise:
        sys.exit(f"unexpected zero-gradient biases {noise}: junyanz's batch-norm networks have none")
    for i, ((w32, l32), (w64, l64)) in enumerate(zip(steps, steps64), start=1):
        dw = max(float((w32[k].double() - w64[k]).abs().max() / max(float(w64[k].abs().max()), 1e-3)) for k in w32)
        dl = max(float((l32[k].double() - l64[k]).abs() / l64[k].abs()) for k in l32)
        print(f"step {i}: float32 vs float64 PyTorch: weights max |Δ|/max(|w|, 1e-3) {dw:.1e}, "
              f"losses max |Δ|/|loss| {dl:.1e}")

    metadata = {
        "generator": "scripts/make_pix2pix_fixtures.py", "seed": SEED, "steps": STEPS, "stored_steps": ",".join(map(str, STORED_STEPS)),
        "G": f"UnetGenerator(3, 3, num_downs={NUM_DOWNS}, ngf={NGF}, norm=batch, use_dropout=False)",
        "D": f"NLayerDiscriminator(6, ndf={NDF}, n_layers={D_LAYERS}, norm=batch)",
        "init": "normal(0, 0.02), biases 0, batch norm weights normal(1, 0.02)", "gan_mode": "vanilla",
        "lambda_L1": LAMBDA_L1, "lr": LR, "beta1": BETAS[0], "beta2": BETAS[1],
        "zero_gradient_biases": ",".join(noise),
    }
    with contextlib.redirect_stdout(io.StringIO()) as listing:  # save() lists every tensor: keep the size only
        save(os.path.join(NETS_DIR, "pix2pix_steps.safetensors"), tensors, metadata)
    print(listing.getvalue().split(", tensors:")[0])


if __name__ == "__main__":
    main()
