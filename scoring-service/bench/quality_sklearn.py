"""Reference models for bench/quality.ts: scikit-learn Ridge (alpha by the same k-fold CV
over the same grid, on standardised features) and HistGradientBoostingRegressor, fit on
exactly the split and features quality.ts exported. Usage:
  /usr/bin/python3 scoring-service/bench/quality_sklearn.py IN.json OUT.json"""
import json, sys
import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

d = json.load(open(sys.argv[1]))
Xtr, ytr = np.array(d["X_train"]), np.array(d["y_train"])
Xte, yte = np.array(d["X_test"]), np.array(d["y_test"])
rmse = lambda p: float(np.sqrt(np.mean((np.clip(p, 1, 5) - yte) ** 2)))
cv = KFold(n_splits=d["folds"], shuffle=True, random_state=d["seed"])
ridge = make_pipeline(StandardScaler(), RidgeCV(alphas=d["alphas"], cv=cv)).fit(Xtr, ytr)
hgb = HistGradientBoostingRegressor(random_state=d["seed"]).fit(Xtr, ytr)
out = {
    "sklearn_version": sklearn.__version__,
    "ridge": {"rmse": rmse(ridge.predict(Xte)), "alpha": float(ridge[-1].alpha_)},
    "hgb": {"rmse": rmse(hgb.predict(Xte)), "params": "HistGradientBoostingRegressor(random_state=seed) defaults (early stopping auto)"},
}
json.dump(out, open(sys.argv[2], "w"))
