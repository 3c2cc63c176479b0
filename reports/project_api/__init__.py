"""The API of projects read whole, with their milestones and risks: areas, projects, their
history and changes, decisions, KPI series, and the project commands that answer with them."""
