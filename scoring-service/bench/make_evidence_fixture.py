"""Writes scoring-service/test/fixtures/sklearn-bayesian-ridge-diabetes.json: scikit-learn's
BayesianRidge (one prior precision) and ARDRegression (one per column, no pruning) on the
standardised diabetes dataset, converged tightly, for model/evidence.ts to match.
Run once: /usr/bin/python3 scoring-service/bench/make_evidence_fixture.py"""
import json, platform
import numpy as np
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import ARDRegression, BayesianRidge
from sklearn.preprocessing import StandardScaler

X, y = load_diabetes(return_X_y=True)
Xs = StandardScaler().fit_transform(X)
br = BayesianRidge(n_iter=10000, tol=1e-12).fit(Xs, y)
ard = ARDRegression(n_iter=10000, tol=1e-12, threshold_lambda=1e300).fit(Xs, y)
out = {
    "source": "sklearn.datasets.load_diabetes(return_X_y=True), StandardScaler (population sd); "
              "BayesianRidge(n_iter=10000, tol=1e-12) and ARDRegression(n_iter=10000, tol=1e-12, threshold_lambda=1e300), default Gamma(1e-6, 1e-6) hyperpriors",
    "command": "/usr/bin/python3 scoring-service/bench/make_evidence_fixture.py",
    "dataset": "the X and y of sklearn-ridge-diabetes.json",
    "sklearn_version": sklearn.__version__,
    "numpy_version": np.__version__,
    "python_version": platform.python_version(),
    "bayesian_ridge": {"coef": br.coef_.tolist(), "intercept": float(br.intercept_), "lambda": float(br.lambda_), "tau": float(br.alpha_)},
    "ard": {"coef": ard.coef_.tolist(), "intercept": float(ard.intercept_), "lambda": ard.lambda_.tolist(), "tau": float(ard.alpha_)},
}
with open("scoring-service/test/fixtures/sklearn-bayesian-ridge-diabetes.json", "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
