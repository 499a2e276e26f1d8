"""Quality (SPEC §12, issue 15 items 5–6): QA inspection (质检) of sampled closed cases — sampling,
rubric scores, feedback to the handler, appeal, calibration — and the monthly service scorecards
(考核). The rules are ``redressal.domain.quality``; this app reads the case events and stores the
inspections, each change audited (``services``)."""
