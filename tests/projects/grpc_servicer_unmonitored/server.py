import grpc
import joblib

import scoring_pb2
import scoring_pb2_grpc

model = joblib.load("model.joblib")


class ScoringServicer(scoring_pb2_grpc.ScoringServicer):
    def Score(self, request, context):  # expect: ML507
        return scoring_pb2.ScoreReply(value=float(model.predict([list(request.features)])[0]))
