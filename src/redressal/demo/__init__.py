"""The demo bank (SPEC §15), built through the services: ``redressal seed-demo``.

Modules: ``org`` (units and staff), ``customers`` and ``names`` (personal data), ``plan`` (what happens to
each case), ``timeline`` (replaying time), ``cases`` (the stories, through ``redressal.cases.services``) and
``seeder`` (the whole run). The situations and their wording are ``redressal.triage.ml.texts``, the triage
model's training data.
"""
