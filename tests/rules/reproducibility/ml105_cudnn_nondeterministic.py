# rules: ML105

# case: benchmark on in a seeded file
import torch
torch.manual_seed(0)
torch.backends.cudnn.benchmark = True  # expect: ML105
# fixed:
import torch
torch.manual_seed(0)
torch.backends.cudnn.benchmark = False
torch.backends.cudnn.deterministic = True

# case: cudnn imported from torch.backends
import torch
from torch.backends import cudnn
torch.manual_seed(42)
cudnn.benchmark = True  # expect: ML105
# fixed:
import torch
from torch.backends import cudnn
torch.manual_seed(42)
cudnn.benchmark = False
cudnn.deterministic = True

# case: cudnn imported as a module alias
import torch
import torch.backends.cudnn as cudnn
torch.manual_seed(1)
cudnn.benchmark = True  # expect: ML105

# case: seeded by lightning seed_everything
import torch
import pytorch_lightning as pl
pl.seed_everything(7)
torch.backends.cudnn.benchmark = True  # expect: ML105

# case: seeded by a local helper, benchmark in main
import random
import numpy as np
import torch

def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)

def main():
    set_seed(0)
    torch.backends.cudnn.benchmark = True  # expect: ML105
    train()

# case: deterministic algorithms turned off
import torch
torch.manual_seed(0)
torch.use_deterministic_algorithms(False)  # expect: ML105
# fixed:
import torch
torch.manual_seed(0)
torch.backends.cudnn.deterministic = True; torch.backends.cudnn.benchmark = False

# case: deterministic algorithms turned off by keyword
import torch as T
T.manual_seed(0)
T.use_deterministic_algorithms(mode=False)  # expect: ML105

# case: deterministic already set, benchmark still on
import torch
torch.manual_seed(0)
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = True  # expect: ML105
# fixed:
import torch
torch.manual_seed(0)
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = False

# case: seeded by transformers set_seed
import torch
from transformers import set_seed
set_seed(42)
if torch.cuda.is_available():
    torch.backends.cudnn.benchmark = True  # expect: ML105

# case: benchmark on in a file that never seeds torch
import torch
torch.backends.cudnn.benchmark = True

# case: only numpy is seeded
import numpy as np
import torch
np.random.seed(0)
torch.backends.cudnn.benchmark = True

# case: benchmark turned off
import torch
torch.manual_seed(0)
torch.backends.cudnn.benchmark = False

# case: deterministic algorithms turned on
import torch
torch.manual_seed(0)
torch.use_deterministic_algorithms(True)

# case: benchmark chosen by a deterministic flag
import torch
torch.manual_seed(args.seed)
if args.deterministic:
    torch.backends.cudnn.deterministic = True
else:
    torch.backends.cudnn.benchmark = True

# case: benchmark from a setting
import torch
torch.manual_seed(0)
torch.backends.cudnn.benchmark = args.benchmark

# case: benchmark read, not set
import torch
torch.manual_seed(0)
print(torch.backends.cudnn.benchmark)

# case: an unrelated benchmark attribute
import torch
torch.manual_seed(0)
config.benchmark = True

# case: benchmark only when not reproducible
import torch
torch.manual_seed(0)
if not reproducible:
    torch.backends.cudnn.benchmark = True
