from datasets import load_dataset
from transformers import Trainer, TrainingArguments

imdb = load_dataset("stanfordnlp/imdb", revision="e6281661ce1c48d982bc483cf8a173c1bbeb5d31")
trainer = Trainer(model=model, args=TrainingArguments(output_dir="out", report_to="none"), train_dataset=imdb["train"])
trainer.train()
