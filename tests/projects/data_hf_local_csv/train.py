from datasets import load_dataset
from transformers import Trainer, TrainingArguments

reviews = load_dataset("csv", data_files={"train": "data/reviews.csv"})  # expect: ML606
trainer = Trainer(model=model, args=TrainingArguments(output_dir="out", report_to="none"), train_dataset=reviews["train"])
trainer.train()
