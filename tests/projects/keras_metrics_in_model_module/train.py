from tensorflow import keras

from model import compile_for_auc

net = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1, activation="sigmoid")])
compile_for_auc(net)
net.fit(X_train, y_train, epochs=5)
