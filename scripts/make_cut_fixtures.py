#!/usr/bin/env python3
"""PyTorch reference fixtures for CUT and FastCUT (Park, Efros, Zhang, Zhu, ECCV 2020), oracle 3 in STYLE.md.

Writes Tests/TranslationTests/Fixtures/CUT/ (see the README there):
  patchnce.safetensors          the PatchNCE loss alone: raw query and key rows → L2 norm → loss, and d loss/d query
  initial.safetensors           tiny G (junyanz ResNet, 2 blocks, ngf 4), D (PatchGAN, ndf 4), F (PatchSampleF MLPs,
                                nc 16) and the two image batches, shared by both modes
  {cut,fastcut}_step{1,2}.safetensors
                                after each whole training step: G, D, F, the gradients Adam received, the five losses,
                                and the patch positions and flip used by that step (chosen here and passed explicitly, so both engines agree)
The step follows taesungp/contrastive-unpaired-translation models/cut_model.py (optimize_parameters: forward, D step,
then G and F step with D frozen), models/patchnce.py (PatchNCELoss) and models/networks.py (PatchSampleF 'mlp_sample',
Normalize, ResnetGenerator.forward with layers/encode_only), rewritten here so the script does not depend on that
repository. Networks and helpers come from scripts/make_fixtures.py. Run from the repository root:
python3 scripts/make_cut_fixtures.py. Deterministic: one seeded torch generator, one CPU thread.
"""

import copy
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (ResnetGenerator, NLayerDiscriminator, init_weights, canonicalize_header)

OUT_DIR = os.path.join(mf.ROOT, "Tests", "TranslationTests", "Fixtures", "CUT")

# The tiny configuration (README): everything else is taesungp's default.
BATCH, SIZE = 2, 32
NGF, BLOCKS, NDF, N_LAYERS_D = 4, 2, 4, 3
NCE_LAYERS = [0, 4, 8, 12, 16]   # taesungp's default; all exist in a 2-block generator (21 layers)
NUM_PATCHES = 80                 # 256 in taesungp; 80 keeps the fixture small and clips layer 8 (8×8 = 64 positions)
NETF_NC = 16                     # 256 in taesungp; 16 keeps F (and every file) small
NCE_T, LR, BETAS, LAMBDA_GAN = 0.07, 2e-4, (0.5, 0.999), 1.0
MODES = {  # cut_model.py modify_commandline_options
    "cut": dict(nce_idt=True, lambda_nce=1.0, flip_equivariance=False),
    "fastcut": dict(nce_idt=False, lambda_nce=10.0, flip_equivariance=True),
}
FLIPS = {"cut": [False, False], "fastcut": [True, False]}  # taesungp draws np.random.random() < 0.5


def save(name, tensors, metadata):
    out = {k: v.detach().contiguous().float() for k, v in tensors.items()}
    meta = {"format": "translate-fixture-v1", "generator": "scripts/make_cut_fixtures.py", "torch": torch.__version__}
    meta.update({k: str(v) for k, v in metadata.items()})
    path = os.path.join(OUT_DIR, name)
    os.makedirs(OUT_DIR, exist_ok=True)
    save_file(out, path, metadata=meta)
    mf.canonicalize_header(path)
    os.chmod(path, 0o644)  # save_file creates the file owner-only
    size = os.path.getsize(path)
    print(f"{os.path.relpath(path, mf.ROOT)}: {size} bytes, {len(out)} tensors")
    if size > mf.MAX_BYTES:
        sys.exit(f"fixture {path} is {size} bytes (> {mf.MAX_BYTES})")


def l2norm(x):
    """networks.py Normalize(2): x / (‖x‖₂ + 1e-7) per row."""
    return x / (x.pow(2).sum(1, keepdim=True).pow(0.5) + 1e-7)


def patch_nce(feat_q, feat_k, batch):
    """patchnce.py PatchNCELoss.forward with nce_includes_all_negatives_from_minibatch False (reduction none)."""
    n, dim = feat_q.shape
    feat_k = feat_k.detach()
    l_pos = torch.bmm(feat_q.view(n, 1, -1), feat_k.view(n, -1, 1)).view(n, 1)
    q = feat_q.view(batch, -1, dim)
    k = feat_k.view(batch, -1, dim)
    p = q.size(1)
    l_neg = torch.bmm(q, k.transpose(2, 1))
    l_neg.masked_fill_(torch.eye(p, dtype=torch.bool)[None, :, :], -10.0)
    out = torch.cat((l_pos, l_neg.view(-1, p)), dim=1) / NCE_T
    return F.cross_entropy(out, torch.zeros(n, dtype=torch.long), reduction="none")


class PatchSampleF(nn.Module):
    """networks.py PatchSampleF(use_mlp=True, nc): per layer Linear(C, nc)–ReLU–Linear(nc, nc) on sampled positions,
    then Normalize(2). The MLPs are made up front from the channel counts (taesungp: at the first forward)."""

    def __init__(self, channels, nc):
        super().__init__()
        for i, c in enumerate(channels):
            setattr(self, f"mlp_{i}", nn.Sequential(nn.Linear(c, nc), nn.ReLU(), nn.Linear(nc, nc)))

    def forward(self, feats, patch_ids):
        out = []
        for i, (feat, ids) in enumerate(zip(feats, patch_ids)):
            rows = feat.permute(0, 2, 3, 1).flatten(1, 2)[:, ids, :].flatten(0, 1)
            out.append(l2norm(getattr(self, f"mlp_{i}")(rows)))
        return out


def encode(G, x):
    """networks.py ResnetGenerator.forward(x, NCE_LAYERS, encode_only=True). The generator's ReLUs are in place
    (nn.ReLU(True), as junyanz and taesungp): the one after layer 8 overwrites the collected norm output, so the
    layer-8 feature is rectified; layer 16, the last collected, is returned before its ReLU runs."""
    feats, y = [], x
    for i, layer in enumerate(G.model):
        y = layer(y)
        if i in NCE_LAYERS:
            feats.append(y)
        if i == NCE_LAYERS[-1]:
            return feats


def nce_loss(G, Fnet, src, tgt, ids, flipped, lambda_nce):
    """cut_model.py calculate_NCE_loss."""
    feat_q = encode(G, tgt)
    if flipped:
        feat_q = [torch.flip(f, [3]) for f in feat_q]
    feat_k = encode(G, src)
    k_pool = Fnet(feat_k, ids)
    q_pool = Fnet(feat_q, ids)
    total = 0.0
    for q, k in zip(q_pool, k_pool):
        total = total + (patch_nce(q, k, BATCH) * lambda_nce).mean()
    return total / len(NCE_LAYERS)


def draw_ids(gen, shapes):
    """PatchSampleF's positions: a random permutation of H·W cut to min(NUM_PATCHES, H·W), per layer."""
    return [torch.randperm(h * w, generator=gen)[:min(NUM_PATCHES, h * w)] for (h, w) in shapes]


def train_step(nets, opts, real_A, real_B, mode, ids_x, ids_y, flipped):
    """cut_model.py optimize_parameters: forward, D step, then G and F step with D frozen."""
    G, D, Fnet = nets
    opt_G, opt_D, opt_F = opts
    o = MODES[mode]
    real = torch.cat((real_A, real_B), dim=0) if o["nce_idt"] else real_A
    if flipped:
        real = torch.flip(real, [3])
    fake = G(real)
    fake_B = fake[:BATCH]
    idt_B = fake[BATCH:] if o["nce_idt"] else None

    for p in D.parameters():
        p.requires_grad_(True)
    opt_D.zero_grad()
    pred_fake = D(fake_B.detach())
    loss_D_fake = F.mse_loss(pred_fake, torch.zeros(1).expand_as(pred_fake))
    pred_real = D(real_B)
    loss_D_real = F.mse_loss(pred_real, torch.ones(1).expand_as(pred_real))
    ((loss_D_fake + loss_D_real) * 0.5).backward()
    grads = {f"grad.D.{k}": p.grad.clone() for k, p in D.named_parameters()}
    opt_D.step()

    for p in D.parameters():
        p.requires_grad_(False)
    opt_G.zero_grad()
    opt_F.zero_grad()
    pred_fake = D(fake_B)
    loss_G_GAN = F.mse_loss(pred_fake, torch.ones(1).expand_as(pred_fake)) * LAMBDA_GAN
    loss_NCE = nce_loss(G, Fnet, real_A, fake_B, ids_x, flipped, o["lambda_nce"])
    if o["nce_idt"]:
        loss_NCE_Y = nce_loss(G, Fnet, real_B, idt_B, ids_y, flipped, o["lambda_nce"])
        both = (loss_NCE + loss_NCE_Y) * 0.5
    else:
        loss_NCE_Y = torch.zeros(())
        both = loss_NCE
    (loss_G_GAN + both).backward()
    grads.update({f"grad.{prefix}.{k}": p.grad.clone() for prefix, net in (("G", G), ("F", Fnet))
                  for k, p in net.named_parameters()})
    opt_G.step()
    opt_F.step()
    for p in D.parameters():
        p.requires_grad_(True)
    losses = {"G_GAN": loss_G_GAN, "D_real": loss_D_real, "D_fake": loss_D_fake, "NCE": loss_NCE, "NCE_Y": loss_NCE_Y}
    return losses, grads


def make_networks():
    torch.manual_seed(11)
    G = mf.ResnetGenerator(3, 3, ngf=NGF, norm_layer=mf.instance_norm(), use_dropout=False, n_blocks=BLOCKS)
    D = mf.NLayerDiscriminator(3, ndf=NDF, n_layers=N_LAYERS_D, norm_layer=mf.instance_norm())
    mf.init_weights(G)
    mf.init_weights(D)
    with torch.no_grad():
        channels = [f.shape[1] for f in encode(G, torch.zeros(1, 3, SIZE, SIZE))]
    Fnet = PatchSampleF(channels, NETF_NC)
    mf.init_weights(Fnet)  # init_net(normal, 0.02), biases then perturbed as every fixture network
    return G, D, Fnet


def state(nets):
    out = {}
    for prefix, net in zip(("G", "D", "F"), nets):
        out.update({f"{prefix}.{k}": v.clone() for k, v in net.state_dict().items()})
    return out


def patchnce_fixture():
    """The loss alone: q_raw, k_raw (N·P, D) → l2norm → patch_nce → mean; the gradient of q_raw."""
    gen = torch.Generator().manual_seed(5)
    images, patches, dim = 2, 6, 5
    q_raw = torch.randn(images * patches, dim, generator=gen).requires_grad_(True)
    k_raw = torch.randn(images * patches, dim, generator=gen)
    loss = patch_nce(l2norm(q_raw), l2norm(k_raw), images).mean()
    loss.backward()
    save("patchnce.safetensors", {"query": q_raw, "key": k_raw, "loss": loss.reshape(1), "grad_query": q_raw.grad},
         {"images": images, "patches": patches, "temperature": NCE_T})


def main():
    torch.set_num_threads(1)
    patchnce_fixture()
    G0, D0, F0 = make_networks()
    gen = torch.Generator().manual_seed(7)
    real_A = torch.rand(BATCH, 3, SIZE, SIZE, generator=gen) * 2 - 1
    real_B = torch.rand(BATCH, 3, SIZE, SIZE, generator=gen) * 2 - 1
    with torch.no_grad():
        shapes = [tuple(f.shape[2:]) for f in encode(G0, real_A)]
    config = dict(batch=BATCH, size=SIZE, ngf=NGF, blocks=BLOCKS, ndf=NDF, n_layers_D=N_LAYERS_D,
                  nce_layers=",".join(map(str, NCE_LAYERS)), num_patches=NUM_PATCHES, netF_nc=NETF_NC, nce_T=NCE_T,
                  lr=LR, beta1=BETAS[0], lambda_GAN=LAMBDA_GAN)
    save("initial.safetensors", {**state((G0, D0, F0)), "real_A": real_A, "real_B": real_B}, config)
    for mode in MODES:
        nets = [copy.deepcopy(n) for n in (G0, D0, F0)]
        opts = [torch.optim.Adam(n.parameters(), lr=LR, betas=BETAS) for n in nets]
        for step, flipped in enumerate(FLIPS[mode], start=1):
            ids_x = draw_ids(gen, shapes)
            ids_y = draw_ids(gen, shapes)
            losses, grads = train_step(nets, opts, real_A, real_B, mode, ids_x, ids_y, flipped)
            tensors = state(nets)
            tensors.update(grads)
            tensors.update({f"loss.{k}": v.detach().reshape(1) for k, v in losses.items()})
            tensors.update({f"ids.nce.{i}": ids.float() for i, ids in enumerate(ids_x)})
            if MODES[mode]["nce_idt"]:
                tensors.update({f"ids.nce_y.{i}": ids.float() for i, ids in enumerate(ids_y)})
            save(f"{mode}_step{step}.safetensors", tensors,
                 {**config, **MODES[mode], "mode": mode, "step": step, "flipped": flipped})


if __name__ == "__main__":
    main()
