from callbacks import callbacks

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, validation_data=(X_val, y_val), callbacks=callbacks("runs/1"))
