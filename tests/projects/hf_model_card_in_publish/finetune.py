from transformers import AutoModelForTokenClassification

model = AutoModelForTokenClassification.from_pretrained("bert-base-cased", num_labels=9)
trainer.train()
model.push_to_hub("org/ner-model")
