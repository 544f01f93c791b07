import lightning as L

from module import Regressor

trainer = L.Trainer(max_epochs=3, logger=False)
trainer.fit(Regressor(), train_loader)  # expect: ML601
