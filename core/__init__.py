"""Small helpers every app shares. The lowest layer: it imports no app of ours."""
