from tensorflow import keras


def callbacks(run_dir):
    return [keras.callbacks.CSVLogger(f"{run_dir}/history.csv"), keras.callbacks.EarlyStopping(patience=3)]
