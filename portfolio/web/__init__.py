"""The web pages for people: the site frame, login, the overview and project pages."""
