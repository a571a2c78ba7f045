"""The bottom layer: settings, errors and paths, importable by every other package.

Nothing here imports `tasks`, `flows` or `dealwatch` (tests/test_layers.py checks it).
"""
