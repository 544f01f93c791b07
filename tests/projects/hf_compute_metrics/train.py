from transformers import Trainer, TrainingArguments

from metrics import compute

args = TrainingArguments(output_dir="out", eval_strategy="epoch", report_to="none")
trainer = Trainer(model=model, args=args, train_dataset=train_set, eval_dataset=val_set, compute_metrics=compute)
trainer.train()
