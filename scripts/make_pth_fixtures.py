#!/usr/bin/env python3
"""PyTorch checkpoint (.pth) fixtures for the restricted unpickler and the .pth model path (issue 13).

Writes into Tests/PyTorchFilesTests/Fixtures/ (contract in that folder's README.md):
  tiny junyanz generators saved by torch.save, in the zip format (torch >= 1.6) and the legacy format
  (`_use_new_zipfile_serialization=False`, the format of the published CycleGAN models), F32, F16 and BF16,
  with and without the dropout layout, `module.`-prefixed (DataParallel), a U-Net, and one whose tensors are
  strided and offset views into shared storages; `generators_io.safetensors` holds the input and PyTorch's
  output of each (computed from the weights as stored, so F16/BF16 outputs use the rounded weights);
  hostile files written by hand (never by pickling a callable): a `posix.system` global, a REDUCE of
  `builtins.eval`, a tensor whose offset runs past its storage, a storage record shorter than it claims.
The networks are scripts/make_fixtures.py's copies of junyanz's models/networks.py.
Run from the repository root:  python3 scripts/make_pth_fixtures.py
"""

import collections
import io
import os
import pickle
import struct
import sys
import zipfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import ResnetGenerator, UnetGenerator, init_weights, instance_norm, save  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "Tests", "PyTorchFilesTests", "Fixtures")
MAX_BYTES = 100 * 1024
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C  # torch/serialization.py MAGIC_NUMBER
LEGACY_PROTOCOL = 1001


def write(name, state, legacy=False):
    path = os.path.join(OUT, name)
    torch.save(state, path, _use_new_zipfile_serialization=not legacy)
    size = os.path.getsize(path)
    print(f"{os.path.relpath(path, ROOT)}: {size} bytes, {len(state)} tensors")
    if size > MAX_BYTES:
        sys.exit(f"fixture {path} is {size} bytes (> {MAX_BYTES})")


def make(net_factory, seed, shape):
    torch.manual_seed(seed)
    net = net_factory()
    init_weights(net)
    net.eval()
    x = torch.rand(shape) * 2 - 1
    return net, x


def weights(net):
    """A copy of the state_dict: `state_dict()` shares the parameters, which output_with overwrites."""
    return collections.OrderedDict((k, v.detach().clone()) for k, v in net.state_dict().items())


def output_with(net, state, x):
    """PyTorch's output with the weights as stored (F16/BF16 rounded), computed in float32."""
    net.load_state_dict({k: v.float() for k, v in state.items()})
    with torch.no_grad():
        return net(x)


def views_of(state):
    """The same values as strided and offset views: each 4-D weight is stored transposed (a permuted view of
    a (k, k, in, out) storage), and all tensors share one storage, each at its own offset."""
    total = sum(t.numel() for t in state.values())
    storage = torch.zeros(total)
    out = collections.OrderedDict()
    offset = 0
    for name, t in state.items():
        n = t.numel()
        if t.dim() == 4:
            o, i, kh, kw = t.shape
            block = storage[offset:offset + n].view(kh, kw, i, o)
            block.copy_(t.permute(2, 3, 1, 0))
            view = block.permute(3, 2, 0, 1)
            assert not view.is_contiguous()
        else:
            view = storage[offset:offset + n].view(t.shape)
            view.copy_(t)
        out[name] = view
        offset += n
    return out


def generators():
    norm = instance_norm()
    io_tensors = {}

    resnet, x = make(lambda: ResnetGenerator(3, 3, ngf=2, norm_layer=norm, n_blocks=2), 1301, (1, 3, 20, 16))
    state = weights(resnet)
    io_tensors["resnet_input"] = x
    io_tensors["resnet_output"] = output_with(resnet, state, x)
    write("resnet_zip_f32.pth", state)
    write("resnet_legacy_f32.pth", state, legacy=True)
    half = collections.OrderedDict((k, v.half()) for k, v in state.items())
    write("resnet_zip_f16.pth", half)
    write("resnet_legacy_f16.pth", half, legacy=True)
    io_tensors["resnet_f16_output"] = output_with(resnet, half, x)
    bf16 = collections.OrderedDict((k, v.bfloat16()) for k, v in state.items())
    write("resnet_zip_bf16.pth", bf16)
    io_tensors["resnet_bf16_output"] = output_with(resnet, bf16, x)
    write("resnet_module_prefix.pth", collections.OrderedDict(("module." + k, v) for k, v in state.items()))
    write("resnet_views.pth", views_of(state))
    write("resnet_views_legacy.pth", views_of(state), legacy=True)

    dropout, x = make(lambda: ResnetGenerator(3, 3, ngf=2, norm_layer=norm, use_dropout=True, n_blocks=2), 1302,
                      (1, 3, 16, 24))
    state = weights(dropout)
    io_tensors["dropout_input"] = x
    io_tensors["dropout_output"] = output_with(dropout, state, x)
    write("resnet_dropout_legacy.pth", state, legacy=True)

    unet, x = make(lambda: UnetGenerator(3, 3, 5, ngf=2, norm_layer=norm), 1303, (1, 3, 32, 32))
    state = weights(unet)
    io_tensors["unet_input"] = x
    io_tensors["unet_output"] = output_with(unet, state, x)
    write("unet_zip_f32.pth", state)
    save(os.path.join(OUT, "generators_io.safetensors"), io_tensors, {"generator": "scripts/make_pth_fixtures.py"})


# ---------------------------------------------------------------------------------------------------------
# Hostile files: pickles written opcode by opcode, so that nothing here ever pickles (or runs) a callable.
# ---------------------------------------------------------------------------------------------------------

def unicode(text):
    data = text.encode()
    return b"X" + struct.pack("<I", len(data)) + data  # BINUNICODE


def global_(module, name):
    return b"c" + module.encode() + b"\n" + name.encode() + b"\n"  # GLOBAL


def binint(n):
    return b"J" + struct.pack("<i", n)  # BININT


def tensor_dict(offset, size, storage_numel, key="0"):
    """A state_dict {'w': tensor} pickled as torch.save does (zip format's persistent id), with a chosen storage
    offset and size: OrderedDict(), then SETITEM 'w' = _rebuild_tensor_v2(storage, offset, (size,), (1,), False,
    OrderedDict())."""
    storage_id = (b"(" + unicode("storage") + global_("torch", "FloatStorage") + unicode(key) + unicode("cpu")
                  + binint(storage_numel) + b"tQ")  # MARK … TUPLE, BINPERSID
    return (b"\x80\x02" + global_("collections", "OrderedDict") + b")R" + unicode("w")
            + global_("torch._utils", "_rebuild_tensor_v2") + b"(" + storage_id + binint(offset)
            + binint(size) + b"\x85" + binint(1) + b"\x85" + b"\x89" + global_("collections", "OrderedDict")
            + b")R" + b"tR" + b"s.")


def write_zip(name, pickle_bytes, storages):
    """A torch-style zip archive (entries STORED): archive/data.pkl, archive/data/<key>, byteorder, version."""
    path = os.path.join(OUT, name)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pickle_bytes)
        z.writestr("archive/byteorder", "little")
        for key, data in storages.items():
            z.writestr(f"archive/data/{key}", data)
        z.writestr("archive/version", "3\n")
    print(f"{os.path.relpath(path, ROOT)}: {os.path.getsize(path)} bytes (hostile)")


def write_legacy(name, pickle_bytes):
    """The legacy stream: magic number, protocol, sys_info, then the object pickle (the rest never read)."""
    path = os.path.join(OUT, name)
    header = io.BytesIO()
    for obj in (LEGACY_MAGIC, LEGACY_PROTOCOL,
                dict(protocol_version=LEGACY_PROTOCOL, little_endian=True,
                     type_sizes=dict(short=2, int=4, long=4))):
        pickle.dump(obj, header, protocol=2)
    with open(path, "wb") as f:
        f.write(header.getvalue() + pickle_bytes + pickle.dumps([], protocol=2))
    print(f"{os.path.relpath(path, ROOT)}: {os.path.getsize(path)} bytes (hostile)")


def hostile():
    four_floats = struct.pack("<4f", 1, 2, 3, 4)
    system = b"\x80\x02" + global_("posix", "system") + b"q\x00" + unicode("echo pwned") + b"\x85R."
    write_zip("hostile_posix_system.pth", system, {})
    write_legacy("hostile_posix_system_legacy.pth", system)
    evil = b"\x80\x02" + global_("builtins", "eval") + unicode("__import__('os').system('echo pwned')") + b"\x85R."
    write_zip("hostile_builtins_eval.pth", evil, {})
    # A storage of 4 floats; the tensor claims 4 elements from offset 3 (one past the end).
    write_zip("hostile_offset.pth", tensor_dict(offset=3, size=4, storage_numel=4), {"0": four_floats})
    # The pickle promises 16 floats; the record holds 4.
    write_zip("hostile_short_storage.pth", tensor_dict(offset=0, size=16, storage_numel=16), {"0": four_floats})
    # The well-formed twin of the two above: must load (so the refusals are about the offsets, not the layout).
    write_zip("handmade_ok.pth", tensor_dict(offset=1, size=3, storage_numel=4), {"0": four_floats})


def main():
    torch.set_num_threads(1)
    os.makedirs(OUT, exist_ok=True)
    generators()
    hostile()


if __name__ == "__main__":
    main()
