import bentoml
import numpy as np


@bentoml.service
class Classifier:
    def __init__(self):
        self.model = bentoml.sklearn.load_model("classifier:latest")

    @bentoml.api
    def classify(self, rows: np.ndarray) -> np.ndarray:  # expect: ML507
        return self.model.predict(rows)
