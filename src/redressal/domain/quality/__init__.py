"""Quality rules (SPEC §12, issue 15 items 5–6): QA sampling (质检抽样), the inspection rubric and its
agreement figure, who may inspect and appeal, and the monthly service scorecard (考核) formula.

Pure: no Django, no database. The ``redressal.quality`` app reads the facts and stores the results.
"""
