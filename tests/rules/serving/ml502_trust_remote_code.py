# rules: ML502

# case: m = AutoModel.from_pretrained('org/m', trust_remote_code=True)
from transformers import AutoModel
m = AutoModel.from_pretrained('org/m', trust_remote_code=True)  # expect: ML502

# case: t = T.from_pretrained(name, trust_remote_code=True)
from transformers import AutoTokenizer as T
t = T.from_pretrained(name, trust_remote_code=True)  # expect: ML502

# case: m = transformers.AutoModelForCausalLM.from_pretrained(p, revision='a1'
import transformers
m = transformers.AutoModelForCausalLM.from_pretrained(p, revision='a1', trust_remote_code=True)  # expect: ML502

# case: p = pipeline('feature-extraction', model=name, trust_remote_code=True)
from transformers import pipeline
p = pipeline('feature-extraction', model=name, trust_remote_code=True)  # expect: ML502

# case: ds = load_dataset('org/data', trust_remote_code=True)
from datasets import load_dataset
ds = load_dataset('org/data', trust_remote_code=True)  # expect: ML502

# case: ds = datasets.load_dataset(path, trust_remote_code=True)
import datasets
ds = datasets.load_dataset(path, trust_remote_code=True)  # expect: ML502

# case: c = AutoConfig.from_pretrained(p, trust_remote_code=True)
from transformers import AutoConfig
c = AutoConfig.from_pretrained(p, trust_remote_code=True)  # expect: ML502

# case: m = AutoModel.from_config(cfg, trust_remote_code=True)
from transformers import AutoModel
m = AutoModel.from_config(cfg, trust_remote_code=True)  # expect: ML502

# case: return cls.from_pretrained(p, trust_remote_code=True)
import transformers
def load(cls, p):
    return cls.from_pretrained(p, trust_remote_code=True)  # expect: ML502

# case: m = SentenceTransformer(p, trust_remote_code=True)
from sentence_transformers import SentenceTransformer
m = SentenceTransformer(p, trust_remote_code=True)  # expect: ML502

# case: m = AutoModel.from_pretrained('org/m')
from transformers import AutoModel
m = AutoModel.from_pretrained('org/m')

# case: m = AutoModel.from_pretrained('org/m', trust_remote_code=False)
from transformers import AutoModel
m = AutoModel.from_pretrained('org/m', trust_remote_code=False)

# case: m = AutoModel.from_pretrained('org/m', trust_remote_code=flag)
from transformers import AutoModel
m = AutoModel.from_pretrained('org/m', trust_remote_code=flag)

# case: m = AutoModel.from_pretrained('org/m', **kwargs)
from transformers import AutoModel
m = AutoModel.from_pretrained('org/m', **kwargs)

# case: no Hugging Face import: unknown
m = Thing.from_pretrained('org/m', trust_remote_code=True)

# case: f(trust_remote_code=True)
def f(trust_remote_code=True):
    pass
f(trust_remote_code=True)

# case: not a Hugging Face call
from transformers import AutoModel
f(trust_remote_code=True)

# case: mylib.load(trust_remote_code=True)
import mylib
mylib.load(trust_remote_code=True)

# case: m = AutoModel.from_pretrained('../model/local', trust_remote_code=True
from transformers import AutoModel
m = AutoModel.from_pretrained('../model/local', trust_remote_code=True)

# case: m = AutoModel.from_pretrained('/srv/models/x', trust_remote_code=True)
from transformers import AutoModel
m = AutoModel.from_pretrained('/srv/models/x', trust_remote_code=True)
