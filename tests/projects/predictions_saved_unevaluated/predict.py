import pandas as pd


def save(model, frame, path):
    pd.DataFrame({"id": frame.index, "prediction": model.predict(frame)}).to_csv(path, index=False)
