import numpy as np
from tensorflow import keras

from data import load_arrays

X, y = load_arrays()
net = keras.Sequential([keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
net.compile(optimizer="adam", loss="mse")
net.fit(X, y, epochs=3)  # expect: ML601, ML306
np.save("weights.npy", np.concatenate([w.ravel() for w in net.get_weights()]))
