from __future__ import annotations

from redressal.domain.followup import visit_plan
from redressal.domain.profiles import load_profile

PROFILE = load_profile("CN-2020-3")


def test_mandatory_for_priority_elderly_and_compensation():
    for kw in ({"priority": "P1"}, {"priority": "P2"}, {"vulnerable": ["elderly"]}, {"compensated": True}):
        args = {"case_number": "TS1", "priority": "P3", "vulnerable": [], "compensated": False, **kw}
        plan = visit_plan(PROFILE, **args)
        assert plan.mandatory and plan.needed, kw


def test_others_are_sampled_stably_at_the_profile_rate():
    plans = [
        visit_plan(PROFILE, case_number=f"TS{i:06d}", priority="P3", vulnerable=[], compensated=False)
        for i in range(4000)
    ]
    share = sum(p.needed for p in plans) / len(plans)
    assert 0.17 < share < 0.23
    assert not any(p.mandatory for p in plans)
    again = visit_plan(PROFILE, case_number="TS000007", priority="P4", vulnerable=[], compensated=False)
    assert again == visit_plan(PROFILE, case_number="TS000007", priority="P4", vulnerable=[], compensated=False)
