"""arkiv's index package: Danish analysis and the search index over agenda items."""
