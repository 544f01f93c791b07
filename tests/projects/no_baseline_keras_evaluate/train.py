from tensorflow import keras

from eval import report

net = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(10, activation="softmax")])
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
net.fit(X_train, y_train, epochs=10)
report(net, X_test, y_test)
