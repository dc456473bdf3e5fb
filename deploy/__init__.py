"""Deployment: servers on loopback, replicas behind nginx, the offline bundle."""
