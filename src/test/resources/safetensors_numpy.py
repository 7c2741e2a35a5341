"""Reads an ffspark safetensors export with NumPy alone, as a PyTorch user's notebook would.

Usage: safetensors_numpy.py MODEL.safetensors MNIST_TEST_IMAGES.gz COUNT OUT.safetensors

Runs the notebook's simple FF network (input [pixels / 255, one-hot label] divided by its length,
then ReLU layers, each layer's input divided by its length; the goodness of a layer is the mean of its
squared activities) on the first COUNT test images under every label, prints one line per image,
"i prediction", and writes the tensors back, unchanged, to OUT.safetensors in the same layout.
"""
import gzip
import json
import struct
import sys

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", name
        begin, end = info["data_offsets"]
        raw = data[8 + length + begin:8 + length + end]
        tensors[name] = np.frombuffer(raw, dtype="<f4").reshape(info["shape"])
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    for name, t in tensors.items():
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + t.nbytes]}
        offset += t.nbytes
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for t in tensors.values():
            f.write(t.astype("<f4").tobytes())


def read_images(path, count):
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803
        pixels = np.frombuffer(f.read(count * rows * cols), dtype=np.uint8)
    return pixels.reshape(count, rows * cols).astype(np.float32) / np.float32(255)


def main():
    model, images, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    tensors, metadata = read_safetensors(model)
    classes = int(metadata.get("classes", "10"))
    x = read_images(images, count)
    layers = 0
    while f"layers.{layers}.linear.weight" in tensors:
        layers += 1
    goodness = np.zeros((count, classes), dtype=np.float64)
    for c in range(classes):
        label = np.zeros((count, classes), dtype=np.float32)
        label[:, c] = 1
        h = np.concatenate([x, label], axis=1).astype(np.float64)
        for l in range(layers):
            w = tensors[f"layers.{l}.linear.weight"].astype(np.float64)
            b = tensors[f"layers.{l}.linear.bias"].astype(np.float64)
            h = h / (np.linalg.norm(h, axis=1, keepdims=True) + 1e-8)
            h = np.maximum(h @ w.T + b, 0)
            goodness[:, c] += (h ** 2).mean(axis=1)
    for i, p in enumerate(goodness.argmax(axis=1)):
        print(i, int(p))
    write_safetensors(out, tensors, metadata)


if __name__ == "__main__":
    main()
