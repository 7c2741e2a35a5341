"""Times the seed notebook's own PyTorch training ([500,500], batch 64, its 20000/2000 subset, Adam at
0.03): four epochs of its train_simple_ff, each with its evaluation, for the side-by-side comparison of
the headline epoch in docs/performance.md.

    python3 notebook_epoch.py NOTEBOOK_TEXT MNIST_FOLDER

NOTEBOOK_TEXT is the notebook exported as text; its data loading, subset, network and training
functions run as written (taken from the text between their first lines and the next print). TORCH_THREADS
sets the intra-op threads (default 1)."""
import contextlib
import gzip  # noqa: F401 (the notebook's cells use these names)
import io
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn  # noqa: F401
import torch.nn.functional as F  # noqa: F401

notebook, mnist = sys.argv[1], sys.argv[2]
torch.set_num_threads(int(os.environ.get('TORCH_THREADS', 1)))
text = open(notebook).read()


def cell(start, end):
    """The notebook's code from the line starting with `start` up to `end`."""
    i = text.index(start)
    return text[i:text.index(end, i)]


scope = dict(globals())
exec(cell('def load_mnist_images', '# Download and load'), scope)
scope['paths'] = {name: os.path.join(mnist, file) for name, file in [
    ('train_images', 'train-images-idx3-ubyte.gz'), ('train_labels', 'train-labels-idx1-ubyte.gz'),
    ('test_images', 't10k-images-idx3-ubyte.gz'), ('test_labels', 't10k-labels-idx1-ubyte.gz')]}
exec(cell('X_train_full = torch', 'print(f"Full dataset'), scope)
exec(cell('N_TRAIN = 20000', 'print(f"\\nUsing subset'), scope)
exec(cell('def ff_loss', 'print("Training functions defined'), scope)
torch.manual_seed(42)
with contextlib.redirect_stdout(io.StringIO()):
    model = scope['SimpleFFNetwork'](input_dim=784, hidden_dims=[500, 500], n_classes=10)
seconds = []
for epoch in range(4):
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        scope['train_simple_ff'](model, scope['X_train'], scope['y_train'], scope['X_test'], scope['y_test'],
                                 n_epochs=1, lr=0.03, batch_size=64, verbose=False)
    seconds.append(time.perf_counter() - started)
print("notebook epoch seconds (training and evaluation): " + " ".join(f"{s:.2f}" for s in seconds)
      + f" | median of epochs 2-4: {np.median(seconds[1:]):.2f} s | intra-op threads {torch.get_num_threads()}, "
      f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '')}")
