"""The longest text each risk field takes: checked by the domain, declared by its inputs."""

TITLE = 500
OWNER = 200
REASON = 2000  # of an assessment or a change of status
