"""Writes scoring-service/test/fixtures/sklearn-ridge-diabetes.json: scikit-learn's diabetes
dataset and sklearn.linear_model.Ridge coefficients for several alphas, raw and standardised.
Run once: /usr/bin/python3 scoring-service/bench/make_ridge_fixture.py"""
import json, sys, platform
import numpy as np
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

X, y = load_diabetes(return_X_y=True)
cases = []
for alpha in [0.01, 0.1, 1.0, 10.0]:
    m = Ridge(alpha=alpha, solver="cholesky").fit(X, y)
    cases.append({"alpha": alpha, "standardize": False, "coef": m.coef_.tolist(), "intercept": float(m.intercept_)})
Xs = StandardScaler().fit_transform(X)
for alpha in [1.0, 100.0]:
    m = Ridge(alpha=alpha, solver="cholesky").fit(Xs, y)
    cases.append({"alpha": alpha, "standardize": True, "coef": m.coef_.tolist(), "intercept": float(m.intercept_)})
w = np.linspace(0.5, 2.0, len(y))
m = Ridge(alpha=1.0, solver="cholesky").fit(X, y, sample_weight=w)
cases.append({"alpha": 1.0, "standardize": False, "sample_weight": "linspace(0.5, 2.0, n)", "coef": m.coef_.tolist(), "intercept": float(m.intercept_)})
out = {
    "source": "sklearn.datasets.load_diabetes(return_X_y=True); sklearn.linear_model.Ridge(alpha, solver='cholesky').fit; standardize=True means StandardScaler (population sd) first",
    "command": "/usr/bin/python3 scoring-service/bench/make_ridge_fixture.py",
    "sklearn_version": sklearn.__version__,
    "numpy_version": np.__version__,
    "python_version": platform.python_version(),
    "tolerance": 1e-6,
    "X": X.tolist(),
    "y": y.tolist(),
    "cases": cases,
}
json.dump(out, open(sys.argv[1] if len(sys.argv) > 1 else "scoring-service/test/fixtures/sklearn-ridge-diabetes.json", "w"), separators=(",", ":"))
