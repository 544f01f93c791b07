"""ML3: training and evaluation. Training loops that silently train wrong, models evaluated in
training mode, and models that are fitted but never measured."""

AREA = "Training & Evaluation"
