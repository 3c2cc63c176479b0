"""The portfolio's API endpoints: areas, projects and their history, decisions, KPI series."""
