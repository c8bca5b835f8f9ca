"""Renderers: view dict -> bytes on stdout. One module per output kind."""
