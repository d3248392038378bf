"""Page data: what each page shows, computed from the models, free of Flask."""
