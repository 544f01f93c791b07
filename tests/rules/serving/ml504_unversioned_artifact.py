# rules: ML504

# case: joblib.dump(model, 'model.pkl')
import joblib
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, 'model.pkl')  # expect: ML504

# case: pickle.dump(model, open('m.pkl', 'wb'))
import pickle
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
pickle.dump(model, open('m.pkl', 'wb'))  # expect: ML504

# case: pickle.dump(model, fh)
import pickle
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
with open('m.pkl', 'wb') as fh:
    pickle.dump(model, fh)  # expect: ML504

# case: torch.save(net.state_dict(), 'model.pt')
import torch
def save(net):
    torch.save(net.state_dict(), 'model.pt')  # expect: ML504

# case: torch.save(model, 'model.pt')
import torch
model = Net()
model.train()
torch.save(model, 'model.pt')  # expect: ML504

# case: torch.save({'model': net.state_dict(), 'epoch': 3}, 'ckpt.pt')
import torch
torch.save({'model': net.state_dict(), 'epoch': 3}, 'ckpt.pt')  # expect: ML504

# case: model.save('model.h5')
from tensorflow import keras
model = keras.Sequential([])
model.save('model.h5')  # expect: ML504

# case: model.save('model.keras')
import tensorflow as tf
model = build()
model.compile(optimizer='adam')
model.fit(X, y)
model.save('model.keras')  # expect: ML504

# case: clf.save_model('model.json')
import xgboost as xgb
clf = xgb.XGBClassifier()
clf.fit(X, y)
clf.save_model('model.json')  # expect: ML504

# case: booster.save_model('model.txt')
import lightgbm as lgb
booster = lgb.train(params, train_set)
booster.save_model('model.txt')  # expect: ML504

# case: tf.keras.models.save_model(model, 'saved')
import tensorflow as tf
model = tf.keras.Sequential([])
tf.keras.models.save_model(model, 'saved')  # expect: ML504

# case: joblib.dump(search.best_estimator_, 'best.joblib')
import joblib
from sklearn.model_selection import GridSearchCV
search = GridSearchCV(est, grid)
search.fit(X, y)
joblib.dump(search.best_estimator_, 'best.joblib')  # expect: ML504

# case: joblib.dump(pipe, filename='p.pkl')
import joblib
from sklearn.pipeline import make_pipeline
pipe = make_pipeline(a, b)
joblib.dump(pipe, filename='p.pkl')  # expect: ML504

# case: the path is a variable
import joblib
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, MODEL_PATH)

# case: joblib.dump(model, f'model-{version}.pkl')
import joblib
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, f'model-{version}.pkl')

# case: joblib.dump(model, os.path.join(out, 'model.pkl'))
import joblib, os
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, os.path.join(out, 'model.pkl'))

# case: joblib.dump(model, Path(out) / 'model.pkl')
import joblib
from pathlib import Path
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, Path(out) / 'model.pkl')

# case: joblib.dump(model, 'model_' + stamp + '.pkl')
import joblib
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, 'model_' + stamp + '.pkl')

# case: mlflow.sklearn.log_model(model, 'model')
import joblib, mlflow
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, 'model.pkl')
mlflow.sklearn.log_model(model, 'model')

# case: mlflow.log_artifact('model.pkl')
import joblib, mlflow
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, 'model.pkl')
mlflow.log_artifact('model.pkl')

# case: run.log_artifact('model.pkl')
import joblib, wandb
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, 'model.pkl')
run = wandb.init()
run.log_artifact('model.pkl')

# case: art = wandb.Artifact('m', type='model')
import joblib, wandb
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, 'm.pkl')
art = wandb.Artifact('m', type='model')

# case: the project imports dvc
import joblib
import dvc.api
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
joblib.dump(model, 'model.pkl')

# case: data, not a model
import joblib
metrics = {'acc': 0.9}
joblib.dump(metrics, 'metrics.pkl')

# case: joblib.dump([1, 2, 3], 'list.pkl')
import joblib
joblib.dump([1, 2, 3], 'list.pkl')

# case: pickle.dump(features, fh)
import pickle
with open('cache.pkl', 'wb') as fh:
    pickle.dump(features, fh)

# case: torch.save(tensor, 'x.pt')
import torch
torch.save(tensor, 'x.pt')

# case: torch.save(x, 'x.pt')
import torch
x = torch.Tensor(3)
torch.save(x, 'x.pt')

# case: np.save('a.npy', arr)
import numpy as np
import joblib
np.save('a.npy', arr)

# case: fig.savefig('a.png')
import joblib
import matplotlib.pyplot as plt
fig = plt.figure()
fig.savefig('a.png')

# case: model.save(path)
import joblib
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
model.save(path)

# case: the file handle's path is a variable
import pickle
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier()
model.fit(X, y)
with open(path, 'wb') as fh:
    pickle.dump(model, fh)

# case: dtrain.save_binary('train.buffer')
import xgboost as xgb
dtrain = xgb.DMatrix(X)
dtrain.save_binary('train.buffer')

# case: training state, not the model
import torch
torch.save(optimizer.state_dict(), 'optimizer.pt')

# case: torch.save(self.lr_scheduler.state_dict(), 'sched.pt')
import torch
torch.save(self.lr_scheduler.state_dict(), 'sched.pt')
