# rules: ML104

# case: shuffling DataLoader
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

loader = DataLoader(train_set, batch_size=32, shuffle=True)  # expect: ML104

# case: backward in a loop
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in batches:
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()  # expect: ML104
    opt.step()

# case: one finding per file, on the first use
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

loader = DataLoader(train_set, shuffle=True)  # expect: ML104
for x, y in loader:
    loss = criterion(model(x), y)
    loss.backward()

# case: seeded only after the first use
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

loader = DataLoader(train_set, shuffle=True)  # expect: ML104
torch.manual_seed(0)

# case: numpy seed does not seed torch
import numpy as np
import torch
from torch.utils.data import DataLoader
np.random.seed(0)
loader = DataLoader(data, shuffle=True)  # expect: ML104

# case: use inside a function of a file that never seeds torch
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

def train(model, data):
    for x, y in DataLoader(data, shuffle=True):  # expect: ML104
        pass

# case: lightning module trained by a Trainer
import lightning as L
import torch.nn as nn
class Classifier(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 2)
model = Classifier()  # expect: ML104
trainer = L.Trainer(max_epochs=3)
trainer.fit(model, datamodule=dm)

# case: nn.Module subclass given to an optimizer
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

class Base(nn.Module):
    pass
class Net(Base):
    pass
model = Net().to("cuda")  # expect: ML104
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

# case: keras fit of a compiled model
import tensorflow as tf
model = build_model()
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=5)  # expect: ML104

# case: keras Sequential
from tensorflow import keras
model = keras.Sequential([keras.layers.Dense(1)])
history = model.fit(X, y)  # expect: ML104

# case: tf.data shuffle
import tensorflow as tf
ds = tf.data.Dataset.from_tensor_slices((X, y))
ds = ds.shuffle(1000).batch(32)  # expect: ML104

# case: hugging face head initialised before the Trainer
from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)  # expect: ML104
trainer = Trainer(model=model, args=TrainingArguments("out"), train_dataset=train_ds)
trainer.train()

# case: any *For<Task> class
import transformers
model = transformers.BertForTokenClassification.from_pretrained("bert-base-cased", num_labels=9)  # expect: ML104
trainer = transformers.Trainer(model=model)

# case: torch seeded first
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

torch.manual_seed(0)
loader = DataLoader(train_set, shuffle=True)

# case: torch seeded after the loader is built but before it is iterated for training
import torch
from torch.utils.data import DataLoader

loader = DataLoader(train_set, batch_size=32, shuffle=True)
images, labels = next(iter(loader))
print(len(loader))
torch.manual_seed(42)
results = train(model=model, train_dataloader=loader, epochs=5)

# case: notebook: the seed in a later cell still comes before the training loop
# cell
import torch
from torch.utils.data import DataLoader
loader = DataLoader(train_set, shuffle=True)
# cell
torch.manual_seed(0)
# cell
for epoch in range(3):
    for batch, (x, y) in enumerate(loader):
        step(x, y)

# case: a loader iterated through enumerate(tqdm(...)) before any seed
import torch
from torch.utils.data import DataLoader
from tqdm import tqdm

loader = DataLoader(train_set, shuffle=True)  # expect: ML104
print(len(loader))
for epoch in range(3):
    for step, batch in enumerate(tqdm(loader)):
        train_step(batch)

# case: a loader only looked at (one batch shown) draws no training order
import torch
from torch.utils.data import DataLoader

preview_loader = DataLoader(train_set, batch_size=8, shuffle=True)
images, labels = next(iter(preview_loader))
print(len(preview_loader))

# case: a value model handed to PPO is trained
from transformers import AutoModelForSequenceClassification
from trl import PPOTrainer
value_model = AutoModelForSequenceClassification.from_pretrained("org/base", num_labels=1)  # expect: ML104
trainer = PPOTrainer(args=args, model=policy, value_model=value_model, reward_model=reward_model)

# case: torch seeded only after the loader has been iterated for training
import torch
from torch.utils.data import DataLoader

loader = DataLoader(train_set, shuffle=True)  # expect: ML104
for x, y in loader:
    step(x, y)
torch.manual_seed(0)

# case: a loader handed to training code before any seed
import torch
from torch.utils.data import DataLoader

loader = DataLoader(train_set, shuffle=True)  # expect: ML104
trainer.fit(model, loader)
torch.manual_seed(0)
trainer.fit(model, loader)

# case: no shuffling, no training
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

loader = DataLoader(test_set, batch_size=64)
other = DataLoader(test_set, shuffle=False)
with torch.no_grad():
    preds = [model(x) for x in loader]

# case: module built but never trained
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

class Net(nn.Module):
    pass
model = Net()
model.load_state_dict(torch.load("w.pt", weights_only=True))

# case: tensorflow seeded
import tensorflow as tf
tf.random.set_seed(1)
model.compile(optimizer="adam", loss="mse")
model.fit(X, y)

# case: keras set_random_seed
import keras
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.layers.Dense(1)])
model.fit(X, y)

# case: lightning seed_everything
import pytorch_lightning as pl
import torch
pl.seed_everything(7)
loss.backward()

# case: use in a function, seeded in the main block
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

def train(data):
    for x, y in DataLoader(data, shuffle=True):
        loss(x, y).backward()
if __name__ == "__main__":
    torch.manual_seed(0)
    train(load())

# case: local seeding helper
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

def fix_seeds(seed):
    torch.manual_seed(seed)
fix_seeds(1)
loader = DataLoader(train_set, shuffle=True)

# case: hugging face Trainer alone
from transformers import AutoModelForSequenceClassification, Trainer
def model_init():
    return AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
trainer = Trainer(model_init=model_init, args=args)
plain = Trainer(model=existing_model, args=args)

# case: hugging face seeded first
from transformers import AutoModelForSequenceClassification, Trainer, set_seed
set_seed(42)
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
trainer = Trainer(model=model)

# case: hugging face model without a new head
from transformers import AutoModel, Trainer
model = AutoModel.from_pretrained("bert-base-uncased")
trainer = Trainer(model=model)

# case: sklearn fit in a tensorflow file
import tensorflow as tf
from sklearn.linear_model import LinearRegression
reg = LinearRegression()
reg.fit(X, y)

# case: seeded tf.data shuffle and other shuffles
import numpy as np
import tensorflow as tf
ds = tf.data.Dataset.from_tensor_slices(X).shuffle(100, seed=1)
np.random.shuffle(rows)
items.shuffle()

# case: notebook: the first training use in a later cell
# cell
import torch
from torch.utils.data import DataLoader
# cell
model = make_model()
# cell
for x, y in DataLoader(ds, shuffle=True):  # expect: ML104
    loss_fn(model(x), y).backward()

# case: notebook: seeded in the first cell
# cell
import torch
torch.manual_seed(0)
# cell
loss.backward()

# case: fix: torch seeded through its alias
import torch as T
from torch.utils.data import DataLoader
loader = DataLoader(ds, shuffle=True)  # expect: ML104
# fixed:
import torch as T
from torch.utils.data import DataLoader

SEED = 42
T.manual_seed(SEED)
loader = DataLoader(ds, shuffle=True)

# case: accelerate's set_seed
import torch
from accelerate.utils import set_seed
from torch.utils.data import DataLoader
set_seed(0)
loader = DataLoader(ds, shuffle=True)

# case: accelerate.utils.set_seed through the package
import torch
import accelerate
from torch.utils.data import DataLoader
accelerate.utils.set_seed(0)
loader = DataLoader(ds, shuffle=True)

# case: language-model checkpoints have no new head
from transformers import (AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoModelForMaskedLM,
                          AutoModelForVision2Seq, T5ForConditionalGeneration, Trainer)
a = AutoModelForCausalLM.from_pretrained("gpt2")
b = AutoModelForSeq2SeqLM.from_pretrained("t5-small")
c = AutoModelForMaskedLM.from_pretrained("bert-base-uncased")
d = AutoModelForVision2Seq.from_pretrained("Salesforce/blip-image-captioning-base")
e = T5ForConditionalGeneration.from_pretrained("t5-small")
trainer = Trainer(model=a, train_dataset=train)
trainer.train()

# case: a fine-tuned classifier without num_labels
from transformers import AutoModelForSequenceClassification, Trainer
model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased-finetuned-sst-2-english")
trainer = Trainer(model=model, train_dataset=train)
trainer.train()

# case: a classifier head sized by its labels
from transformers import AutoModelForSequenceClassification, Trainer
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=3)  # expect: ML104
trainer = Trainer(model=model, train_dataset=train)
trainer.train()

# case: a reward model handed to the trainer only as a judge is never trained
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification
from trl import OnlineDPOTrainer
model = AutoModelForCausalLM.from_pretrained("org/policy")
reward_model = AutoModelForSequenceClassification.from_pretrained("org/reward", num_labels=1)
trainer = OnlineDPOTrainer(model=model, reward_funcs=reward_model, args=args)

# case: a classifier that is both the judge and the trained model is trained
from transformers import AutoModelForSequenceClassification
from trl import RewardTrainer
reward_model = AutoModelForSequenceClassification.from_pretrained("org/base", num_labels=1)  # expect: ML104
trainer = RewardTrainer(reward_model, ref_model=reward_model, args=args)

# case: from_config builds a random model
from transformers import AutoConfig, AutoModelForCausalLM
config = AutoConfig.from_pretrained("gpt2")
model = AutoModelForCausalLM.from_config(config)  # expect: ML104

# case: from_config after a seed
from transformers import AutoConfig, AutoModelForCausalLM, set_seed
set_seed(0)
model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained("gpt2"))

# case: a config's own from_config is not a model
import transformers
from mylib import Builder
config = Builder.from_config(cfg)

# case: statsmodels fit before the name holds a Keras model
from statsmodels.tsa.arima.model import ARIMA
from tensorflow import keras
import tensorflow as tf
model = ARIMA(series, order=(1, 1, 1))
result = model.fit()
tf.random.set_seed(0)
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y)

# case: a Keras fit after the statsmodels one is still found
from statsmodels.tsa.arima.model import ARIMA
from tensorflow import keras
model = ARIMA(series, order=(1, 1, 1))
result = model.fit()
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y)  # expect: ML104

# case: a GradientTape loop trains
import tensorflow as tf
for x, y in batches:
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))  # expect: ML104

# case: a seeded GradientTape loop
import tensorflow as tf
tf.random.set_seed(0)
for x, y in batches:
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))

# case: a GradientTape used only for saliency
import tensorflow as tf
with tf.GradientTape() as tape:
    tape.watch(image)
    score = model(image)
saliency = tape.gradient(score, image)
