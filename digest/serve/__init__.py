"""``digest serve``: build, serve, watch, and make open pages follow every save."""

from digest.serve.server import DevServer, Outcome, ServeError, serve
from digest.serve.watcher import Action, Change, Changes, Kind

__all__ = [
    "Action",
    "Change",
    "Changes",
    "DevServer",
    "Kind",
    "Outcome",
    "ServeError",
    "serve",
]
