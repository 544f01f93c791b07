# rules: ML501

# case: model = pickle.load(fh)
import pickle
with open('m.pkl', 'rb') as fh:
    model = pickle.load(fh)  # expect: ML501 (no fix)

# case: obj = pickle.loads(payload)
import pickle
obj = pickle.loads(payload)  # expect: ML501 (no fix)

# case: model = load(open('m.pkl', 'rb'))
from pickle import load
model = load(open('m.pkl', 'rb'))  # expect: ML501 (no fix)

# case: f = dill.load(fh)
import dill
f = dill.load(fh)  # expect: ML501 (no fix)

# case: f = cp.loads(blob)
import cloudpickle as cp
f = cp.loads(blob)  # expect: ML501 (no fix)

# case: model = joblib.load('model.joblib')
import joblib
model = joblib.load('model.joblib')  # expect: ML501 (no fix)

# case: model = load(path)
from joblib import load
model = load(path)  # expect: ML501 (no fix)

# case: df = pd.read_pickle('frame.pkl')
import pandas as pd
df = pd.read_pickle('frame.pkl')  # expect: ML501 (no fix)

# case: arr = np.load('a.npy', allow_pickle=True)
import numpy as np
arr = np.load('a.npy', allow_pickle=True)  # expect: ML501 (no fix)

# case: state = torch.load('m.pt')
import torch
state = torch.load('m.pt')  # expect: ML501

# case: state = torch.load('m.pt', weights_only=False)
import torch
state = torch.load('m.pt', weights_only=False)  # expect: ML501

# case: cfg = yaml.load(fh)
import yaml
cfg = yaml.load(fh)  # expect: ML501

# case: cfg = yaml.load(fh, Loader=yaml.Loader)
import yaml
cfg = yaml.load(fh, Loader=yaml.Loader)  # expect: ML501

# case: cfg = yaml.load(fh, yaml.FullLoader)
import yaml
cfg = yaml.load(fh, yaml.FullLoader)  # expect: ML501

# case: docs = list(yaml.load_all(fh))
import yaml
docs = list(yaml.load_all(fh))  # expect: ML501

# case: m = keras.models.load_model('m.keras', safe_mode=False)
from tensorflow import keras
m = keras.models.load_model('m.keras', safe_mode=False)  # expect: ML501 (no fix)

# case: m = tf.keras.models.load_model('m.keras', safe_mode=False)
import tensorflow as tf
m = tf.keras.models.load_model('m.keras', safe_mode=False)  # expect: ML501 (no fix)

# case: net.load_state_dict(torch.load(path, map_location='cpu'))
import torch
def restore(net, path):
    net.load_state_dict(torch.load(path, map_location='cpu'))  # expect: ML501

# case: cfg = yaml.safe_load(fh)
import yaml
cfg = yaml.safe_load(fh)

# case: cfg = yaml.load(fh, Loader=yaml.SafeLoader)
import yaml
cfg = yaml.load(fh, Loader=yaml.SafeLoader)

# case: cfg = yaml.load(fh, Loader=yaml.CSafeLoader)
import yaml
cfg = yaml.load(fh, Loader=yaml.CSafeLoader)

# case: cfg = yaml.load(fh, yaml.BaseLoader)
import yaml
cfg = yaml.load(fh, yaml.BaseLoader)

# case: cfg = load(fh, Loader=SafeLoader)
from yaml import SafeLoader, load
cfg = load(fh, Loader=SafeLoader)

# case: a loader we cannot see: stay silent
import yaml
cfg = yaml.load(fh, Loader=ProjectLoader)

# case: cfg = yaml.load(fh, **options)
import yaml
cfg = yaml.load(fh, **options)

# case: state = torch.load('m.pt', weights_only=True)
import torch
state = torch.load('m.pt', weights_only=True)

# case: state = torch.load('m.pt', **kwargs)
import torch
state = torch.load('m.pt', **kwargs)

# case: state = torch.load('m.pt', weights_only=flag)
import torch
state = torch.load('m.pt', weights_only=flag)

# case: arr = np.load('a.npy')
import numpy as np
arr = np.load('a.npy')

# case: arr = np.load('a.npy', allow_pickle=False)
import numpy as np
arr = np.load('a.npy', allow_pickle=False)

# case: cfg = json.load(fh)
import json
cfg = json.load(fh)

# case: pickle.dump(obj, fh)
import pickle
pickle.dump(obj, fh)

# case: m = keras.models.load_model('m.keras')
from tensorflow import keras
m = keras.models.load_model('m.keras')

# case: df = pd.read_parquet('frame.parquet')
import pandas as pd
df = pd.read_parquet('frame.parquet')

# case: a local function
def load(x):
    return x
model = load('m.pkl')

# case: an unknown object's method
model = store.load('m.pkl')

# case: a round trip of our own object
import pickle
pickle.loads(pickle.dumps(exc))

# case: clone = cloudpickle.loads(cloudpickle.dumps(fn))
import cloudpickle
clone = cloudpickle.loads(cloudpickle.dumps(fn))

# case: no fix: no `yaml.` prefix to rewrite to
from yaml import load
cfg = load(fh)  # expect: ML501 (no fix)
