import lightning as L

from module import Classifier

L.Trainer(max_epochs=5).fit(Classifier(), train_loader, val_loader)
