"""The longest text each milestone field takes: checked by the domain, declared by its inputs."""

TITLE = 500
REASON = 2000  # of a re-plan or a corrected achievement
