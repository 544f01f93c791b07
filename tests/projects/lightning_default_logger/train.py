import lightning as L

trainer = L.Trainer(max_epochs=3)
trainer.fit(model, datamodule=dm)
