"""The A/B test's statistics: a two-proportion z-test, and how many users a test needs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from martech.checks import NotYet, as_whole_number


def normal_cdf(z: float) -> float:
    """P(Z <= z) for a standard normal Z, written with math.erf."""
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@dataclass
class ABResult:
    conversions_a: int
    users_a: int
    conversions_b: int
    users_b: int
    z: float
    p_value: float
    alpha: float = 0.05

    @property
    def rate_a(self) -> float:
        return self.conversions_a / self.users_a

    @property
    def rate_b(self) -> float:
        return self.conversions_b / self.users_b

    @property
    def lift(self) -> float:
        """B's rate relative to A's, in percent (+10 means 10% better)."""
        return 100 * (self.rate_b / self.rate_a - 1) if self.rate_a else math.inf

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha

    def __repr__(self) -> str:
        verdict = ("significant: a difference this large would rarely happen by chance alone"
                   if self.significant else
                   "NOT significant: a difference this large happens easily by chance alone")
        return (f"A: {self.conversions_a:,} of {self.users_a:,} users converted = {100 * self.rate_a:.2f}%\n"
                f"B: {self.conversions_b:,} of {self.users_b:,} users converted = {100 * self.rate_b:.2f}%\n"
                f"B vs A: {self.lift:+.1f}%   z = {self.z:.2f}   p-value = {self.p_value:.3f}\n"
                f"At the {100 * (1 - self.alpha):.0f}% level this is {verdict}.")


def two_proportion_test(conversions_a, users_a, conversions_b, users_b, alpha: float = 0.05) -> ABResult:
    """Two-sided two-proportion z-test with the pooled proportion."""
    counts = [as_whole_number(v, name) for v, name in [(conversions_a, "conversions_a"), (users_a, "users_a"),
                                                       (conversions_b, "conversions_b"), (users_b, "users_b")]]
    conversions_a, users_a, conversions_b, users_b = counts
    for variant, conversions, users in (("A", conversions_a, users_a), ("B", conversions_b, users_b)):
        if 0 < users < conversions:
            raise NotYet(f"variant {variant} has {conversions:,} conversions but only {users:,} users. The order is "
                         "two_proportion_test(conversions_a, users_a, conversions_b, users_b): are two swapped?")
    if users_a <= 0 or users_b <= 0 or not 0 <= conversions_a <= users_a or not 0 <= conversions_b <= users_b:
        raise NotYet("each variant needs more than 0 users, and conversions between 0 and the number of users.")
    pooled = (conversions_a + conversions_b) / (users_a + users_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / users_a + 1 / users_b))
    z = (conversions_b / users_b - conversions_a / users_a) / spread if spread else 0.0
    p_value = 2 * (1 - normal_cdf(abs(z)))
    return ABResult(conversions_a, users_a, conversions_b, users_b, z, p_value, alpha)


def sample_size_per_variant(baseline_rate: float, relative_lift: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users needed in EACH variant to detect a change from ``baseline_rate`` (e.g. 0.04) to
    ``baseline_rate * (1 + relative_lift)`` (e.g. relative_lift=0.10 for +10%) with a two-sided
    test at level ``alpha`` and the given ``power`` (the usual normal-approximation formula)."""
    p1 = baseline_rate
    p2 = baseline_rate * (1 + relative_lift)
    if not (0 < p1 < 1 and 0 < p2 < 1 and p1 != p2):
        raise NotYet("baseline_rate is a share such as 0.04 (4%), and relative_lift a change such as 0.10 (+10%): "
                     "both rates must lie between 0 and 1, and differ.")
    z_alpha = NormalDist().inv_cdf(1 - alpha / 2)
    z_power = NormalDist().inv_cdf(power)
    average = (p1 + p2) / 2
    top = z_alpha * math.sqrt(2 * average * (1 - average)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top ** 2 / (p2 - p1) ** 2)
