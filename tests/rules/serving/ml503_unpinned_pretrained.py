# rules: ML503

# case: m = AutoModel.from_pretrained('bert-org/bert-base')
from transformers import AutoModel
m = AutoModel.from_pretrained('bert-org/bert-base')  # expect: ML503

# case: t = AutoTokenizer.from_pretrained(pretrained_model_name_or_path='org/m
from transformers import AutoTokenizer
t = AutoTokenizer.from_pretrained(pretrained_model_name_or_path='org/m')  # expect: ML503

# case: m = tr.AutoModelForSequenceClassification.from_pretrained('org/m', num
import transformers as tr
m = tr.AutoModelForSequenceClassification.from_pretrained('org/m', num_labels=2)  # expect: ML503

# case: p = pipeline('sentiment-analysis', model='org/m')
from transformers import pipeline
p = pipeline('sentiment-analysis', model='org/m')  # expect: ML503

# case: p = pipeline('sentiment-analysis', 'org/m')
from transformers import pipeline
p = pipeline('sentiment-analysis', 'org/m')  # expect: ML503

# case: ds = load_dataset('org/data', split='train')
from datasets import load_dataset
ds = load_dataset('org/data', split='train')  # expect: ML503

# case: p = hf_hub_download(repo_id='org/m', filename='w.bin')
from huggingface_hub import hf_hub_download
p = hf_hub_download(repo_id='org/m', filename='w.bin')  # expect: ML503

# case: p = hf_hub_download('org/m', 'w.bin')
from huggingface_hub import hf_hub_download
p = hf_hub_download('org/m', 'w.bin')  # expect: ML503

# case: p = snapshot_download('org/m')
from huggingface_hub import snapshot_download
p = snapshot_download('org/m')  # expect: ML503

# case: m = torch.hub.load('pytorch/vision', 'resnet18')
import torch
m = torch.hub.load('pytorch/vision', 'resnet18')  # expect: ML503

# case: m = torch.hub.load(repo_or_dir='owner/repo', model='m', source='github
import torch
m = torch.hub.load(repo_or_dir='owner/repo', model='m', source='github')  # expect: ML503

# case: return self.cls.from_pretrained('org/m')
import transformers
class Encoder:
    def load(self):
        return self.cls.from_pretrained('org/m')  # expect: ML503

# case: m = AutoModel.from_pretrained('org/m', revision='3f1c2b7')
from transformers import AutoModel
m = AutoModel.from_pretrained('org/m', revision='3f1c2b7')

# case: m = AutoModel.from_pretrained('./checkpoints/best')
from transformers import AutoModel
m = AutoModel.from_pretrained('./checkpoints/best')

# case: m = AutoModel.from_pretrained('/models/bert')
from transformers import AutoModel
m = AutoModel.from_pretrained('/models/bert')

# case: m = AutoModel.from_pretrained('~/models/bert')
from transformers import AutoModel
m = AutoModel.from_pretrained('~/models/bert')

# case: the id is a variable
from transformers import AutoModel
m = AutoModel.from_pretrained(MODEL_NAME)

# case: m = AutoModel.from_pretrained(f'org/{name}')
from transformers import AutoModel
m = AutoModel.from_pretrained(f'org/{name}')

# case: a canonical id without an org/
from transformers import AutoModel
m = AutoModel.from_pretrained('bert-base-uncased')

# case: m = AutoModel.from_pretrained('org/m', **options)
from transformers import AutoModel
m = AutoModel.from_pretrained('org/m', **options)

# case: a local folder
from transformers import AutoModel
m = AutoModel.from_pretrained('outputs/run-3')

# case: m = AutoModel.from_pretrained('saved_model/final')
from transformers import AutoModel
m = AutoModel.from_pretrained('saved_model/final')

# case: a file in a folder, not a hub id
from transformers import AutoModel
m = AutoModel.from_pretrained('org/weights.bin')

# case: ds = load_dataset('csv', data_files='train.csv')
from datasets import load_dataset
ds = load_dataset('csv', data_files='train.csv')

# case: ds = load_dataset('imdb')
from datasets import load_dataset
ds = load_dataset('imdb')

# case: ds = load_dataset('json', data_files='data/train.jsonl')
from datasets import load_dataset
ds = load_dataset('json', data_files='data/train.jsonl')

# case: ds = load_dataset('org/data', revision='v1.0')
from datasets import load_dataset
ds = load_dataset('org/data', revision='v1.0')

# case: p = pipeline('sentiment-analysis')
from transformers import pipeline
p = pipeline('sentiment-analysis')

# case: p = pipeline('ner', model='org/m', revision='abc')
from transformers import pipeline
p = pipeline('ner', model='org/m', revision='abc')

# case: p = hf_hub_download('org/m', 'w.bin', revision='abc')
from huggingface_hub import hf_hub_download
p = hf_hub_download('org/m', 'w.bin', revision='abc')

# case: m = torch.hub.load('pytorch/vision:v0.10.0', 'resnet18')
import torch
m = torch.hub.load('pytorch/vision:v0.10.0', 'resnet18')

# case: m = torch.hub.load('path/to/repo', 'm', source='local')
import torch
m = torch.hub.load('path/to/repo', 'm', source='local')

# case: m = torch.hub.load(REPO, 'm')
import torch
m = torch.hub.load(REPO, 'm')

# case: no Hugging Face import
m = Foo.from_pretrained('org/m')

# case: m = mylib.load('org/m')
import mylib
m = mylib.load('org/m')
