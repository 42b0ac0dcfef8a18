import numpy as np
import pytest
from scipy import stats as st

from helpers.analysis import stats


def test_wilson_matches_scipy_binomtest():
    for k, n in [(0, 10), (3, 40), (40, 40), (17, 71)]:
        lo, hi = stats.wilson_interval(k, n)
        ci = st.binomtest(k, n).proportion_ci(method="wilson")
        assert lo == pytest.approx(ci.low, abs=1e-9)
        assert hi == pytest.approx(ci.high, abs=1e-9)


def test_wilson_empty_period_is_nan():
    lo, hi = stats.wilson_interval(np.array([0, 1]), np.array([0, 4]))
    assert np.isnan(lo[0]) and np.isnan(hi[0])
    assert 0 < hi[1] <= 1


def test_g2_matches_scipy_log_likelihood_chi2():
    a, b, c, d = 30, 10, 970, 1990
    expected = st.chi2_contingency([[a, b], [c, d]], correction=False, lambda_="log-likelihood")[0]
    assert stats.g2_2x2(a, b, c, d) == pytest.approx(expected)


def test_g2_is_zero_when_rates_are_equal():
    assert stats.g2_2x2(10, 20, 990, 1980) == pytest.approx(0.0, abs=1e-9)


def test_log_ratio_sign_and_doubling():
    assert stats.log_ratio(20, 1000, 10, 1000, smoothing=0) == pytest.approx(1.0)
    assert stats.log_ratio(0, 1000, 10, 1000) < 0


def test_bh_matches_scipy_and_keeps_nan():
    p = np.array([0.01, 0.04, np.nan, 0.03, 0.5])
    out = stats.bh_adjust(p)
    assert np.isnan(out[2])
    ok = ~np.isnan(p)
    np.testing.assert_allclose(out[ok], st.false_discovery_control(p[ok]))


def test_mann_kendall_detects_monotone_trend_and_sen_slope():
    mk = stats.mann_kendall([0.00, 0.01, 0.02, 0.03, 0.05, 0.05, 0.06, 0.08])
    assert mk.s > 0 and mk.p < 0.01
    assert mk.sen_slope == pytest.approx(0.01, abs=0.002)
    # Kendall's tau against time agrees with scipy's for data without ties
    y = [3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.6]
    assert stats.mann_kendall(y).tau == pytest.approx(st.kendalltau(range(7), y).statistic)


def test_mann_kendall_flat_series_is_not_significant():
    mk = stats.mann_kendall([0.1] * 6)
    assert mk.s == 0 and mk.p == pytest.approx(1.0) and mk.sen_slope == 0


def test_mann_kendall_needs_three_periods():
    with pytest.raises(ValueError, match="at least 3"):
        stats.mann_kendall([0.1, 0.2])


def test_mann_kendall_rows_equal_the_one_series_test():
    rng = np.random.default_rng(3)
    rows = np.vstack(
        [
            rng.integers(0, 4, size=(40, 9)) / 10,  # many ties
            rng.random((20, 9)),
            np.full((2, 9), 0.3),  # all tied: variance 0
            np.linspace(0, 1, 9)[None, :],
        ]
    )
    fast = stats.mann_kendall_rows(rows)
    for k, row in enumerate(rows):
        one = stats.mann_kendall(row)
        for name in ("s", "z", "p", "tau"):
            assert fast[name][k] == pytest.approx(getattr(one, name), rel=1e-12, abs=1e-15)
    with pytest.raises(ValueError):
        stats.mann_kendall_rows([[0.1, 0.2]])


def test_mann_kendall_rows_in_several_blocks():
    # 3,000 rows of 60 periods need more scratch space than one block holds
    rows = np.random.default_rng(4).integers(0, 5, size=(3000, 60)) / 10
    assert len(stats.row_blocks(len(rows), 60 * 60)) > 1
    fast = stats.mann_kendall_rows(rows)
    for k in (0, 1110, 1111, 2222, 2999):
        assert fast["p"][k] == pytest.approx(stats.mann_kendall(rows[k]).p, rel=1e-12)
        assert fast["s"][k] == stats.mann_kendall(rows[k]).s
