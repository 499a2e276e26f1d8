"""Insight's subscription to case commands (``cases.bus``), made when ``CasesConfig.ready`` imports this
module: the reported facts of a case are brought up to date once per command, inside its transaction."""

from redressal.cases import bus
from redressal.insight.projection import after_command

bus.on_saved(after_command)
