from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments

model = AutoModelForSequenceClassification.from_pretrained("roberta-base", num_labels=2)
trainer = Trainer(model=model, args=TrainingArguments(output_dir="out", report_to="none"), train_dataset=train_set)
trainer.train()
model.save_pretrained("models/sentiment")  # expect: ML605
