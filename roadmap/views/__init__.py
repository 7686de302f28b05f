"""Views across a program or the regions: the coordinators' overview and the federal view."""
