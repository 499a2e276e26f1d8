"""Search's subscription to case commands (``cases.bus``), made when ``CasesConfig.ready`` imports this
module: a document is rewritten once per command, inside its transaction."""

from redressal.cases import bus
from redressal.search.services import after_command

bus.on_saved(after_command)
