"""Offline demo portal: reconstructions of the seed portals, served on 127.0.0.1."""
