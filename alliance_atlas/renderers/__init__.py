"""Renderers: the scene as a Leaflet map, printed images and PDF, standalone HTML, office and data exports."""
