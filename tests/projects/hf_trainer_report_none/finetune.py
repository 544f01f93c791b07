from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments

model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased", num_labels=2)
args = TrainingArguments(output_dir="out", report_to="none", seed=0)
trainer = Trainer(model=model, args=args, train_dataset=train_set)
trainer.train()  # expect: ML601
