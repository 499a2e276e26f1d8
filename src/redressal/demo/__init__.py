"""The demo bank (SPEC §15), built through the services: ``redressal seed-demo``.

Modules: ``org`` (units and staff), ``customers`` and ``names`` (personal data), ``texts`` (the situations
and their wording), ``plan`` (what happens to each case), ``timeline`` (replaying time), ``cases`` (the
stories, through ``redressal.cases.services``) and ``seeder`` (the whole run).
"""
