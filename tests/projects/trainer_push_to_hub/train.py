from transformers import Trainer, TrainingArguments

args = TrainingArguments(output_dir="out", push_to_hub=True, report_to="none")
trainer = Trainer(model=model, args=args, train_dataset=train_set)
trainer.train()
trainer.save_model()
trainer.push_to_hub()
