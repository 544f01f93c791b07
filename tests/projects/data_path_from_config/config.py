import os

DATA_PATH = os.environ.get("DATA_PATH", "data/train.csv")
