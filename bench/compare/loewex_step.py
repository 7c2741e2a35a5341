"""Times one training step of loeweX/Forward-Forward's FF_model (src/ff_model.py: its forward pass over
positive, negative and neutral images, backward pass and SGD step) on real MNIST batches, for the
side-by-side comparison in docs/performance.md.

    python3 loewex_step.py LOEWEX_CHECKOUT MNIST_FOLDER

Environment: STEPS (default 60), TORCH_THREADS (intra-op threads, default 1), HIDDEN (2000), LAYERS (4).
The model and optimizer come from the checkout's own src/utils.py with the paper's settings (batch 100,
peer normalisation 0.03, momentum 0.9, weight decay 3e-4); its config loaders (hydra, omegaconf) and
torchvision are not needed and are stubbed out."""
import contextlib
import gzip
import io
import os
import sys
import time
import types
from types import SimpleNamespace as NS

import numpy as np

checkout, mnist = sys.argv[1], sys.argv[2]
for name in ['torchvision', 'hydra', 'hydra.utils', 'omegaconf']:
    sys.modules[name] = types.ModuleType(name)
sys.modules['hydra.utils'].get_original_cwd = lambda: '.'
sys.modules['omegaconf'].OmegaConf = None
sys.modules['omegaconf'].DictConfig = None
sys.path.insert(0, checkout)
import torch  # noqa: E402
from src import utils  # noqa: E402

hidden = int(os.environ.get('HIDDEN', 2000))
layers = int(os.environ.get('LAYERS', 4))
steps = int(os.environ.get('STEPS', 60))
batch_size = 100
torch.set_num_threads(int(os.environ.get('TORCH_THREADS', 1)))
settings = NS(seed=42, device='cpu', input=NS(batch_size=batch_size),
              model=NS(peer_normalization=0.03, momentum=0.9, hidden_dim=hidden, num_layers=layers),
              training=NS(learning_rate=1e-3, weight_decay=3e-4, momentum=0.9, downstream_learning_rate=1e-2,
                          downstream_weight_decay=3e-3))
torch.manual_seed(42)
with contextlib.redirect_stdout(io.StringIO()):
    model, optimizer = utils.get_model_and_optimizer(settings)

with gzip.open(os.path.join(mnist, 'train-images-idx3-ubyte.gz')) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open(os.path.join(mnist, 'train-labels-idx1-ubyte.gz')) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
x = (torch.from_numpy(images[:steps * batch_size].astype(np.float32) / 255.0) - 0.1307) / 0.3081
y = torch.from_numpy(labels[:steps * batch_size])
rng = np.random.default_rng(42)


def batch(step):
    """The step's positive, negative and neutral images, labels in the first 10 pixels as loeweX does."""
    xb, yb = x[step * batch_size:(step + 1) * batch_size], y[step * batch_size:(step + 1) * batch_size]
    positive = xb.clone()
    positive[:, 0, 0, :10] = torch.nn.functional.one_hot(yb, 10)
    wrong = (yb + torch.from_numpy(rng.integers(1, 10, batch_size))) % 10
    negative = xb.clone()
    negative[:, 0, 0, :10] = torch.nn.functional.one_hot(wrong, 10)
    neutral = xb.clone()
    neutral[:, 0, 0, :10] = 0.1
    return {'pos_images': positive, 'neg_images': negative, 'neutral_sample': neutral}, {'class_labels': yb}


batches = [batch(s) for s in range(steps)]
seconds = []
for inputs, targets in batches:
    started = time.perf_counter()
    optimizer.zero_grad()
    loss = model(inputs, targets)['Loss']
    loss.backward()
    optimizer.step()
    seconds.append(time.perf_counter() - started)
warm = seconds[5:]
print(f"loeweX FF_model {layers}x{hidden} batch {batch_size}: {1e3 * np.median(warm):.1f} ms a step "
      f"(median of {len(warm)} after 5 to warm up), torch {torch.__version__}, "
      f"intra-op threads {torch.get_num_threads()}, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', '')}")
