from transformers import Trainer, TrainingArguments

trainer = Trainer(model=model, args=TrainingArguments("out"), train_dataset=train)
trainer.train()
