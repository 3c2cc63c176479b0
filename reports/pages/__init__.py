"""The pages that show a project whole: the overview, the project page and its comparison."""
