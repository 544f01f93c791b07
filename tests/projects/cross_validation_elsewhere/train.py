from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from cv import validate

pipeline = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
print(validate(pipeline, X, y))
final = pipeline.fit(X, y)
