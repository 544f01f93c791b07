from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments

model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=3)
trainer = Trainer(model=model, args=TrainingArguments(output_dir="out", seed=1), train_dataset=train_set)
trainer.train()
