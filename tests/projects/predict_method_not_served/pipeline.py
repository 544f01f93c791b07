class ChurnPipeline:
    def __init__(self, model, scaler):
        self.model, self.scaler = model, scaler

    def predict(self, X):
        return self.model.predict(self.scaler.transform(X))
