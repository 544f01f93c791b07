import torch
from ts.torch_handler.base_handler import BaseHandler


class SentimentHandler(BaseHandler):
    def preprocess(self, data):
        return torch.tensor([row["body"] for row in data])

    def inference(self, batch):  # expect: ML507
        with torch.no_grad():
            return self.model(batch).argmax(dim=1)
