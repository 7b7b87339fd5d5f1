"""MkDocs hooks: thin adapters; the work is done in `rutinportal.mkdocs_adapter`."""

from rutinportal import mkdocs_adapter


def on_config(config):
    return mkdocs_adapter.on_config(config)


def on_files(files, config):
    return mkdocs_adapter.on_files(files, config)


def on_post_build(config):
    mkdocs_adapter.on_post_build(config)
