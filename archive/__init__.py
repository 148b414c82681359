"""arkiv's archive package: minutes files in, meetings and agenda items out."""
