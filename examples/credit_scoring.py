"""Credit-limit model trained on the applicants extract committed next to the code."""

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

SEED = 7
FEATURES = ["income", "debt_ratio", "years_employed", "gender"]

applicants = pd.read_csv("data/applicants.csv")
X_train, X_test, y_train, y_test = train_test_split(
    applicants[FEATURES], applicants["defaulted"], test_size=0.25, random_state=SEED
)
model = GradientBoostingClassifier(random_state=SEED).fit(X_train, y_train)
print("AUC", roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]))
