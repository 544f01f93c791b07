from ray import serve

from deploy import Predictor

serve.run(Predictor.bind())
