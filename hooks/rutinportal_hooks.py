"""Site engine hooks (ProperDocs): thin adapters; the work is done in `rutinportal.site.engine`."""

from rutinportal.site import engine


def on_config(config):
    return engine.on_config(config)


def on_files(files, config):
    return engine.on_files(files, config)


def on_page_content(html, page, config, files):
    return engine.on_page_content(html, page, config)


def on_page_context(context, page, config, nav):
    return engine.on_page_context(context, page, config)


def on_post_build(config):
    engine.on_post_build(config)
