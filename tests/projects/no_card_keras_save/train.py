from tensorflow import keras

net = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
net.compile(optimizer="adam", loss="mse")
net.fit(X, y, epochs=5)
net.save("models/regressor.keras")  # expect: ML605
